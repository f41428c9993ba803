extension Timm {
    /// `timm.scheduler.CosineLRScheduler(optimizer, t_initial, lr_min=0., cycle_mul=1., cycle_decay=1.,
    /// cycle_limit=1, warmup_t=0, warmup_lr_init=0., warmup_prefix=False, t_in_epochs=True,
    /// noise_range_t=None, noise_pct=0.67, noise_std=1.0, noise_seed=42, k_decay=1.0)`.
    ///
    /// Within cycle `i < cycle_limit` (see `Cycles`): `lr_max = v * cycle_decay ** i` and
    /// `lr = lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * t_curr ** k / t_i ** k))`;
    /// from cycle `cycle_limit` on, `lr_min`. Without `warmup_prefix` the warm-up overlaps the
    /// schedule, so the LR jumps at `warmup_t`. Source: `timm/scheduler/cosine_lr.py`.
    struct CosineLRScheduler: TimmClosedForm {
        static let name = "CosineLRScheduler"
        static let summary =
            "cosine decay from the base LR to lr_min over t_initial steps, with warm-up, restarts and noise"
        static let kDecay = Parameter.float(
            "k_decay",
            default: 1.0,
            "a number",
            "the exponent k in t_curr ** k / t_i ** k"
        )
        static let parameters =
            [
                Cycles.tInitial, Timm.lrMin, Cycles.mul, Cycles.decay, Cycles.limit, Timm.warmupT,
                Timm.warmupLRInit, Timm.warmupPrefix(default: false), Timm.tInEpochs,
            ]
            + Noise.parameters(typed: false) + [kDecay, Timm.initialize]
        let cycles: Cycles, lrMin: Double, warmup: Warmup, prefix: Bool, noise: Noise, k: Double

        init?(decoding params: inout ParamsReader) {
            cycles = Cycles(&params)
            lrMin = params.double(Timm.lrMin) { $0 >= 0 }
            warmup = Warmup(&params)
            prefix = params.bool(Timm.warmupPrefix(default: false))
            _ = params.bool(Timm.tInEpochs)
            noise = Noise(&params, typed: false)
            k = params.double(Self.kDecay)
            _ = params.bool(Timm.initialize)
            if params.hasIssues { return nil }
        }

        func values(at t: Int, bases: [Double], into lrs: inout [Double]) throws(ScheduleFault) {
            let (i, length, current) = try cycles.position(prefix ? t - warmup.steps : t)
            let gamma = try cycles.gamma(i)
            guard i < Double(cycles.limit) else {
                for g in lrs.indices { lrs[g] = lrMin }
                return
            }
            let angle: Double
            do {
                angle = try PythonFloat.divide(
                    Double.pi * (try PythonFloat.power(current, k)),
                    try PythonFloat.power(length, k)
                )
            } catch { throw ScheduleFault(error.message, parameter: Self.kDecay.name) }
            let cosine = 1 + ExprLibm.cos(angle)
            for g in lrs.indices {
                let lrMax = bases[g] * gamma
                lrs[g] = lrMin + 0.5 * (lrMax - lrMin) * cosine
            }
        }
    }
}
