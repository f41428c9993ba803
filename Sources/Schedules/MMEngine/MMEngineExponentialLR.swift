extension MMEngine {
    /// `ExponentialLR(optimizer, gamma, begin=0, end=INF, …)`: chainable `lr * gamma` at every
    /// window step but the first. Source: `ExponentialParamScheduler` in `param_scheduler.py`.
    struct ExponentialLR: MMEngineDefinition {
        static let name = "ExponentialLR"
        static let summary = "multiply the LR by gamma every step of the window"
        static let gamma = Parameter.float("gamma", "the factor per step")
        static let parameters = [gamma] + MMEngine.common

        let gamma: Double
        var window: MMEngineWindow

        init?(decoding params: inout ParamsReader) {
            gamma = params.double(Self.gamma)
            window = MMEngineWindow(&params)
            if params.hasIssues { return nil }
        }

        func build(on optimizer: MMEngineOptimizer) throws(ScheduleFault) -> MMEngineScheduler {
            try Scheduler(self, optimizer: optimizer).start()
        }

        final class Scheduler: MMEngineScheduler {
            let gamma: Double
            init(_ definition: ExponentialLR, optimizer: MMEngineOptimizer) throws(ScheduleFault) {
                gamma = definition.gamma
                try super.init(optimizer: optimizer, window: definition.window)
            }

            override func update(_ lrs: inout [Double]) throws(ScheduleFault) {
                if lastStep == 0 { return }
                for g in lrs.indices { lrs[g] *= gamma }
            }
        }
    }
}
