extension MMEngine {
    /// `ConstantLR(optimizer, factor=1/3, begin=0, end=INF, …)`.
    ///
    /// Chainable: `lr * factor` at window step 0, `lr * (1.0 / factor)` at step
    /// `T = end - begin - 1` (never when `T` is not a whole step), unchanged otherwise. `factor`
    /// must lie in [0, 1]. Source: `ConstantParamScheduler` in `param_scheduler.py`.
    struct ConstantLR: MMEngineDefinition {
        static let name = "ConstantLR"
        static let summary = "multiply the LR by factor until the window's last step"
        static let factor = Parameter.float("factor", default: 1.0 / 3, "a number from 0 to 1", "the factor")
        static let parameters = [factor] + MMEngine.common

        let factor: Double
        var window: MMEngineWindow

        init?(decoding params: inout ParamsReader) {
            factor = params.double(Self.factor) { (0...1).contains($0) }
            window = MMEngineWindow(&params)
            if params.hasIssues { return nil }
        }

        func build(on optimizer: MMEngineOptimizer) throws(ScheduleFault) -> MMEngineScheduler {
            try Scheduler(self, optimizer: optimizer).start()
        }

        final class Scheduler: MMEngineScheduler {
            let factor: Double
            init(_ definition: ConstantLR, optimizer: MMEngineOptimizer) throws(ScheduleFault) {
                factor = definition.factor
                try super.init(optimizer: optimizer, window: definition.window)
            }

            override func update(_ lrs: inout [Double]) throws(ScheduleFault) {
                if lastStep == 0 {
                    for g in lrs.indices { lrs[g] *= factor }
                    return
                }
                let total = window.end - window.begin - 1
                guard Double(lastStep) == total else { return }
                guard factor != 0 else { throw MMEngine.zeroDivision }
                let inverse = 1.0 / factor
                for g in lrs.indices { lrs[g] *= inverse }
            }
        }
    }
}
