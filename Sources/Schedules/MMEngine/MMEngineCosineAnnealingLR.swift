import Foundation

extension MMEngine {
    /// `CosineAnnealingLR(optimizer, T_max=None, eta_min=None, begin=0, end=INF, …,
    /// eta_min_ratio=None)`.
    ///
    /// torch's recursive (chainable) cosine: unchanged at window step 0; at steps where
    /// `(t - 1 - T) % 2T == 0`, `lr + (base - eta_min) * (1 - cos(pi / T)) / 2`; otherwise
    /// `(1 + cos(pi t / T)) / (1 + cos(pi (t - 1) / T)) * (lr - eta_min) + eta_min`. `T` is
    /// `T_max`, or `end - begin` when it is absent or 0; `eta_min` defaults to 0 and
    /// `eta_min_ratio` (exclusive with it) makes it `base * ratio`. Source:
    /// `CosineAnnealingParamScheduler` in `param_scheduler.py`.
    struct CosineAnnealingLR: MMEngineDefinition {
        static let name = "CosineAnnealingLR"
        static let summary = "cosine annealing from the base LR to eta_min over T_max window steps"
        static let tMax = Parameter(
            "T_max",
            type: "float",
            default: .described("end - begin"),
            constraint: "a number",
            meaning: "steps of the half cosine (0 or absent: end - begin)"
        )
        static let etaMin = Parameter(
            "eta_min",
            type: "float",
            default: .described("0 unless eta_min_ratio is given"),
            constraint: "a number",
            meaning: "the minimum LR"
        )
        static let etaMinRatio = Parameter(
            "eta_min_ratio",
            type: "float",
            default: .none,
            constraint: "a number",
            meaning: "the minimum LR as a ratio of the base LR (instead of eta_min)"
        )
        static let parameters = [tMax, etaMin] + MMEngine.common + [etaMinRatio]

        var period: Double?
        let floor: Double?, ratio: Double?
        var window: MMEngineWindow

        init?(decoding params: inout ParamsReader) {
            period = params.optionalDouble(Self.tMax)
            let floor = params.optionalDouble(Self.etaMin)
            ratio = params.optionalDouble(Self.etaMinRatio)
            if floor != nil && ratio != nil {
                params.record(Self.etaMinRatio.name, "cannot be given with eta_min (MMEngine asserts one or the other)")
            }
            self.floor = floor ?? (ratio == nil ? 0 : nil)
            window = MMEngineWindow(&params)
            if params.hasIssues { return nil }
        }

        func scalingSteps(by epochLength: Double) -> CosineAnnealingLR {
            var copy = self
            copy.period = period.map { $0 * epochLength }
            return copy
        }

        func build(on optimizer: MMEngineOptimizer) throws(ScheduleFault) -> MMEngineScheduler {
            try Scheduler(self, optimizer: optimizer).start()
        }

        final class Scheduler: MMEngineScheduler {
            let period: Double
            let floor: Double?, ratio: Double?
            init(_ definition: CosineAnnealingLR, optimizer: MMEngineOptimizer) throws(ScheduleFault) {
                let window = definition.window
                // `T_max or (end - begin)`: 0 and None both take the window's length.
                period = definition.period.flatMap { $0 == 0 ? nil : $0 } ?? (window.end - window.begin)
                floor = definition.floor
                ratio = definition.ratio
                try super.init(optimizer: optimizer, window: window)
            }

            func etaMin(_ base: Double) -> Double { floor ?? base * (ratio ?? 0) }

            override func update(_ lrs: inout [Double]) throws(ScheduleFault) {
                if lastStep == 0 { return }
                let t = Double(lastStep)
                if fmod(t - 1 - period, 2 * period) == 0 {
                    let bump = 1 - Foundation.cos(Double.pi / period)
                    for g in lrs.indices { lrs[g] = lrs[g] + (bases[g] - etaMin(bases[g])) * bump / 2 }
                    return
                }
                let ratio = try MMEngine.cosineRatio(step: t, period: period)
                for g in lrs.indices {
                    let eta = etaMin(bases[g])
                    lrs[g] = ratio * (lrs[g] - eta) + eta
                }
            }
        }
    }
}
