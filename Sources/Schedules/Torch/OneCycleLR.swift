import JSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `torch.optim.lr_scheduler.OneCycleLR`: warm up from `max_lr / div_factor` to `max_lr`, then
/// anneal to `initial_lr / final_div_factor` (optionally through a third phase), per batch.
///
/// Phases end at `float(pct_start * T) - 1`, (three-phase: `float(2 * pct_start * T) - 2`) and
/// `T - 1`; within a phase `pct = (t - start) / (end - start)` and the LR is
/// `end + (start - end) / 2.0 * (cos(pi * pct) + 1)` (cos) or `(end - start) * pct + start`
/// (linear). `step()` may be called `T` times (the T-th extrapolates past `min_lr`); one more
/// raises `ValueError`, as in torch. Construction writes `initial_lr`, `max_lr` and `min_lr`
/// into the group (not with `setdefault`: it overwrites).
final class OneCycleLR: LRScheduler {
    /// `anneal_strategy`.
    enum Anneal: String, CaseIterable, Sendable { case cos, linear }

    /// The group entries a phase anneals between (torch names them by string key).
    enum Key { case initialLR, maxLR, minLR, maxMomentum, baseMomentum }

    struct Phase {
        var endStep: Double
        var startLR: Key
        var endLR: Key
        var startMomentum: Key
        var endMomentum: Key
    }

    let totalSteps: Int
    let phases: [Phase]
    let anneal: Anneal
    let cycleMomentum: Bool

    init(
        group: ParamGroup,
        maxLR: Double,
        totalSteps: Int,
        pctStart: Double,
        anneal: Anneal,
        divFactor: Double,
        finalDivFactor: Double,
        threePhase: Bool,
        momentumRange: (base: Double, max: Double)?
    ) throws {
        self.totalSteps = totalSteps
        let t = Double(totalSteps)
        if threePhase {
            phases = [
                Phase(
                    endStep: pctStart * t - 1,
                    startLR: .initialLR,
                    endLR: .maxLR,
                    startMomentum: .maxMomentum,
                    endMomentum: .baseMomentum
                ),
                Phase(
                    endStep: 2 * pctStart * t - 2,
                    startLR: .maxLR,
                    endLR: .initialLR,
                    startMomentum: .baseMomentum,
                    endMomentum: .maxMomentum
                ),
                Phase(
                    endStep: Double(totalSteps - 1),
                    startLR: .initialLR,
                    endLR: .minLR,
                    startMomentum: .maxMomentum,
                    endMomentum: .maxMomentum
                ),
            ]
        } else {
            phases = [
                Phase(
                    endStep: pctStart * t - 1,
                    startLR: .initialLR,
                    endLR: .maxLR,
                    startMomentum: .maxMomentum,
                    endMomentum: .baseMomentum
                ),
                Phase(
                    endStep: Double(totalSteps - 1),
                    startLR: .maxLR,
                    endLR: .minLR,
                    startMomentum: .baseMomentum,
                    endMomentum: .maxMomentum
                ),
            ]
        }
        self.anneal = anneal
        self.cycleMomentum = momentumRange != nil
        if let momentumRange {
            group.momentum = momentumRange.max
            group.maxMomentum = momentumRange.max
            group.baseMomentum = momentumRange.base
        }
        do {
            let initial = try PythonFloat.divide(maxLR, divFactor)
            group.initialLR = initial
            group.maxLR = maxLR
            group.minLR = try PythonFloat.divide(initial, finalDivFactor)
        } catch {
            throw error.scheduleFault
        }
        super.init(group: group)
        try initialStep()
    }

    override func getLR() throws -> Double {
        let stepNum = lastEpoch
        if stepNum > totalSteps {
            throw ScheduleFault(
                "ValueError: Tried to step \(stepNum) times. The specified number of total steps is \(totalSteps)",
                parameter: "total_steps"
            )
        }
        let step = PythonFloat.float(stepNum)
        var startStep = 0.0
        for i in phases.indices {
            let phase = phases[i]
            let endStep = phase.endStep
            if step <= endStep || i == phases.count - 1 {
                let pct = try PythonFloat.divide(step - startStep, endStep - startStep)
                if cycleMomentum {
                    group.momentum = annealed(value(phase.startMomentum), value(phase.endMomentum), pct)
                }
                return annealed(value(phase.startLR), value(phase.endLR), pct)
            }
            startStep = phase.endStep
        }
        return unchanged
    }

    /// `group[key]`.
    private func value(_ key: Key) -> Double {
        switch key {
        case .initialLR: group.initialLR ?? group.lr
        case .maxLR: group.maxLR
        case .minLR: group.minLR
        case .maxMomentum: group.maxMomentum
        case .baseMomentum: group.baseMomentum
        }
    }

    /// `_annealing_cos` or `_annealing_linear` from `start` to `end` at `pct`.
    private func annealed(_ start: Double, _ end: Double, _ pct: Double) -> Double {
        switch anneal {
        case .cos:
            let cosOut = cos(Double.pi * pct) + 1
            return end + (start - end) / 2.0 * cosOut
        case .linear:
            return (end - start) * pct + start
        }
    }
}

