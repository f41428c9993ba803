import Foundation

extension MMEngine {
    /// `StepLR(optimizer, step_size, gamma=0.1, begin=0, end=INF, …)`: chainable `lr * gamma`
    /// at window steps that are non-zero multiples of `step_size` (Python's `%`, a float one
    /// when `step_size` is). Source: `StepParamScheduler` in `param_scheduler.py`.
    struct StepLR: MMEngineDefinition {
        static let name = "StepLR"
        static let summary = "multiply the LR by gamma every step_size steps of the window"
        static let stepSize = Parameter.float("step_size", default: nil, "a non-zero number", "steps between decays")
        static let gamma = Parameter.float("gamma", default: 0.1, "the factor per decay")
        static let parameters = [stepSize, gamma] + MMEngine.common

        var size: Double
        let gamma: Double
        var window: MMEngineWindow

        init?(decoding params: inout ParamsReader) {
            size = params.double(Self.stepSize)
            gamma = params.double(Self.gamma)
            window = MMEngineWindow(&params)
            if params.hasIssues { return nil }
        }

        func scalingSteps(by epochLength: Double) -> StepLR {
            var copy = self
            copy.size = size * epochLength
            return copy
        }

        func build(on optimizer: MMEngineOptimizer) throws(ScheduleFault) -> MMEngineScheduler {
            try Scheduler(self, optimizer: optimizer).start()
        }

        final class Scheduler: MMEngineScheduler {
            let size: Double, gamma: Double
            init(_ definition: StepLR, optimizer: MMEngineOptimizer) throws(ScheduleFault) {
                size = definition.size
                gamma = definition.gamma
                try super.init(optimizer: optimizer, window: definition.window)
            }

            override func update(_ lrs: inout [Double]) throws(ScheduleFault) {
                if lastStep == 0 { return }
                guard size != 0 else {
                    throw ScheduleFault(
                        size.rounded() == size
                            ? "ZeroDivisionError: integer modulo by zero" : "ZeroDivisionError: float modulo",
                        parameter: StepLR.stepSize.name
                    )
                }
                if fmod(Double(lastStep), size) != 0 { return }
                for g in lrs.indices { lrs[g] *= gamma }
            }
        }
    }
}
