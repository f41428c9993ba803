extension Transformers {
    /// `greedy` → `GreedyLR(optimizer, mode='min', factor=0.95, patience=10, threshold=1e-6,
    /// threshold_mode='abs', cooldown=0, warmup=0, min_lr=1e-3, max_lr=1.0, eps=1e-8,
    /// verbose=False, smooth=False, window_size=50, reset_start=500)`, stepped with `step(metrics[i])`.
    ///
    /// Each step (after optional smoothing by a streaming mean over `window_size` values): during
    /// cooldown or warm-up the counters are zeroed; otherwise an improvement (`current < best - threshold`
    /// for min/abs, `current < best * (1.0 - threshold)` for min/rel, mirrored for max) counts a good
    /// step, anything else a bad one. More than `patience` good steps: every group's LR becomes
    /// `min(lr / factor, max_lr)` if that raises it by more than `eps`, then `warmup` steps of rest.
    /// More than `patience` bad steps: `max(lr * factor, min_lr)` if that lowers it by more than
    /// `eps`, then `cooldown`; when every group sits at its `min_lr` after a reduction,
    /// `reset_start` counts down and at 0 every LR returns to its initial value and the state resets.
    /// `num_warmup_steps` and `num_training_steps` are accepted and ignored (reported in `warnings`).
    /// Source: `transformers/optimization.py`, `GreedyLR`, `StreamingAverage`.
    struct Greedy: SchedulerDefinition {
        enum Mode: String, CaseIterable, Sendable { case min, max }
        enum ThresholdMode: String, CaseIterable, Sendable { case rel, abs }

        static let name = "greedy"
        static let summary =
            "GreedyLR: raise the LR while the metric improves, lower it on plateaus, reset after long stalls"
        static let takesMetrics = true
        static let mode = Parameter.choice(
            "mode",
            default: "min",
            Mode.allCases.map(\.rawValue),
            "whether lower or higher metrics are better"
        )
        static let factor = Parameter.float(
            "factor",
            default: 0.95,
            "a number below 1.0",
            "LRs are divided by it on improvement, multiplied on a plateau"
        )
        static let patience = Parameter.int(
            "patience",
            default: 10,
            "an integer",
            "good or bad steps tolerated before acting"
        )
        static let threshold = Parameter.float("threshold", default: 1e-6, "the improvement that counts")
        static let thresholdMode = Parameter.choice(
            "threshold_mode",
            default: "abs",
            ThresholdMode.allCases.map(\.rawValue),
            "relative or absolute threshold"
        )
        static let cooldown = Parameter.int("cooldown", default: 0, "an integer", "steps of rest after a reduction")
        static let warmup = Parameter.int("warmup", default: 0, "an integer", "steps of rest after an increase")
        static let minLR = Parameter.perGroup("min_lr", default: 1e-3, "a number", "the floor of each group's LR")
        static let maxLR = Parameter.perGroup("max_lr", default: 1.0, "a number", "the ceiling of each group's LR")
        static let eps = Parameter.float("eps", default: 1e-8, "changes no larger than this are skipped")
        static let verbose = Parameter.bool("verbose", default: false, "prints each change (no effect on the values)")
        static let smooth = Parameter.bool("smooth", default: false, "whether metrics are smoothed by a streaming mean")
        static let windowSize = Parameter.int(
            "window_size",
            default: 50,
            "a positive integer",
            "the streaming mean's window"
        )
        static let resetStart = Parameter.int(
            "reset_start",
            default: 500,
            "an integer",
            "reductions at min_lr before everything resets"
        )
        static let parameters = [
            Transformers.ignored(Transformers.warmupSteps, by: name),
            Transformers.ignored(Transformers.trainingSteps, by: name),
            mode, factor, patience, threshold, thresholdMode, cooldown, warmup, minLR, maxLR, eps,
            verbose, smooth, windowSize, resetStart,
        ]
        let mode: Mode, factor: Double, patience: Int, threshold: Double, thresholdMode: ThresholdMode
        let cooldown: Int, warmup: Int, minLRs: [Double], maxLRs: [Double], eps: Double
        let smooth: Bool, windowSize: Int, resetStart: Int
        let warnings: [String]

        init?(decoding params: inout ParamsReader) {
            warnings = Transformers.ignoring(
                [Transformers.warmupSteps.name, Transformers.trainingSteps.name],
                of: Self.name,
                in: &params
            )
            let ints = -(1 << 53)...(1 << 53)
            mode = params.choice(Self.mode, default: .min)
            factor = params.double(Self.factor) { $0 < 1 }
            patience = params.int(Self.patience, in: ints)
            threshold = params.double(Self.threshold)
            thresholdMode = params.choice(Self.thresholdMode, default: .abs)
            cooldown = params.int(Self.cooldown, in: ints)
            warmup = params.int(Self.warmup, in: ints)
            minLRs = params.perGroup(Self.minLR)
            maxLRs = params.perGroup(Self.maxLR)
            eps = params.double(Self.eps)
            _ = params.bool(Self.verbose)
            smooth = params.bool(Self.smooth)
            windowSize = params.int(Self.windowSize, in: 1...(1 << 20))
            resetStart = params.int(Self.resetStart, in: ints)
            if params.hasIssues { return nil }
        }

        func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule {
            GreedySchedule(self, lrs: lrs)
        }
    }
}

