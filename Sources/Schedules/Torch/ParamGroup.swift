/// The single optimizer parameter group that torch schedulers read and write.
///
/// Mirrors the keys of `optimizer.param_groups[0]` that `torch.optim.lr_scheduler` uses:
/// `lr`, `initial_lr` (set with `setdefault` by `LRScheduler.__init__`, overwritten by
/// `OneCycleLR`), `OneCycleLR`'s `max_lr` and `min_lr`, and the momentum that `CyclicLR` and
/// `OneCycleLR` cycle (`momentum`, or `betas[0]` for Adam-style optimizers) with its
/// `max_momentum`/`base_momentum` bounds. Schedulers built on one optimizer
/// share one group, which is how `ChainedScheduler` and `SequentialLR` compose them.
public final class ParamGroup {
    /// `group["lr"]`: the learning rate the optimizer uses next.
    @exclusivity(unchecked) public var lr: Double
    /// `group["initial_lr"]`, absent until the first scheduler is built.
    @exclusivity(unchecked) public var initialLR: Double?
    /// `group["max_lr"]`, written by `OneCycleLR`.
    var maxLR: Double = 0
    /// `group["min_lr"]`, written by `OneCycleLR`.
    var minLR: Double = 0
    /// The momentum a cycling scheduler has set (`group["momentum"]` or `group["betas"][0]`);
    /// nil while no scheduler cycles it, so the optimizer keeps its own.
    @exclusivity(unchecked) public internal(set) var momentum: Double?
    /// `group["max_momentum"]`, written by `CyclicLR` and `OneCycleLR`.
    var maxMomentum: Double = 0
    /// `group["base_momentum"]`, written by `CyclicLR` and `OneCycleLR`.
    var baseMomentum: Double = 0

    /// A group whose optimizer was built with learning rate `lr`.
    public init(lr: Double) {
        self.lr = lr
    }
}
