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
        static let parameters = DecayingCycles.parameters(own: [])
        let shape: DecayingCycles

        var noise: Noise { shape.noise }
        var warmup: Warmup { shape.warmup }

        init?(decoding params: inout ParamsReader) {
            shape = DecayingCycles(&params) { _ in }
            if params.hasIssues { return nil }
        }

        func values(at t: Int, bases: [Double], into lrs: inout [Double]) throws(ScheduleFault) {
            let lrMin = shape.lrMin
            guard let (gamma, current, length) = try shape.position(at: t) else {
                for g in lrs.indices { lrs[g] = lrMin }
                return
            }
            let angle: Double
            do { angle = try PythonFloat.divide(Double.pi * current, length) } catch {
                throw ScheduleFault(error.message, parameter: DecayingCycles.kDecay.name)
            }
            let cosine = 1 + ExprLibm.cos(angle)
            for g in lrs.indices {
                let lrMax = bases[g] * gamma
                lrs[g] = lrMin + 0.5 * (lrMax - lrMin) * cosine
            }
        }
    }
}
