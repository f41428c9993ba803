import Foundation

extension MMEngine {
    /// `CosineRestartLR(optimizer, periods, restart_weights=(1,), eta_min=None,
    /// eta_min_ratio=None, begin=0, end=INF, …)`.
    ///
    /// Cosine annealing restarted after each period: in period `i` (window steps from the sum of
    /// the earlier periods), step 0 is `base * restart_weights[i]`, then chainable
    /// `(1 + cos(pi s / p)) / (1 + cos(pi (s - 1) / p)) * (lr - eta_min) + eta_min`; after the
    /// last period the LR is left alone. Exactly one of `eta_min` and `eta_min_ratio` is
    /// required, and `restart_weights` must match `periods` in length. Source:
    /// `CosineRestartParamScheduler` in `param_scheduler.py`.
    struct CosineRestartLR: MMEngineDefinition {
        static let name = "CosineRestartLR"
        static let summary = "cosine annealing restarted after each period, scaled by restart_weights"
        static let periods = Parameter(
            "periods",
            type: "list[float]",
            default: .required,
            constraint: "a list of numbers",
            meaning: "the length of each cosine period, in window steps"
        )
        static let restartWeights = Parameter(
            "restart_weights",
            type: "list[float]",
            default: .described("[1]"),
            constraint: "a list as long as periods",
            meaning: "the base LR's factor at the start of each period"
        )
        static let etaMin = Parameter(
            "eta_min",
            type: "float",
            default: .none,
            constraint: "a number (this or eta_min_ratio)",
            meaning: "the minimum LR"
        )
        static let etaMinRatio = Parameter(
            "eta_min_ratio",
            type: "float",
            default: .none,
            constraint: "a number (this or eta_min)",
            meaning: "the minimum LR as a ratio of the base LR"
        )
        static let parameters = [periods, restartWeights, etaMin, etaMinRatio] + MMEngine.common

        var lengths: [Double]
        let weights: [Double]
        let floor: Double?, ratio: Double?
        var window: MMEngineWindow

        init?(decoding params: inout ParamsReader) {
            lengths = params.numberList(Self.periods, maxCount: 10_000) ?? []
            if params.contains(Self.restartWeights.name) {
                weights = params.numberList(Self.restartWeights, maxCount: 10_000) ?? []
            } else {
                _ = params.raw(Self.restartWeights.name)
                weights = [1]
            }
            floor = params.optionalDouble(Self.etaMin)
            ratio = params.optionalDouble(Self.etaMinRatio)
            if (floor == nil) == (ratio == nil) {
                params.record(
                    Self.etaMin.name,
                    "exactly one of eta_min and eta_min_ratio must be given (MMEngine asserts it)"
                )
            }
            window = MMEngineWindow(&params)
            if !params.hasIssues && lengths.count != weights.count {
                params.record(
                    Self.restartWeights.name,
                    "must be as long as periods (\(lengths.count)), got \(weights.count) (MMEngine asserts it)"
                )
            }
            if params.hasIssues { return nil }
        }

        func scalingSteps(by epochLength: Double) -> CosineRestartLR {
            var copy = self
            copy.lengths = lengths.map { $0 * epochLength }
            return copy
        }

        func build(on optimizer: MMEngineOptimizer) throws(ScheduleFault) -> MMEngineScheduler {
            try Scheduler(self, optimizer: optimizer).start()
        }

        final class Scheduler: MMEngineScheduler {
            let definition: CosineRestartLR
            let cumulative: [Double]

            init(_ definition: CosineRestartLR, optimizer: MMEngineOptimizer) throws(ScheduleFault) {
                self.definition = definition
                var sums: [Double] = []
                var sum = 0.0
                for p in definition.lengths {
                    sum += p
                    sums.append(sum)
                }
                cumulative = sums
                try super.init(optimizer: optimizer, window: definition.window)
            }

            override func update(_ lrs: inout [Double]) throws(ScheduleFault) {
                let t = Double(lastStep)
                guard let index = cumulative.firstIndex(where: { t < $0 }) else { return }
                let weight = definition.weights[index]
                let restart = index == 0 ? 0 : cumulative[index - 1]
                let period = definition.lengths[index]
                let s = t - restart
                // The ratio is every group's: computed (and refused) before the first write.
                let ratio = s == 0 ? 0 : try MMEngine.cosineRatio(step: s, period: period)
                for g in lrs.indices {
                    let etaMax = bases[g] * weight
                    let etaMin = definition.floor ?? bases[g] * (definition.ratio ?? 0)
                    lrs[g] = s == 0 ? etaMax : ratio * (lrs[g] - etaMin) + etaMin
                }
            }
        }
    }
}
