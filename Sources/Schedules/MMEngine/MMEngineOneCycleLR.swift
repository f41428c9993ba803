import Foundation

extension MMEngine {
    /// `OneCycleLR(optimizer, eta_max=0, total_steps=None, pct_start=0.3, anneal_strategy='cos',
    /// div_factor=25., final_div_factor=1e4, three_phase=False, begin=0, end=INF, …)`.
    ///
    /// torch's one-cycle policy over `total_steps` (default `end - begin`) window steps: from
    /// `eta_max / div_factor` up to `eta_max` until step `pct_start * T - 1`, then down to
    /// `initial / final_div_factor` at `T - 1` (with `three_phase`, back to the initial LR at
    /// `2 * pct_start * T - 2` first), by cosine or linear annealing. The constructor writes
    /// `initial_lr`, `max_lr` and `min_lr` into each group, ignoring the optimizer's LR. Step `T`
    /// extrapolates; step `T + 1` raises. `total_steps` must be an `int` and `pct_start` a
    /// `float`, as MMEngine checks. Source: `OneCycleParamScheduler` in `param_scheduler.py`.
    struct OneCycleLR: MMEngineDefinition {
        static let name = "OneCycleLR"
        static let summary = "one cycle up to eta_max and down, over total_steps window steps"
        static let etaMax = Parameter.perGroup("eta_max", default: 0, "a number", "the peak LR")
        static let totalSteps = Parameter(
            "total_steps",
            type: "int",
            default: .described("end - begin"),
            constraint: "a positive integer",
            meaning: "window steps of the cycle",
            acceptsIntegralFloat: false
        )
        static let pctStart = Parameter(
            "pct_start",
            type: "float",
            default: .float(0.3),
            constraint: "a float from 0 to 1 (an integer such as 0 is refused, as MMEngine checks the type)",
            meaning: "the share of the cycle spent rising"
        )
        static let annealStrategy = Parameter.choice(
            "anneal_strategy",
            default: "cos",
            ["cos", "linear"],
            "the annealing curve"
        )
        static let divFactor = Parameter.float("div_factor", default: 25, "initial LR = eta_max / div_factor")
        static let finalDivFactor = Parameter.float(
            "final_div_factor",
            default: 1e4,
            "final LR = initial LR / final_div_factor"
        )
        static let threePhase = Parameter.bool(
            "three_phase",
            default: false,
            "return to the initial LR before annealing to the final LR"
        )
        static let parameters =
            [etaMax, totalSteps, pctStart, annealStrategy, divFactor, finalDivFactor, threePhase] + MMEngine.common

        enum Anneal: String, CaseIterable { case cos, linear }

        let peaks: [Double]
        var steps: Int?
        let pct: Double
        let anneal: Anneal
        let divFactor: Double, finalDivFactor: Double
        let threePhase: Bool
        var window: MMEngineWindow

        init?(decoding params: inout ParamsReader) {
            peaks = params.perGroup(Self.etaMax)
            steps = params.optionalInt(Self.totalSteps, in: 1...(1 << 53))
            if case .double? = params.object.object[Self.pctStart.name] {
                pct = params.double(Self.pctStart) { (0...1).contains($0) }
            } else if params.contains(Self.pctStart.name) {
                let value = params.raw(Self.pctStart.name)?.shortDescription ?? "?"
                params.record(Self.pctStart.name, "must be \(Self.pctStart.constraint), got \(value)")
                pct = 0.3
            } else {
                _ = params.raw(Self.pctStart.name)
                pct = 0.3
            }
            anneal = params.choice(Self.annealStrategy, default: .cos)
            divFactor = params.double(Self.divFactor)
            finalDivFactor = params.double(Self.finalDivFactor)
            threePhase = params.bool(Self.threePhase)
            window = MMEngineWindow(&params)
            if params.hasIssues { return nil }
        }

        func scalingSteps(by epochLength: Double) -> OneCycleLR {
            var copy = self
            copy.steps = steps.map { Int(Double($0) * epochLength) }
            return copy
        }

        func build(on optimizer: MMEngineOptimizer) throws(ScheduleFault) -> MMEngineScheduler {
            let total = steps.map(Double.init) ?? (window.end - window.begin)
            var phases: [(end: Double, start: Key, finish: Key)]
            if threePhase {
                phases = [
                    (pct * total - 1, .initial, .max), (2 * pct * total - 2, .max, .initial),
                    (total - 1, .initial, .min),
                ]
            } else {
                phases = [(pct * total - 1, .initial, .max), (total - 1, .max, .min)]
            }
            if window.lastStep == -1 {
                // `max / div_factor`, then `initial / final_div_factor`: Python raises on a zero divisor.
                if divFactor == 0 { throw ScheduleFault(MMEngine.zeroDivision.message, parameter: Self.divFactor.name) }
                if finalDivFactor == 0 {
                    throw ScheduleFault(MMEngine.zeroDivision.message, parameter: Self.finalDivFactor.name)
                }
                optimizer.initialLRs = peaks.map { $0 / divFactor }
                optimizer.maxLRs = peaks
                optimizer.minLRs = peaks.map { $0 / divFactor / finalDivFactor }
            }
            return try Scheduler(self, total: total, phases: phases, optimizer: optimizer).start()
        }

        /// The group keys a phase anneals between.
        enum Key { case initial, max, min }

        final class Scheduler: MMEngineScheduler {
            let total: Double
            let phases: [(end: Double, start: Key, finish: Key)]
            let anneal: Anneal

            init(
                _ definition: OneCycleLR,
                total: Double,
                phases: [(end: Double, start: Key, finish: Key)],
                optimizer: MMEngineOptimizer
            ) throws(ScheduleFault) {
                self.total = total
                self.phases = phases
                anneal = definition.anneal
                try super.init(optimizer: optimizer, window: definition.window)
            }

            func value(_ key: Key, group: Int) -> Double {
                switch key {
                case .initial: optimizer.initialLRs?[group] ?? 0
                case .max: optimizer.maxLRs.isEmpty ? 0 : optimizer.maxLRs[group]
                case .min: optimizer.minLRs.isEmpty ? 0 : optimizer.minLRs[group]
                }
            }

            override func update(_ lrs: inout [Double]) throws(ScheduleFault) {
                let step = Double(lastStep)
                if step > total {
                    throw ScheduleFault(
                        "ValueError: Tried to step \(lastStep + 1) times. The specified number of total steps is \(MMEngine.number(total).shortDescription)",
                        parameter: OneCycleLR.totalSteps.name
                    )
                }
                // A phase with no length is refused inside the loop: the new values go in a copy.
                var updated = lrs
                for g in updated.indices {
                    var startStep = 0.0
                    for (i, phase) in phases.enumerated() {
                        if step <= phase.end || i == phases.count - 1 {
                            let span = phase.end - startStep
                            guard span != 0 else { throw MMEngine.zeroDivision }
                            let pct = (step - startStep) / span
                            let start = value(phase.start, group: g)
                            let end = value(phase.finish, group: g)
                            switch anneal {
                            case .cos: updated[g] = end + (start - end) / 2.0 * (Foundation.cos(Double.pi * pct) + 1)
                            case .linear: updated[g] = (end - start) * pct + start
                            }
                            break
                        }
                        startStep = phase.end
                    }
                }
                lrs = updated
            }
        }
    }
}
