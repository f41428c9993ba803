/// `torch.optim.lr_scheduler.ReduceLROnPlateau`: multiply the LR by `factor` once the metric has
/// not improved for more than `patience` steps.
///
/// Each `step(metric)`: improvement (`a < best * (1 - threshold)` for min/rel,
/// `a < best - threshold` for min/abs, `a > best * (threshold + 1)` for max/rel,
/// `a > best + threshold` for max/abs) resets the bad count, otherwise it grows; during cooldown
/// the count is forced to 0; when it exceeds `patience` the LR becomes
/// `max(lr * factor, min_lr)` if that lowers it by more than `eps`, then cooldown starts.
/// With a flat metric and patience 2 the LR drops on the 4th call and every 3rd after. In `rel`
/// mode a negative `best` moves the threshold the wrong way, as in torch.
/// Constraint: `factor < 1`. It has no initial step: the LR at epoch 0 is the optimizer's.
public struct ReduceLROnPlateau: Sendable {
    /// `mode`: whether lower or higher metrics are better.
    public enum Mode: String, CaseIterable, Sendable { case min, max }
    /// `threshold_mode`: relative or absolute improvement threshold.
    public enum ThresholdMode: String, CaseIterable, Sendable { case rel, abs }

    /// The options torch's constructor takes, with torch's defaults.
    public struct Options: Sendable, Equatable {
        public var mode: Mode = .min
        public var factor: Double = 0.1
        public var patience: Int = 10
        public var threshold: Double = 1e-4
        public var thresholdMode: ThresholdMode = .rel
        public var cooldown: Int = 0
        public var minLR: Double = 0
        public var eps: Double = 1e-8
        /// Torch's defaults.
        public init() {}
    }

    /// The options this scheduler was built with.
    public let options: Options
    /// The optimizer's current learning rate.
    public private(set) var lr: Double
    private var best: Double
    private var numBadEpochs = 0
    private var cooldownCounter = 0

    /// A scheduler driving an optimizer whose learning rate is `lr`.
    public init(lr: Double, options: Options) {
        self.options = options
        self.lr = lr
        self.best = options.mode == .min ? .infinity : -.infinity
    }

    /// `step(metrics)`: feed one metric value; returns the learning rate afterwards.
    @discardableResult
    public mutating func step(_ current: Double) -> Double {
        if isBetter(current) {
            best = current
            numBadEpochs = 0
        } else {
            numBadEpochs += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            numBadEpochs = 0
        }
        if numBadEpochs > options.patience {
            reduce()
            cooldownCounter = options.cooldown
            numBadEpochs = 0
        }
        return lr
    }

    private func isBetter(_ a: Double) -> Bool {
        switch (options.mode, options.thresholdMode) {
        case (.min, .rel): a < best * (1.0 - options.threshold)
        case (.min, .abs): a < best - options.threshold
        case (.max, .rel): a > best * (options.threshold + 1.0)
        case (.max, .abs): a > best + options.threshold
        }
    }

    private mutating func reduce() {
        let old = lr
        let scaled = old * options.factor
        // Python's max(a, b) returns a unless b > a.
        let new = options.minLR > scaled ? options.minLR : scaled
        if old - new > options.eps { lr = new }
    }
}
