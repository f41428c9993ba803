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
    public internal(set) var lr: Double
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

extension ReduceLROnPlateau {
    /// `ReduceLROnPlateau(optimizer, mode='min', factor=0.1, patience=10, threshold=1e-4,
    /// threshold_mode='rel', cooldown=0, min_lr=0, eps=1e-8)`.
    struct Definition: TorchScheduler {
        static let name = "ReduceLROnPlateau"
        static let summary = "multiply the LR by factor when the metric stops improving"
        static let takesMetrics = true
        static let mode = Parameter.choice(
            "mode",
            default: "min",
            Mode.allCases.map(\.rawValue),
            "whether lower or higher metrics are better"
        )
        static let factor = Parameter.float(
            "factor",
            default: 0.1,
            "a number below 1.0",
            "the factor applied on a plateau"
        )
        static let patience = Parameter.int(
            "patience",
            default: 10,
            "a non-negative integer",
            "bad steps tolerated before reducing"
        )
        static let threshold = Parameter.float(
            "threshold",
            default: 1e-4,
            "a non-negative number",
            "the improvement that counts"
        )
        static let thresholdMode = Parameter.choice(
            "threshold_mode",
            default: "rel",
            ThresholdMode.allCases.map(\.rawValue),
            "relative or absolute threshold"
        )
        static let cooldown = Parameter.int(
            "cooldown",
            default: 0,
            "a non-negative integer",
            "steps to wait after a reduction"
        )
        static let minLR = Parameter.perGroup(
            "min_lr",
            default: 0,
            "a non-negative number",
            "the floor of each group's LR"
        )
        static let eps = Parameter.float(
            "eps",
            default: 1e-8,
            "a non-negative number",
            "reductions smaller than this are skipped"
        )
        static let parameters = [mode, factor, patience, threshold, thresholdMode, cooldown, minLR, eps]
        let options: Options
        let minLRs: [Double]

        init?(decoding params: inout ParamsReader) {
            var o = Options()
            o.mode = params.choice(Self.mode, default: .min)
            o.factor = params.double(Self.factor) { $0 < 1 }
            o.patience = params.int(Self.patience, in: 0...Int.max)
            o.threshold = params.double(Self.threshold) { $0 >= 0 }
            o.thresholdMode = params.choice(Self.thresholdMode, default: .rel)
            o.cooldown = params.int(Self.cooldown, in: 0...Int.max)
            minLRs = params.perGroup(Self.minLR) { $0 >= 0 }
            o.eps = params.double(Self.eps) { $0 >= 0 }
            options = o
            if params.hasIssues { return nil }
        }

        func build(on group: ParamGroup, index: Int) throws(ScheduleFault) -> LRScheduler {
            throw ScheduleFault("ReduceLROnPlateau cannot be composed")
        }

        func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
            PlateauSchedule(
                lrs.enumerated().map { index, lr in
                    var options = options
                    options.minLR = minLRs[index]
                    return ReduceLROnPlateau(lr: lr, options: options)
                }
            )
        }
    }
}

/// `ReduceLROnPlateau` over every parameter group: each group is reduced on the same metric, with
/// its own `min_lr`.
final class PlateauSchedule: Schedule {
    @exclusivity(unchecked) var groups: [ReduceLROnPlateau]

    init(_ groups: [ReduceLROnPlateau]) { self.groups = groups }

    var groupCount: Int { groups.count }

    func lr(group: Int) -> Double { groups[group].lr }

    func step(metric: Double?) throws(ScheduleFault) {
        guard let metric else { throw ScheduleFault("ReduceLROnPlateau steps on a metric") }
        for i in groups.indices { groups[i].step(metric) }
    }
}
