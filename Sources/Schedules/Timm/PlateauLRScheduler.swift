extension Timm {
    /// `timm.scheduler.PlateauLRScheduler(optimizer, decay_rate=0.1, patience_t=10, threshold=1e-4,
    /// cooldown_t=0, warmup_t=0, warmup_lr_init=0., lr_min=0., mode='max', noise_range_t=None,
    /// noise_type='normal', noise_pct=0.67, noise_std=1.0, noise_seed=None)`, stepped with
    /// `step(t, metrics[t-1])`.
    ///
    /// Wraps torch's `ReduceLROnPlateau(patience=patience_t, factor=decay_rate, threshold=threshold,
    /// cooldown=cooldown_t, mode=mode, min_lr=lr_min)` (relative threshold). For `t <= warmup_t`
    /// (note `<=`) the LR is the warm-up's and the metric is ignored; after it, the LR from before
    /// the last noise is restored, torch's scheduler steps on the metric, and noise is applied to the
    /// result (and undone at the next step). Default `mode` is 'max'. Deprecated in timm (it warns)
    /// but present. Source: `timm/scheduler/plateau_lr.py`.
    struct PlateauLRScheduler: SchedulerDefinition {
        static let name = "PlateauLRScheduler"
        static let summary = "torch's ReduceLROnPlateau under timm's warm-up and noise (mode 'max' by default)"
        static let takesMetrics = true
        static let decayRate = Parameter.float(
            "decay_rate",
            default: 0.1,
            "a number below 1.0",
            "the factor applied on a plateau"
        )
        static let patienceT = Parameter.int(
            "patience_t",
            default: 10,
            "a non-negative integer",
            "bad steps tolerated before reducing"
        )
        static let threshold = Parameter.float(
            "threshold",
            default: 1e-4,
            "a non-negative number",
            "the relative improvement that counts"
        )
        static let cooldownT = Parameter.int(
            "cooldown_t",
            default: 0,
            "a non-negative integer",
            "steps to wait after a reduction"
        )
        static let lrMin = Parameter.perGroup(
            "lr_min",
            default: 0,
            "a non-negative number",
            "the floor of each group's LR"
        )
        static let mode = Parameter.choice(
            "mode",
            default: "max",
            ReduceLROnPlateau.Mode.allCases.map(\.rawValue),
            "whether lower or higher metrics are better"
        )
        static let parameters =
            [decayRate, patienceT, threshold, cooldownT, Timm.warmupT, Timm.warmupLRInit, lrMin, mode]
            + Noise.parameters(typed: true) + [Timm.initialize]
        let options: ReduceLROnPlateau.Options
        let minLRs: [Double]
        let warmup: Warmup
        let noise: Noise

        init?(decoding params: inout ParamsReader) {
            var o = ReduceLROnPlateau.Options()
            o.factor = params.double(Self.decayRate) { $0 < 1 }
            o.patience = params.int(Self.patienceT, in: 0...(1 << 53))
            o.threshold = params.double(Self.threshold) { $0 >= 0 }
            o.cooldown = params.int(Self.cooldownT, in: 0...(1 << 53))
            warmup = Warmup(&params)
            minLRs = params.perGroup(Self.lrMin) { $0 >= 0 }
            o.mode = params.choice(Self.mode, default: .max)
            options = o
            noise = Noise(&params, typed: true)
            _ = params.bool(Timm.initialize)
            if params.hasIssues { return nil }
        }

        var costPerEpoch: Int { noise.cost }

        func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
            TimmPlateauSchedule(self, bases: lrs)
        }
    }
}

/// `PlateauLRScheduler`'s state over every group: one torch plateau per group (they see the same
/// metrics, so their counters agree; each reduces its own LR to its own `min_lr`).
final class TimmPlateauSchedule: Schedule {
    let definition: Timm.PlateauLRScheduler
    let slopes: [Double]
    @exclusivity(unchecked) var plateaus: [ReduceLROnPlateau]
    @exclusivity(unchecked) var restore: [Double]?
    @exclusivity(unchecked) var t = 0

    init(_ definition: Timm.PlateauLRScheduler, bases: [Double]) {
        self.definition = definition
        self.slopes = definition.warmup.slopes(towards: bases)
        self.plateaus = bases.enumerated().map { g, lr in
            var options = definition.options
            options.minLR = definition.minLRs[g]
            return ReduceLROnPlateau(lr: definition.warmup.steps != 0 ? definition.warmup.initLR : lr, options: options)
        }
    }

    var groupCount: Int { plateaus.count }

    func lr(group: Int) -> Double { plateaus[group].lr }

    func step(metric: Double?) throws(ScheduleFault) {
        t += 1
        if t <= definition.warmup.steps {
            for g in plateaus.indices { plateaus[g].lr = definition.warmup.initLR + Double(t) * slopes[g] }
            return
        }
        if let restore {
            for g in plateaus.indices { plateaus[g].lr = restore[g] }
            self.restore = nil
        }
        if let metric {
            for g in plateaus.indices { plateaus[g].step(metric) }
        }
        if let noise = try definition.noise.noise(at: t) {
            restore = plateaus.map(\.lr)
            for g in plateaus.indices {
                let old = plateaus[g].lr
                plateaus[g].lr = old + old * noise
            }
        }
    }
}
