extension MMEngine {
    /// `LinearLR(optimizer, start_factor=1/3, end_factor=1.0, begin=0, end=INF, …)`.
    ///
    /// Chainable: at window step 0 `lr * start_factor`, then
    /// `lr * (1 + (ef - sf) / (T * sf + (t - 1) * (ef - sf)))` with `T = end - begin - 1`, so the
    /// factor reaches `end_factor` at `end - 1`. Both factors must lie in [0, 1]. Source:
    /// `mmengine/optim/scheduler/param_scheduler.py` (`LinearParamScheduler`).
    struct LinearLR: MMEngineDefinition {
        static let name = "LinearLR"
        static let summary = "scale the LR linearly from start_factor to end_factor over the window"
        static let startFactor = Parameter.float(
            "start_factor",
            default: 1.0 / 3,
            "a number from 0 to 1",
            "the factor at the window's first step"
        )
        static let endFactor = Parameter.float(
            "end_factor",
            default: 1.0,
            "a number from 0 to 1",
            "the factor at the window's last step"
        )
        static let parameters = [startFactor, endFactor] + MMEngine.common

        let start: Double, finish: Double
        var window: MMEngineWindow

        init?(decoding params: inout ParamsReader) {
            start = params.double(Self.startFactor) { (0...1).contains($0) }
            finish = params.double(Self.endFactor) { (0...1).contains($0) }
            window = MMEngineWindow(&params)
            if params.hasIssues { return nil }
        }

        func build(on optimizer: MMEngineOptimizer) throws(ScheduleFault) -> MMEngineScheduler {
            try Scheduler(self, optimizer: optimizer).start()
        }

        final class Scheduler: MMEngineScheduler {
            let definition: LinearLR
            init(_ definition: LinearLR, optimizer: MMEngineOptimizer) throws(ScheduleFault) {
                self.definition = definition
                try super.init(optimizer: optimizer, window: definition.window)
            }

            override func update(_ lrs: inout [Double]) throws(ScheduleFault) {
                let sf = definition.start
                let ef = definition.finish
                if lastStep == 0 {
                    for g in lrs.indices { lrs[g] *= sf }
                    return
                }
                let total = window.end - window.begin - 1
                let denominator = total * sf + Double(lastStep - 1) * (ef - sf)
                guard denominator != 0 else { throw MMEngine.zeroDivision }
                let factor = 1.0 + (ef - sf) / denominator
                for g in lrs.indices { lrs[g] *= factor }
            }
        }
    }
}
