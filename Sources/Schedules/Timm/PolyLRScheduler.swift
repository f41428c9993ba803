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
        static let parameters = DecayingCycles.parameters(own: [power])
        let shape: DecayingCycles
        let power: Double

        var noise: Noise { shape.noise }
        var warmup: Warmup { shape.warmup }

        init?(decoding params: inout ParamsReader) {
            var power = 0.0
            shape = DecayingCycles(&params) { power = $0.double(Self.power) }
            self.power = power
            if params.hasIssues { return nil }
        }

        func values(at t: Int, bases: [Double], into lrs: inout [Double]) throws(ScheduleFault) {
            let lrMin = shape.lrMin
            guard let (gamma, current, length) = try shape.position(at: t) else {
                for g in lrs.indices { lrs[g] = lrMin }
                return
            }
            let decay: Double
            do {
                decay = try PythonFloat.power(1 - (try PythonFloat.divide(current, length)), power)
            } catch { throw ScheduleFault(error.message, parameter: Self.power.name) }
            for g in lrs.indices {
                let lrMax = bases[g] * gamma
                lrs[g] = lrMin + (lrMax - lrMin) * decay
            }
        }
    }
}
