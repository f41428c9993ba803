import Foundation

extension DeepSpeed {
    /// `OneCycle(optimizer, cycle_min_lr, cycle_max_lr, decay_lr_rate=0.,
    /// cycle_first_step_size=2000, cycle_second_step_size=None, cycle_first_stair_count=0,
    /// cycle_second_stair_count=None, decay_step_size=0, cycle_momentum=True, cycle_min_mom=0.8,
    /// cycle_max_mom=0.9, decay_mom_rate=0.)`.
    ///
    /// With `bi = it + 1`, `T = first + second`, `cycle = floor(1 + bi / T)` and
    /// `x = 1 + bi / T - cycle`: `scale = x / r` when `x <= r` (`r = first / T`), else
    /// `(x - 1) / (r - 1)`; a positive stair count replaces it with
    /// `floor(pos * count / half) / count`. While `it < T`, `lr = min + (max - min) * scale`; after,
    /// `lr = min / (1 + decay_lr_rate * (it - T + 1) / decay_step_size)` (or `min` without decay).
    /// With `cycle_momentum` on an optimizer with `betas` (Adam, AdamW), `betas[0]` moves the
    /// other way, from `cycle_max_mom` down to `cycle_min_mom`, then grows by `decay_mom_rate`;
    /// the constructor sets it to `cycle_min_mom`. The constructor writes `cycle_min_lr`.
    /// Source: `deepspeed/runtime/lr_schedules.py`.
    struct OneCycle: DeepSpeedClosedForm {
        static let name = "OneCycle"
        static let summary = "one triangular cycle from cycle_min_lr up to cycle_max_lr and back, then decay"
        static let cycleMinLR = Parameter.perGroup("cycle_min_lr", "a number", "the LR at both ends of the cycle")
        static let cycleMaxLR = Parameter.perGroup("cycle_max_lr", "a number", "the LR at the peak of the cycle")
        static let decayLRRate = Parameter.float("decay_lr_rate", default: 0, "the LR decay rate after the cycle")
        static let firstStepSize = Parameter.float(
            "cycle_first_step_size",
            default: 2000,
            "a positive number",
            "steps of the rising half"
        )
        static let secondStepSize = Parameter(
            "cycle_second_step_size",
            type: "float",
            default: .described("cycle_first_step_size"),
            constraint: "a non-negative number",
            meaning: "steps of the falling half"
        )
        static let firstStairCount = Parameter.float(
            "cycle_first_stair_count",
            default: 0,
            "stairs of the rising half (0: continuous)"
        )
        static let secondStairCount = Parameter(
            "cycle_second_stair_count",
            type: "float",
            default: .described("cycle_first_stair_count"),
            constraint: "a number",
            meaning: "stairs of the falling half (0: continuous)"
        )
        static let decayStepSize = Parameter.float(
            "decay_step_size",
            default: 0,
            "steps per decay interval after the cycle (0: no decay)"
        )
        static let cycleMomentum = Parameter.bool(
            "cycle_momentum",
            default: true,
            "whether betas[0] cycles against the LR (Adam, AdamW; an optimizer without betas is left alone)"
        )
        static let cycleMinMom = Parameter.perGroup(
            "cycle_min_mom",
            default: 0.8,
            "a number",
            "betas[0] at the LR's peak"
        )
        static let cycleMaxMom = Parameter.perGroup(
            "cycle_max_mom",
            default: 0.9,
            "a number",
            "betas[0] at both ends of the cycle"
        )
        static let decayMomRate = Parameter.float(
            "decay_mom_rate",
            default: 0,
            "the growth rate of betas[0] after the cycle"
        )
        static let parameters = [
            cycleMinLR, cycleMaxLR, decayLRRate, firstStepSize, secondStepSize, firstStairCount, secondStairCount,
            decayStepSize, cycleMomentum, cycleMinMom, cycleMaxMom, decayMomRate, DeepSpeed.lastBatchIteration,
        ]