extension OneCycleLR {
    /// `OneCycleLR(optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
    /// pct_start=0.3, anneal_strategy='cos', cycle_momentum=True, base_momentum=0.85,
    /// max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False)`.
    struct Definition: TorchScheduler {
        static let name = "OneCycleLR"
        static let summary = "the 1cycle policy: warm up to max_lr, then anneal far below the start, per batch"
        static let learningRate = LearningRatePolicy.optional(default: 0.001)
        static let maxLR = Parameter.perGroup("max_lr", "a positive number", "the peak LR")
        static let totalSteps = Parameter(
            "total_steps",
            type: "int",
            default: .none,
            constraint: "a positive integer, not a float (torch checks isinstance(total_steps, int))",
            meaning: "the number of steps in the cycle (or give epochs and steps_per_epoch)",
            acceptsIntegralFloat: false
        )
        static let epochs = Parameter(
            "epochs",
            type: "int",
            default: .none,
            constraint: "a positive integer, not a float (torch checks isinstance(epochs, int))",
            meaning: "with steps_per_epoch, total_steps = epochs × steps_per_epoch",
            acceptsIntegralFloat: false
        )
        static let stepsPerEpoch = Parameter(
            "steps_per_epoch",
            type: "int",
            default: .none,
            constraint: "a positive integer, not a float (torch checks isinstance(steps_per_epoch, int))",
            meaning: "with epochs, total_steps = epochs × steps_per_epoch",
            acceptsIntegralFloat: false
        )
        static let pctStart = Parameter.float(
            "pct_start",
            default: 0.3,
            "a float in [0, 1]",
            "the fraction of the cycle spent warming up"
        )
        static let anneal = Parameter.choice(
            "anneal_strategy",
            default: "cos",
            Anneal.allCases.map(\.rawValue),
            "the shape of each phase"
        )
        static let divFactor = Parameter.float(
            "div_factor",
            default: 25.0,
            "a positive number",
            "initial_lr = max_lr / div_factor"
        )
        static let finalDivFactor = Parameter.float(
            "final_div_factor",
            default: 1e4,
            "a positive number",
            "min_lr = initial_lr / final_div_factor"
        )
        static let threePhase = Parameter.bool(
            "three_phase",
            default: false,
            "whether a third phase anneals back to initial_lr before min_lr"
        )
        static let parameters =
            [maxLR, totalSteps, epochs, stepsPerEpoch, pctStart, anneal]
            + MomentumCycle.parameters(base: 0.85, max: 0.95) + [divFactor, finalDivFactor, threePhase]
        let maxLR: [Double], totalSteps: Int, pctStart: Double, anneal: Anneal
        let divFactor: Double, finalDivFactor: Double, threePhase: Bool
        let momentum: MomentumCycle

        init?(decoding params: inout ParamsReader) {
            maxLR = params.perGroup(Self.maxLR) { $0 > 0 }
            var totalSteps = 1
            if params.contains("total_steps") {
                totalSteps = params.int(Self.totalSteps, in: 1...Int.max)
                _ = params.raw("epochs")
                _ = params.raw("steps_per_epoch")
            } else if params.contains("epochs") && params.contains("steps_per_epoch") {
                let e = params.int(Self.epochs, in: 1...Int.max)
                let s = params.int(Self.stepsPerEpoch, in: 1...Int.max)
                let (product, overflow) = e.multipliedReportingOverflow(by: s)
                if overflow { params.record("steps_per_epoch", "epochs × steps_per_epoch is too large") }
                totalSteps = product
            } else {
                _ = params.raw("total_steps")
                _ = params.raw("epochs")
                _ = params.raw("steps_per_epoch")
                params.record("total_steps", "is required: give `total_steps`, or both `epochs` and `steps_per_epoch`")
            }
            self.totalSteps = totalSteps
            var pct = 0.3
            if let value = params.raw("pct_start") {
                // torch requires a Python float here: an integer literal such as 1 is refused.
                if case .double(let d) = value, d >= 0, d <= 1 {
                    pct = d
                } else {
                    params.record(
                        "pct_start",
                        "must be a float in [0, 1] (torch refuses ints: write 1.0, not 1), got \(value.shortDescription)"
                    )
                }
            }
            pctStart = pct
            anneal = params.choice(Self.anneal, default: .cos)
            momentum = MomentumCycle(&params, base: 0.85, max: 0.95)
            divFactor = params.double(Self.divFactor) { $0 > 0 }
            finalDivFactor = params.double(Self.finalDivFactor) { $0 > 0 }
            threePhase = params.bool(Self.threePhase)
            if params.hasIssues { return nil }
        }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            do {
                return try OneCycleLR(
                    group: group,
                    maxLR: maxLR[index],
                    totalSteps: totalSteps,
                    pctStart: pctStart,
                    anneal: anneal,
                    divFactor: divFactor,
                    finalDivFactor: finalDivFactor,
                    threePhase: threePhase,
                    momentumRange: momentum.range(index)
                )
            } catch { throw ScheduleFault(torch: error) }
        }
    }
}
