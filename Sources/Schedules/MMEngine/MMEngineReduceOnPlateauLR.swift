extension MMEngine {
    /// `ReduceOnPlateauLR(optimizer, monitor='loss', rule='less', factor=0.1, patience=10,
    /// threshold=1e-4, threshold_rule='rel', cooldown=0, min_value=0., eps=1e-8, begin=0,
    /// end=INF, …)`.
    ///
    /// `step({monitor: m})` compares `m` with the best so far (which starts at ±1e9, MMEngine's
    /// `INF`): after more than `patience` steps without improvement, outside cooldown, each
    /// group's LR becomes `max(lr * factor, min_value)` if that lowers it by more than `eps`.
    /// The constructor takes no step, and only a `step()` without metrics moves the global step
    /// that `begin`/`end` are compared with (the Runner's, after each epoch). `by_epoch` must be
    /// true. Source: `ReduceOnPlateauParamScheduler` in `param_scheduler.py`.
    struct ReduceOnPlateauLR: MMEngineDefinition {
        static let name = "ReduceOnPlateauLR"
        static let summary = "reduce the LR by factor when the monitored metric stops improving"
        static let takesMetrics = true
        static let monitor = Parameter(
            "monitor",
            type: "string",
            default: .string("loss"),
            constraint: "a string",
            meaning: "the metric's key (each request metric is passed as {monitor: value})"
        )
        static let rule = Parameter.choice(
            "rule",
            default: "less",
            ["less", "greater"],
            "whether lower or higher is better"
        )
        static let factor = Parameter.float("factor", default: 0.1, "a number below 1", "the factor of each reduction")
        static let patience = Parameter.float(
            "patience",
            default: 10,
            "a number",
            "steps without improvement before reducing"
        )
        static let threshold = Parameter.float(
            "threshold",
            default: 1e-4,
            "a non-negative number",
            "how much better counts as better"
        )
        static let thresholdRule = Parameter.choice(
            "threshold_rule",
            default: "rel",
            ["rel", "abs"],
            "whether threshold is relative or absolute"
        )
        static let cooldown = Parameter.float("cooldown", default: 0, "steps to wait after a reduction")
        static let minValue = Parameter.perGroup("min_value", default: 0, "a number", "the floor of each group's LR")
        static let eps = Parameter.float("eps", default: 1e-8, "the smallest change applied")
        static let parameters =
            [monitor, rule, factor, patience, threshold, thresholdRule, cooldown, minValue, eps] + MMEngine.common

        enum Rule: String, CaseIterable { case less, greater }
        enum ThresholdRule: String, CaseIterable { case rel, abs }

        let greater: Bool, relative: Bool
        let factor: Double, patience: Double, threshold: Double, cooldown: Double, eps: Double
        let floors: [Double]
        var window: MMEngineWindow

        init?(decoding params: inout ParamsReader) {
            if let value = params.raw(Self.monitor.name), !(value.stringValue != nil || value == .null) {
                params.record(Self.monitor.name, "must be a string, got \(value.shortDescription)")
            }
            greater = params.choice(Self.rule, default: Rule.less) == .greater
            factor = params.double(Self.factor) { $0 < 1 }
            patience = params.double(Self.patience)
            threshold = params.double(Self.threshold) { $0 >= 0 }
            relative = params.choice(Self.thresholdRule, default: ThresholdRule.rel) == .rel
            cooldown = params.double(Self.cooldown)
            floors = params.perGroup(Self.minValue)
            eps = params.double(Self.eps)
            window = MMEngineWindow(&params)
            if !window.byEpoch {
                params.record(MMEngine.byEpoch.name, "must be true: ReduceOnPlateauLR only supports by_epoch=True")
            }
            if params.hasIssues { return nil }
        }

        func build(on optimizer: MMEngineOptimizer) throws(ScheduleFault) -> MMEngineScheduler {
            // No closing step(): the global step starts at 0.
            try Scheduler(self, optimizer: optimizer)
        }

        final class Scheduler: MMEngineScheduler {
            let definition: ReduceOnPlateauLR
            var best: Double
            var badSteps = 0.0
            var cooldownLeft = 0.0

            init(_ definition: ReduceOnPlateauLR, optimizer: MMEngineOptimizer) throws(ScheduleFault) {
                self.definition = definition
                best = definition.greater ? -MMEngine.infinity : MMEngine.infinity
                try super.init(optimizer: optimizer, window: definition.window)
                globalStep = 0
            }

            /// `step()` without metrics: only the global step moves.
            override func step() throws(ScheduleFault) { globalStep += 1 }

            override func step(metric: Double?) throws(ScheduleFault) {
                guard let metric else { return try step() }
                let at = Double(globalStep)
                guard window.begin <= at && at < window.end else { return }
                lastStep += 1
                let d = definition
                let better: Bool
                switch (d.greater, d.relative) {
                case (false, true): better = metric < best * (1.0 - d.threshold)
                case (false, false): better = metric < best - d.threshold
                case (true, true): better = metric > best * (d.threshold + 1.0)
                case (true, false): better = metric > best + d.threshold
                }
                if better {
                    best = metric
                    badSteps = 0
                } else {
                    badSteps += 1
                }
                if cooldownLeft > 0 {
                    cooldownLeft -= 1
                    badSteps = 0
                }
                if badSteps > d.patience {
                    for g in optimizer.lrs.indices {
                        let value = PythonFloat.max(optimizer.lrs[g] * d.factor, d.floors[g])
                        if optimizer.lrs[g] - value > d.eps { optimizer.lrs[g] = value }
                    }
                    cooldownLeft = d.cooldown
                    badSteps = 0
                }
            }
        }
    }
}
