import Foundation

extension MMEngine {
    /// `MultiStepLR(optimizer, milestones, gamma=0.1, begin=0, end=INF, …)`: chainable
    /// `lr * gamma ** count` at window steps equal to a milestone (`count`: how often it is
    /// listed; a float milestone matches only a whole step). Source: `MultiStepParamScheduler`.
    struct MultiStepLR: MMEngineDefinition {
        static let name = "MultiStepLR"
        static let summary = "multiply the LR by gamma at each milestone of the window"
        static let milestones = Parameter(
            "milestones",
            type: "list[float]",
            default: .required,
            constraint: "a list of numbers",
            meaning: "window steps at which to decay"
        )
        static let gamma = Parameter.float("gamma", default: 0.1, "the factor per milestone")
        static let parameters = [milestones, gamma] + MMEngine.common

        var marks: [Double]
        let gamma: Double
        var window: MMEngineWindow

        init?(decoding params: inout ParamsReader) {
            marks = params.numberList(Self.milestones, maxCount: 10_000) ?? []
            gamma = params.double(Self.gamma)
            window = MMEngineWindow(&params)
            if params.hasIssues { return nil }
        }

        func scalingSteps(by epochLength: Double) -> MultiStepLR {
            var copy = self
            copy.marks = marks.map { $0 * epochLength }
            return copy
        }

        func build(on optimizer: MMEngineOptimizer) throws(ScheduleFault) -> MMEngineScheduler {
            try Scheduler(self, optimizer: optimizer).start()
        }

        final class Scheduler: MMEngineScheduler {
            let counts: [Double: Int]
            let gamma: Double
            init(_ definition: MultiStepLR, optimizer: MMEngineOptimizer) throws(ScheduleFault) {
                counts = Dictionary(definition.marks.map { ($0, 1) }, uniquingKeysWith: +)
                gamma = definition.gamma
                try super.init(optimizer: optimizer, window: definition.window)
            }

            override func update(_ lrs: inout [Double]) throws(ScheduleFault) {
                guard let count = counts[Double(lastStep)] else { return }
                let factor = Foundation.pow(gamma, Double(count))
                for g in lrs.indices { lrs[g] *= factor }
            }
        }
    }
}
