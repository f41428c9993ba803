import JSON

/// `torch.optim.lr_scheduler.StepLR`: decay by `gamma` every `step_size` epochs.
///
/// Chainable form (what `step()` uses): `lr *= gamma` when `t > 0 and t % step_size == 0`.
/// Closed form (SequentialLR restarts): `base * gamma ** (t // step_size)`.
/// Constraints: `step_size` a non-zero integer (torch accepts negative sizes: Python `%` makes them act like their magnitude). Example, base 0.1, step_size 10, gamma 0.9:
/// t = 0…9 → 0.1, t = 10…19 → 0.09000000000000001, t = 20 → 0.08100000000000002.
final class StepLR: LRScheduler {
    let stepSize: Int
    let gamma: Double

    init(group: ParamGroup, pointer: JSONPointer, stepSize: Int, gamma: Double) throws {
        self.stepSize = stepSize
        self.gamma = gamma
        super.init(group: group, pointer: pointer)
        try initialStep()
    }

    override func getLR() throws -> Double {
        let t = lastEpoch, size = stepSize
        if try t == 0 || PythonFloat.modulo(t, size) != 0 {
            return unchanged
        }
        return group.lr * gamma
    }

    override func closedFormLR() throws -> Double? {
        let t = lastEpoch, size = stepSize, gamma = gamma
        return baseLR * (try PythonFloat.power(gamma, Double(try PythonFloat.floorDivide(t, size))))
    }
}

/// `torch.optim.lr_scheduler.MultiStepLR`: decay by `gamma` at each milestone.
///
/// Milestones form a multiset (torch's `Counter`): a milestone listed twice applies
/// `gamma ** 2` at that epoch. Chainable: `lr *= gamma ** count(t)`; closed form:
/// `base * gamma ** bisect_right(sorted(milestones), t)`. The decay takes effect at `t == m`.
final class MultiStepLR: LRScheduler {
    /// Milestone → multiplicity.
    let counts: [Int: Int]
    let sortedMilestones: [Int]
    let gamma: Double

    init(group: ParamGroup, pointer: JSONPointer, milestones: [Int], gamma: Double) throws {
        var counts: [Int: Int] = [:]
        for m in milestones { counts[m, default: 0] += 1 }
        self.counts = counts
        self.sortedMilestones = milestones.sorted()
        self.gamma = gamma
        super.init(group: group, pointer: pointer)
        try initialStep()
    }

    override func getLR() throws -> Double {
        guard let count = counts[lastEpoch] else { return unchanged }
        let gamma = gamma
        return group.lr * (try PythonFloat.power(gamma, Double(count)))
    }

    override func closedFormLR() throws -> Double? {
        var passed = 0
        for m in sortedMilestones where m <= lastEpoch { passed += 1 }
        let gamma = gamma
        return baseLR * (try PythonFloat.power(gamma, Double(passed)))
    }
}

/// `torch.optim.lr_scheduler.ExponentialLR`: `lr *= gamma` every epoch (not at the initial step).
/// Closed form: `base * gamma ** t`.
final class ExponentialLR: LRScheduler {
    let gamma: Double

    init(group: ParamGroup, pointer: JSONPointer, gamma: Double) throws {
        self.gamma = gamma
        super.init(group: group, pointer: pointer)
        try initialStep()
    }

    override func getLR() throws -> Double {
        if isInitial { return unchanged }
        return group.lr * gamma
    }

    override func closedFormLR() throws -> Double? {
        let gamma = gamma, t = lastEpoch
        return baseLR * (try PythonFloat.power(gamma, Double(t)))
    }
}
