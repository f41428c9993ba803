extension Timm {
    /// `timm.scheduler.TanhLRScheduler(optimizer, t_initial, lb=-7., ub=3., lr_min=0., cycle_mul=1.,
    /// cycle_decay=1., cycle_limit=1, warmup_t=0, warmup_lr_init=0., warmup_prefix=False,
    /// t_in_epochs=True, noise_range_t=None, noise_pct=0.67, noise_std=1.0, noise_seed=42)`.
    ///
    /// Within cycle `i < cycle_limit`: `tr = t_curr / t_i` and
    /// `lr = lr_min + 0.5 * (lr_max - lr_min) * (1 - math.tanh(lb * (1. - tr) + ub * tr))`. Without
    /// `warmup_prefix` the warm-up aims at the schedule's value at `warmup_t` (so it joins it).
    /// Constraints: `lb < ub`, `warmup_lr_init >= 0`. Source: `timm/scheduler/tanh_lr.py`.
    struct TanhLRScheduler: TimmClosedForm {
        static let name = "TanhLRScheduler"
        static let summary =
            "hyperbolic-tangent decay from the base LR to lr_min over t_initial steps, with warm-up, restarts and noise"
        static let lb = Parameter.float(
            "lb",
            default: -7.0,
            "a number below ub",
            "the tanh argument at the start of a cycle"
        )
        static let ub = Parameter.float(
            "ub",
            default: 3.0,
            "a number above lb",
            "the tanh argument at the end of a cycle"
        )
        static let parameters =
            [
                Cycles.tInitial, lb, ub, Timm.lrMin, Cycles.mul, Cycles.decay, Cycles.limit, Timm.warmupT,
                Timm.warmupLRInit, Timm.warmupPrefix(default: false), Timm.tInEpochs,
            ]
            + Noise.parameters(typed: false) + [Timm.initialize]
        let cycles: Cycles, lb: Double, ub: Double, lrMin: Double, warmup: Warmup, prefix: Bool, noise: Noise

        init?(decoding params: inout ParamsReader) {
            cycles = Cycles(&params)
            lb = params.double(Self.lb)
            ub = params.double(Self.ub)
            lrMin = params.double(Timm.lrMin) { $0 >= 0 }
            warmup = Warmup(&params)
            prefix = params.bool(Timm.warmupPrefix(default: false))
            _ = params.bool(Timm.tInEpochs)
            noise = Noise(&params, typed: false)
            _ = params.bool(Timm.initialize)
            if !params.hasIssues, !(lb < ub) {
                params.record(Self.lb.name, "must be below ub (timm asserts lb < ub), got lb \(lb), ub \(ub)")
            }
            if params.hasIssues { return nil }
        }

        func warmupSlopes(bases: [Double]) throws(ScheduleFault) -> [Double] {
            guard warmup.steps != 0, !prefix else { return warmup.slopes(towards: bases) }
            var targets = bases
            try values(at: warmup.steps, bases: bases, into: &targets)
            return warmup.slopes(towards: targets)
        }

        func values(at t: Int, bases: [Double], into lrs: inout [Double]) throws(ScheduleFault) {
            let (i, length, current) = try cycles.position(prefix ? t - warmup.steps : t)
            guard i < Double(cycles.limit) else {
                for g in lrs.indices { lrs[g] = lrMin }
                return
            }
            let gamma = try cycles.gamma(i)
            let tr = current / length
            let tanh = 1 - ExprLibm.tanh(lb * (1.0 - tr) + ub * tr)
            for g in lrs.indices {
                let lrMax = bases[g] * gamma
                lrs[g] = lrMin + 0.5 * (lrMax - lrMin) * tanh
            }
        }
    }
}