        let minLRs: [Double], maxLRs: [Double]
        let decayLR: Double, decayMom: Double
        let first: Double, second: Double, total: Double, ratio: Double
        let firstStairs: Double, secondStairs: Double
        let decayStep: Double
        let skipLRDecay: Bool, skipMomDecay: Bool
        let minMoms: [Double]?, maxMoms: [Double]?
        let lastIteration: Int

        init?(decoding params: inout ParamsReader) {
            DeepSpeed.refuseNone(&params, Self.parameters, except: [Self.cycleMomentum.name])
            minLRs = params.perGroup(Self.cycleMinLR)
            maxLRs = params.perGroup(Self.cycleMaxLR)
            decayLR = params.double(Self.decayLRRate)
            first = params.double(Self.firstStepSize)
            if !(first > 0) {
                params.record(Self.firstStepSize.name, "must be positive (DeepSpeed raises ValueError), got \(first)")
            }
            second = params.optionalDouble(Self.secondStepSize) ?? first
            if !(second >= 0) {
                params.record(
                    Self.secondStepSize.name,
                    "must be non-negative (DeepSpeed raises ValueError), got \(second)"
                )
            }
            total = first + second
            ratio = first / total
            firstStairs = params.double(Self.firstStairCount)
            secondStairs = params.optionalDouble(Self.secondStairCount) ?? firstStairs
            decayStep = params.double(Self.decayStepSize)
            decayMom = params.double(Self.decayMomRate)
            // `math.isclose(x, 0)` holds only for 0 itself.
            skipLRDecay = decayStep == 0 || decayLR == 0
            skipMomDecay = decayStep == 0 || decayMom == 0
            // Read for its truth value: `None` (null) turns cycling off, unlike an absent member.
            let cycle = DeepSpeed.truthy(&params, Self.cycleMomentum)
            let minMoms = params.perGroup(Self.cycleMinMom)
            let maxMoms = params.perGroup(Self.cycleMaxMom)
            let betas = params.option(DeepSpeed.optimizer) == "adam"
            self.minMoms = cycle && betas ? minMoms : nil
            self.maxMoms = cycle && betas ? maxMoms : nil
            lastIteration = params.int(DeepSpeed.lastBatchIteration, in: -(1 << 53)...(1 << 53))
            if params.hasIssues { return nil }
        }

        func initialLRs(bases: [Double]) -> [Double] { minLRs }

        func initialMomentums(groups: Int) -> [Double]? { minMoms }

        /// `_get_scale_factor()` at iteration `it`.
        func scale(at it: Int) -> Double {
            let bi = Double(it + 1)
            let cycle = (1 + bi / total).rounded(.down)
            let x = 1.0 + bi / total - cycle
            var scale: Double
            let stairs: Double
            if x <= ratio {
                scale = x / ratio
                stairs = firstStairs
            } else {
                scale = (x - 1) / (ratio - 1)
                stairs = secondStairs
            }
            if stairs > 0 {
                let position = PythonArithmetic.floatDivMod(bi, total).mod
                let stair =
                    position <= first ? position * stairs / first : (total - position) * stairs / second
                scale = stair.rounded(.down) / stairs
            }
            return scale
        }

        func lrs(at it: Int, bases: [Double], into lrs: inout [Double]) {
            if Double(it) < total {
                let scale = scale(at: it)
                for g in lrs.indices { lrs[g] = minLRs[g] + (maxLRs[g] - minLRs[g]) * scale }
            } else if skipLRDecay {
                lrs = minLRs
            } else {
                let factor = 1 + decayLR * ((Double(it) - total + 1) / decayStep)
                for g in lrs.indices { lrs[g] = minLRs[g] / factor }
            }
        }

        func momentums(at it: Int, into momentums: inout [Double]) {
            guard let minMoms, let maxMoms else { return }
            if Double(it) < total {
                let scale = scale(at: it)
                for g in momentums.indices { momentums[g] = maxMoms[g] - (maxMoms[g] - minMoms[g]) * scale }
            } else if skipMomDecay {
                momentums = maxMoms
            } else {
                let factor = 1 + decayMom * ((Double(it) - total + 1) / decayStep)
                for g in momentums.indices { momentums[g] = maxMoms[g] * factor }
            }
        }
    }
}
