/// `torch.optim.lr_scheduler.SequentialLR`: runs `schedulers[i]` from global epoch
/// `milestones[i-1]` to `milestones[i]`, restarting each child at its own epoch 0 at its milestone.
///
/// Construction resets the LR to `initial_lr`, steps every child's `last_epoch` back by one
/// (recursing into composite children), then re-runs the initial step of the child active at
/// epoch 0. `step()`: `idx = bisect_right(milestones, t)`; at a milestone the child is restarted
/// with `_update_lr(0)` (closed form when it has one, so based on `base_lrs`), otherwise stepped.
/// Known torch quirks reproduced: milestone 0 is off by one; a composite child is stepped by its
/// initial step; a composite child restarted at a milestone raises NotImplementedError.
/// Constraints: `len(milestones) == len(schedulers) - 1`; no ReduceLROnPlateau child.
final class SequentialLR: LRScheduler {
    let children: [LRScheduler]
    let milestones: [Int]

    init(group: ParamGroup, children: [LRScheduler], milestones: [Int]) throws {
        self.children = children
        self.milestones = milestones
        super.init(group: group)
        lastEpoch = 0
        group.lr = group.initialLR ?? group.lr
        undoOneEpoch()
        let activeIndex = activeIndex(at: 0)
        let active = children[activeIndex]
        do { try active.initialStep() } catch { throw ScheduleFault(torch: error).inChild(activeIndex) }
        lastLR = active.lastLR
    }

    /// `bisect_right(milestones, epoch)`: how many milestones are ≤ epoch (milestones in the
    /// order given, as torch's bisect assumes them sorted).
    private func activeIndex(at epoch: Int) -> Int {
        var lo = 0
        var hi = milestones.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if epoch < milestones[mid] { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    override class var stepsChainably: Bool { false }

    override func step() throws {
        lastEpoch += 1
        let idx = activeIndex(at: lastEpoch)
        let child = children[idx]
        do {
            if idx > 0 && milestones[idx - 1] == lastEpoch {
                try child.updateLR(epoch: 0)
            } else {
                try child.step()
            }
        } catch {
            throw ScheduleFault(torch: error).inChild(idx)
        }
        lastLR = child.lastLR
    }

    override func getLR() throws -> Double {
        throw ScheduleFault(
            "NotImplementedError: a SequentialLR cannot be restarted by another SequentialLR (torch raises here)"
        )
    }

    override func undoOneEpoch() {
        for child in children { child.undoOneEpoch() }
    }
}

extension SequentialLR {
    /// `SequentialLR(optimizer, schedulers, milestones)`, every child built on the same optimizer.
    struct Definition: TorchScheduler {
        static let name = "SequentialLR"
        static let summary = "run schedulers[i] from milestones[i-1] to milestones[i], each restarting at its milestone"
        static let schedulers = Parameter(
            "schedulers",
            type: "list[scheduler]",
            default: .required,
            constraint: "a non-empty list of {\"scheduler\": ..., \"params\": {...}} objects (no ReduceLROnPlateau)",
            meaning: "the child schedulers, built in order on the same optimizer"
        )
        static let milestones = Parameter(
            "milestones",
            type: "list[int]",
            default: .required,
            constraint: "a list of integer epochs, one fewer than `schedulers`",
            meaning: "the epochs at which the next child takes over"
        )
        static let parameters = [schedulers, milestones]
        let children: [SchedulerSpec]
        let milestones: [Int]

        init?(decoding params: inout ParamsReader) {
            let children = SchedulerSpec.decodeChildren(Self.schedulers.name, of: Self.name, in: &params)
            let milestones = params.intList(Self.milestones, maxCount: TorchFamily.maxMilestones)
            guard let children, let milestones else { return nil }
            guard milestones.count == children.count - 1 else {
                params.record(
                    "milestones",
                    "must have one entry fewer than `schedulers` (\(children.count - 1)), got \(milestones.count)"
                )
                return nil
            }
            self.children = children
            self.milestones = milestones
        }

        var costPerEpoch: Int { 1 + children.reduce(0) { $0 + $1.costPerEpoch } }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            let built = try buildChildren(children, on: group, index: index)
            do { return try SequentialLR(group: group, children: built, milestones: milestones) } catch {
                throw ScheduleFault(torch: error)
            }
        }
    }
}
