/// The state machine shared by every torch scheduler: `torch.optim.lr_scheduler.LRScheduler`.
///
/// Torch steps most schedules *recursively* (`lr = lr * gamma`), so this class replays torch's
/// arithmetic in torch's order instead of evaluating closed forms: construction performs the
/// initial `step()` in "initial mode" (`_is_initial`), every `step()` increments `last_epoch` and
/// asks `getLR()` for the next value, and `SequentialLR` restarts a child with
/// `updateLR(epoch: 0)`, which prefers the closed form when the class has one.
///
/// Subclasses override `getLR()` and, when torch defines `_get_closed_form_lr`, `closedFormLR()`.
///
/// A scheduler and its group belong to one evaluation on one thread and are never accessed
/// through overlapping accesses, so the fields touched on every step skip Swift's dynamic
/// exclusivity checks (`@exclusivity(unchecked)`): the checks cost more than the arithmetic.
public class LRScheduler {
    /// The optimizer group this scheduler drives (shared with sibling schedulers).
    public let group: ParamGroup
    /// `last_epoch`: the number of `step()` calls since construction.
    @exclusivity(unchecked) public internal(set) var lastEpoch: Int
    /// `base_lrs[0]`.
    @exclusivity(unchecked) var baseLR: Double
    /// `_step_count`.
    @exclusivity(unchecked) var stepCount = 0
    /// `_is_initial`: true only during the constructor's step.
    @exclusivity(unchecked) var isInitial = false
    /// `_last_lr[0]`: what `get_last_lr()` returns.
    @exclusivity(unchecked) public internal(set) var lastLR: Double = 0

    /// `LRScheduler.__init__` with `last_epoch = -1`, minus the initial step: subclasses finish
    /// their own setup and then call `initialStep()`, as torch's `super().__init__` does last.
    init(group: ParamGroup) {
        self.group = group
        if group.initialLR == nil { group.initialLR = group.lr }
        self.baseLR = group.initialLR!
        self.lastEpoch = -1
    }

    /// `_initial_step()`: reset the step count and step once in initial mode.
    final func initialStep() throws {
        stepCount = 0
        isInitial = true
        defer { isInitial = false }
        try step()
    }

    /// `step()`: advance one epoch (or batch, for the cyclic schedules).
    func step() throws {
        try chainableStep()
    }

    /// Whether this class's `step()` is the base class's: a run of steps may then call
    /// ``chainableStep()`` directly, without dispatching `step()` every time. Classes that
    /// override `step()` override this to `false`.
    class var stepsChainably: Bool { true }

    /// The base `step()`: count the call, advance one epoch and take the chainable `get_lr()`.
    @inline(__always)
    final func chainableStep() throws {
        stepCount += 1
        try updateLR(epoch: nil)
    }

    /// `_update_lr(epoch)`: with `nil`, advance and use the chainable `get_lr()`; with an epoch,
    /// jump there using the closed form when the class has one.
    @inline(__always)
    final func updateLR(epoch: Int?) throws {
        let value: Double
        do {
            if let epoch {
                lastEpoch = epoch
                value = try closedFormLR() ?? getLR()
            } else {
                lastEpoch += 1
                value = try getLR()
            }
        } catch let error as ExprFault {
            throw error.scheduleFault
        }
        group.lr = value
        lastLR = value
    }

    /// `get_lr()`: the chainable formula for the value at `lastEpoch`. Throws
    /// `ExprFault` where CPython would raise, or `ScheduleFault`.
    func getLR() throws -> Double {
        fatalError("LRScheduler subclasses override getLR()")
    }

    /// `_get_closed_form_lr()`, or `nil` when torch's class has none.
    func closedFormLR() throws -> Double? { nil }

    /// `recursive_undo()` as `SequentialLR.__init__` applies it to this scheduler.
    func undoOneEpoch() { lastEpoch -= 1 }

}

extension LRScheduler {
    /// The current learning rate of the group, as torch's `_param_groups_val_list(opt, "lr")`.
    var unchanged: Double { group.lr }
}
