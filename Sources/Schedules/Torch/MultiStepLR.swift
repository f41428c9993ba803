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

    init(group: ParamGroup, milestones: [Int], gamma: Double) throws {
        var counts: [Int: Int] = [:]
        for m in milestones { counts[m, default: 0] += 1 }
        self.counts = counts
        self.sortedMilestones = milestones.sorted()
        self.gamma = gamma
        super.init(group: group)
        try initialStep()
    }

    override func getLR() throws -> Double {
        guard let count = counts[lastEpoch] else { return unchanged }
        let gamma = gamma
        return group.lr * (try PythonFloat.power(gamma, PythonFloat.float(count)))
    }

    override func closedFormLR() throws -> Double? {
        var passed = 0
        for m in sortedMilestones where m <= lastEpoch { passed += 1 }
        let gamma = gamma
        return baseLR * (try PythonFloat.power(gamma, PythonFloat.float(passed)))
    }
}

extension MultiStepLR {
    /// `MultiStepLR(optimizer, milestones, gamma=0.1)`.
    struct Definition: TorchScheduler {
        static let name = "MultiStepLR"
        static let summary = "decay by gamma at each milestone epoch"
        static let milestones = Parameter(
            "milestones",
            type: "list[int]",
            default: .required,
            constraint: "a list of integer epochs",
            meaning: "the epochs at which the LR decays (repeats multiply)"
        )
        static let gamma = Parameter.float("gamma", default: 0.1, "the decay factor")
        static let parameters = [milestones, gamma]
        let milestones: [Int]
        let gamma: Double

        init?(decoding params: inout ParamsReader) {
            let milestones = params.intList(Self.milestones, maxCount: TorchFamily.maxMilestones)
            gamma = params.double(Self.gamma)
            guard let milestones, !params.hasIssues else { return nil }
            self.milestones = milestones
        }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            do { return try MultiStepLR(group: group, milestones: milestones, gamma: gamma) } catch {
                throw ScheduleFault(torch: error)
            }
        }
    }
}
