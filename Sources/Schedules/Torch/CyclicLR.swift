#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JSON

/// `torch.optim.lr_scheduler.CyclicLR`: a triangular wave between `base_lr` and `max_lr`,
/// stepped per batch.
///
/// With `t = last_epoch`, `total = step_size_up + step_size_down`, `ratio = step_size_up / total`:
/// `cycle = floor(1 + t / total)`, `x = 1.0 + t / total - cycle`,
/// `scale = x / ratio` if `x <= ratio` else `(x - 1) / (ratio - 1)`,
/// `lr = base_lr + (max_lr - base_lr) * scale * scale_fn(cycle or t)`, where `scale_fn` is 1
/// (`triangular`), `1 / 2.0 ** (cycle - 1)` (`triangular2`) or `gamma ** t` (`exp_range`).
/// Construction overwrites the optimizer's LR with `base_lr`. With `cycle_momentum` the
/// optimizer's momentum moves inversely: `max_momentum - (max_momentum - base_momentum) * scale
/// * scale_fn(...)`, starting at `max_momentum`. Example base 0.1, max 1, up = down = 2:
/// 0.1, 0.55, 1.0, 0.55, 0.1.
final class CyclicLR: LRScheduler {
    /// The scaling policy of `mode`.
    enum Mode: String, CaseIterable, Sendable {
        case triangular, triangular2, expRange = "exp_range"
    }

    let maxLR: Double
    let totalSize: Double
    let stepRatio: Double
    let mode: Mode
    let gamma: Double
    /// `(base_momentum, max_momentum)` when `cycle_momentum` is on.
    let momentumRange: (base: Double, max: Double)?

    init(group: ParamGroup, pointer: JSONPointer, baseLR: Double, maxLR: Double,
         stepSizeUp: Double, stepSizeDown: Double?, mode: Mode, gamma: Double,
         momentumRange: (base: Double, max: Double)?) throws {
        group.lr = baseLR
        self.momentumRange = momentumRange
        if let momentumRange {
            group.momentum = momentumRange.max
            group.maxMomentum = momentumRange.max
            group.baseMomentum = momentumRange.base
        }
        self.maxLR = maxLR
        let down = stepSizeDown ?? stepSizeUp
        self.totalSize = stepSizeUp + down
        do {
            self.stepRatio = try PythonFloat.divide(stepSizeUp, totalSize)
        } catch {
            throw ScheduleError.evaluationFailed(FieldIssue(pointer, error.message), epoch: 0)
        }
        self.mode = mode
        self.gamma = gamma
        super.init(group: group, pointer: pointer)
        // torch's initial step runs with base_lrs taken from `initial_lr` (which may predate
        // this scheduler); only afterwards does the constructor set base_lrs to base_lr.
        try initialStep()
        self.baseLR = baseLR
    }

    override func getLR() throws -> Double {
        let t = Double(lastEpoch)
        let cycle = try PythonFloat.floor(1 + (try PythonFloat.divide(t, totalSize)))
        let x = 1.0 + (try PythonFloat.divide(t, totalSize)) - Double(cycle)
        let scale: Double
        if x <= stepRatio {
            scale = try PythonFloat.divide(x, stepRatio)
        } else {
            scale = try PythonFloat.divide(x - 1, stepRatio - 1)
        }
        // torch's order: height = (max - base) * scale, then base + height * scale_fn(...)
        let scaleFn = try scaleFunction(cycle: cycle, t: t)
        if let (baseMomentum, maxMomentum) = momentumRange {
            group.momentum = maxMomentum - (maxMomentum - baseMomentum) * scale * scaleFn
        }
        return baseLR + (maxLR - baseLR) * scale * scaleFn
    }

    /// `scale_fn(cycle)` (triangular, triangular2) or `scale_fn(last_epoch)` (exp_range).
    private func scaleFunction(cycle: Int, t: Double) throws -> Double {
        switch mode {
        case .triangular: 1.0  // `height * 1.0` is exact, as in torch
        case .triangular2: try PythonFloat.divide(1, try PythonFloat.power(2.0, Double(cycle - 1)))
        case .expRange: try PythonFloat.power(gamma, t)
        }
    }
}

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

    init(group: ParamGroup, pointer: JSONPointer, maxLR: Double, totalSteps: Int, pctStart: Double,
         anneal: Anneal, divFactor: Double, finalDivFactor: Double, threePhase: Bool,
         momentumRange: (base: Double, max: Double)?) throws {
        self.totalSteps = totalSteps
        let t = Double(totalSteps)
        if threePhase {
            phases = [
                Phase(endStep: pctStart * t - 1, startLR: .initialLR, endLR: .maxLR,
                      startMomentum: .maxMomentum, endMomentum: .baseMomentum),
                Phase(endStep: 2 * pctStart * t - 2, startLR: .maxLR, endLR: .initialLR,
                      startMomentum: .baseMomentum, endMomentum: .maxMomentum),
                Phase(endStep: Double(totalSteps - 1), startLR: .initialLR, endLR: .minLR,
                      startMomentum: .maxMomentum, endMomentum: .maxMomentum),
            ]
        } else {
            phases = [
                Phase(endStep: pctStart * t - 1, startLR: .initialLR, endLR: .maxLR,
                      startMomentum: .maxMomentum, endMomentum: .baseMomentum),
                Phase(endStep: Double(totalSteps - 1), startLR: .maxLR, endLR: .minLR,
                      startMomentum: .baseMomentum, endMomentum: .maxMomentum),
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
            throw ScheduleError.evaluationFailed(FieldIssue(pointer, error.message), epoch: 0)
        }
        super.init(group: group, pointer: pointer)
        try initialStep()
    }

    override func getLR() throws -> Double {
        let stepNum = lastEpoch
        if stepNum > totalSteps {
            throw ScheduleError.evaluationFailed(
                FieldIssue(pointer.appending("total_steps"),
                           "ValueError: Tried to step \(stepNum) times. The specified number of total steps is \(totalSteps)"),
                epoch: stepNum)
        }
        var startStep = 0.0
        for i in phases.indices {
            let phase = phases[i]
            let endStep = phase.endStep
            if Double(stepNum) <= endStep || i == phases.count - 1 {
                let pct = try PythonFloat.divide(Double(stepNum) - startStep, endStep - startStep)
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
