import JSON

/// `torch.optim.lr_scheduler.ChainedScheduler`: steps every child in order on the same optimizer,
/// so their chainable factors multiply. It has no initial step of its own (the children took
/// theirs when they were built). Constraint: no ReduceLROnPlateau child.
final class ChainedScheduler: LRScheduler {
    let children: [LRScheduler]

    init(group: ParamGroup, pointer: JSONPointer, children: [LRScheduler]) {
        self.children = children
        super.init(group: group, pointer: pointer)
        lastLR = group.lr
    }

    override func step() throws {
        for child in children { try child.step() }
        lastLR = group.lr
    }

    /// Torch's base `get_lr()` raises `NotImplementedError`; reached when a SequentialLR restarts
    /// a composite child at its milestone.
    override func getLR() throws -> Double {
        throw ScheduleError.evaluationFailed(
            FieldIssue(pointer, "NotImplementedError: a ChainedScheduler cannot be restarted by SequentialLR (torch raises here)"),
            epoch: lastEpoch)
    }

    override func undoOneEpoch() {
        for child in children { child.undoOneEpoch() }
    }
}

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

    init(group: ParamGroup, pointer: JSONPointer, children: [LRScheduler], milestones: [Int]) throws {
        self.children = children
        self.milestones = milestones
        super.init(group: group, pointer: pointer)
        lastEpoch = 0
        group.lr = group.initialLR ?? group.lr
        undoOneEpoch()
        let active = children[activeIndex(at: 0)]
        try active.initialStep()
        lastLR = active.lastLR
    }

    /// `bisect_right(milestones, epoch)`: how many milestones are ≤ epoch (milestones in the
    /// order given, as torch's bisect assumes them sorted).
    private func activeIndex(at epoch: Int) -> Int {
        var lo = 0, hi = milestones.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if epoch < milestones[mid] { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    override func step() throws {
        lastEpoch += 1
        let idx = activeIndex(at: lastEpoch)
        let child = children[idx]
        if idx > 0 && milestones[idx - 1] == lastEpoch {
            try child.updateLR(epoch: 0)
        } else {
            try child.step()
        }
        lastLR = child.lastLR
    }

    override func getLR() throws -> Double {
        throw ScheduleError.evaluationFailed(
            FieldIssue(pointer, "NotImplementedError: a SequentialLR cannot be restarted by another SequentialLR (torch raises here)"),
            epoch: lastEpoch)
    }

    override func undoOneEpoch() {
        for child in children { child.undoOneEpoch() }
    }
}