/// GreedyLR's state over every parameter group.
final class GreedySchedule: Schedule {
    typealias Options = Transformers.Greedy
    let options: Options
    let initialLRs: [Double]
    @exclusivity(unchecked) var lrs: [Double]
    @exclusivity(unchecked) var best: Double
    @exclusivity(unchecked) var numBadEpochs = 0
    @exclusivity(unchecked) var numGoodEpochs = 0
    @exclusivity(unchecked) var cooldownCounter = 0
    @exclusivity(unchecked) var warmupCounter = 0
    @exclusivity(unchecked) var resetStart: Int
    @exclusivity(unchecked) var average: StreamingAverage?

    init(_ options: Options, lrs: [Double]) {
        self.options = options
        self.initialLRs = lrs
        self.lrs = lrs
        self.best = options.mode == .min ? .infinity : -.infinity
        self.resetStart = options.resetStart
        self.average = options.smooth ? StreamingAverage(windowSize: options.windowSize) : nil
    }

    var groupCount: Int { lrs.count }

    func lr(group: Int) -> Double { lrs[group] }

    func step(metric: Double?) throws(ScheduleFault) {
        guard var current = metric else { throw ScheduleFault("greedy steps on a metric") }
        if average != nil { current = average!.add(current) }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            numBadEpochs = 0
            numGoodEpochs = 0
        } else if warmupCounter > 0 {
            warmupCounter -= 1
            numBadEpochs = 0
            numGoodEpochs = 0
        } else {
            if isBetter(current) {
                best = current
                numBadEpochs = 0
                numGoodEpochs += 1
            } else {
                numBadEpochs += 1
                numGoodEpochs = 0
            }
            if numGoodEpochs > options.patience {
                try increase()
                warmupCounter = options.warmup
                numGoodEpochs = 0
            } else if numBadEpochs > options.patience {
                reduce()
                cooldownCounter = options.cooldown
                numBadEpochs = 0
            }
        }
    }

    private func isBetter(_ current: Double) -> Bool {
        switch (options.mode, options.thresholdMode) {
        case (.min, .rel): current < best * (1.0 - options.threshold)
        case (.min, .abs): current < best - options.threshold
        case (.max, .rel): current > best * (1.0 + options.threshold)
        case (.max, .abs): current > best + options.threshold
        }
    }

    private func reduce() {
        var allAtMin = true
        for i in lrs.indices {
            let old = lrs[i]
            let new = PythonFloat.max(old * options.factor, options.minLRs[i])
            if old - new > options.eps { lrs[i] = new }
            if lrs[i] > options.minLRs[i] { allAtMin = false }
        }
        if allAtMin {
            resetStart -= 1
            if resetStart <= 0 { reset() }
        }
    }

    private func increase() throws(ScheduleFault) {
        for i in lrs.indices {
            let old = lrs[i]
            let raised: Double
            do { raised = try PythonFloat.divide(old, options.factor) } catch {
                throw ScheduleFault(error.message, parameter: "factor")
            }
            let new = PythonFloat.min(raised, options.maxLRs[i])
            if new - old > options.eps { lrs[i] = new }
        }
        resetStart = options.resetStart
    }

    private func reset() {
        lrs = initialLRs
        best = options.mode == .min ? .infinity : -.infinity
        numBadEpochs = 0
        numGoodEpochs = 0
        cooldownCounter = 0
        warmupCounter = 0
        resetStart = options.resetStart
        if options.smooth { average = StreamingAverage(windowSize: options.windowSize) }
    }
}

/// transformers' `StreamingAverage`: a running sum over the last `window_size` values, divided by
/// how many there are (the sum is updated incrementally, as in Python, not re-added).
struct StreamingAverage {
    let windowSize: Int
    var values: [Double] = []
    var head = 0
    var sum = 0.0

    init(windowSize: Int) { self.windowSize = windowSize }

    mutating func add(_ value: Double) -> Double {
        values.append(value)
        sum += value
        if values.count - head > windowSize {
            sum -= values[head]
            head += 1
            if head > 4096 {
                values.removeFirst(head)
                head = 0
            }
        }
        return sum / Double(values.count - head)
    }
}
