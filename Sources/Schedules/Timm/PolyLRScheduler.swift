extension Timm {
    /// `timm.scheduler.PolyLRScheduler(optimizer, t_initial, power=0.5, lr_min=0., cycle_mul=1.,
    /// cycle_decay=1., cycle_limit=1, warmup_t=0, warmup_lr_init=0., warmup_prefix=False,
    /// t_in_epochs=True, noise_range_t=None, noise_pct=0.67, noise_std=1.0, noise_seed=42, k_decay=1.0)`.
    ///
    /// Within cycle `i < cycle_limit`:
    /// `lr = lr_min + (lr_max - lr_min) * (1 - t_curr ** k / t_i ** k) ** power`, `lr_max = v * cycle_decay ** i`.
    /// Source: `timm/scheduler/poly_lr.py`.
    struct PolyLRScheduler: TimmClosedForm {
        static let name = "PolyLRScheduler"
        static let summary =
            "polynomial decay from the base LR to lr_min over t_initial steps, with warm-up, restarts and noise"
        static let power = Parameter.float("power", default: 0.5, "a number", "the polynomial's power")
        static let parameters =
            [
                Cycles.tInitial, power, Timm.lrMin, Cycles.mul, Cycles.decay, Cycles.limit, Timm.warmupT,
                Timm.warmupLRInit, Timm.warmupPrefix(default: false), Timm.tInEpochs,
            ]
            + Noise.parameters(typed: false) + [CosineLRScheduler.kDecay, Timm.initialize]
        let cycles: Cycles, power: Double, lrMin: Double, warmup: Warmup, prefix: Bool, noise: Noise, k: Double

        init?(decoding params: inout ParamsReader) {
            cycles = Cycles(&params)
            power = params.double(Self.power)
            lrMin = params.double(Timm.lrMin) { $0 >= 0 }
            warmup = Warmup(&params)
            prefix = params.bool(Timm.warmupPrefix(default: false))
            _ = params.bool(Timm.tInEpochs)
            noise = Noise(&params, typed: false)
            k = params.double(CosineLRScheduler.kDecay)
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
            let decay: Double
            do {
                let fraction = try PythonFloat.divide(
                    try PythonFloat.power(current, k),
                    try PythonFloat.power(length, k)
                )
                decay = try PythonFloat.power(1 - fraction, power)
            } catch { throw ScheduleFault(error.message, parameter: Self.power.name) }
            for g in lrs.indices {
                let lrMax = bases[g] * gamma
                lrs[g] = lrMin + (lrMax - lrMin) * decay
            }
        }
    }
}
