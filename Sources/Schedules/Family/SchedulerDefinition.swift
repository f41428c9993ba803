/// One scheduler of one framework family, in one file: its name, its parameters, how a request's
/// `params` decode into a validated configuration, and how that configuration builds a running
/// schedule. A value of the conforming type is a validated configuration.
public protocol SchedulerDefinition: Sendable {
    /// The name a request gives as `scheduler` (the framework's own spelling).
    static var name: String { get }
    /// One line on what the schedule does.
    static var summary: String { get }
    /// Every keyword `params` may hold, in the framework's order.
    static var parameters: [Parameter] { get }
    /// Whether a request gives the optimizer's `lr`.
    static var learningRate: LearningRatePolicy { get }
    /// Whether every step needs a metric (`metrics` in the request).
    static var takesMetrics: Bool { get }

    /// Decodes and validates `params`; returns nil after recording at least one problem.
    init?(decoding params: inout ParamsReader)

    /// A bound on the work of one step, in units of one simple scheduler step.
    var costPerEpoch: Int { get }
    /// Arguments the framework accepts but ignores for this configuration, said in words.
    var warnings: [String] { get }
    /// Whether lrsched reproduces the framework's values bit for bit for this configuration
    /// (false where the framework's arithmetic needs a library lrsched does not have).
    var isExact: Bool { get }

    /// Builds the schedule on an optimizer whose parameter groups start at `lrs` (one per group),
    /// running the framework's constructor. Throws where the framework would raise.
    func makeSchedule(lrs: [Double]) throws(ScheduleFault) -> any Schedule

    /// Builds the schedule as `makeSchedule(lrs:)` does on an optimizer whose `defaults["lr"]` is
    /// `defaultLR` rather than group 0's LR: what a resumed run does when it builds the scheduler
    /// on the new optimizer and then loads the checkpoint's `base_lrs` (`lrs`). Only schedules
    /// that read `optimizer.defaults["lr"]` (transformers' `polynomial`, `cosine_with_min_lr`)
    /// differ.
    func makeSchedule(lrs: [Double], defaultLR: Double) throws(ScheduleFault) -> any Schedule
}

extension SchedulerDefinition {
    public static var learningRate: LearningRatePolicy { .required }
    public static var takesMetrics: Bool { false }
    public var costPerEpoch: Int { 1 }
    public var warnings: [String] { [] }
    public var isExact: Bool { true }
    public func makeSchedule(lrs: [Double], defaultLR: Double) throws(ScheduleFault) -> any Schedule {
        try makeSchedule(lrs: lrs)
    }
}

/// Whether a scheduler's requests carry the optimizer's learning rate.
public enum LearningRatePolicy: Sendable, Equatable {
    /// `lr` is required: the schedule scales it.
    case required
    /// `lr` must be left out: the schedule's own parameters are the learning rates (optax).
    case none
    /// `lr` may be left out; the optimizer then starts at `default` (the scheduler overwrites it).
    case optional(default: Double)
}

/// A schedule being run: the learning rate of every parameter group now, and the next step.
///
/// `step(metric:)` performs what the framework's training loop does once per step
/// (`scheduler.step()`, `scheduler.step(metric)`, timm's `step(t)`); the metric is nil unless the
/// scheduler `takesMetrics`.
public protocol Schedule: AnyObject {
    /// How many parameter groups the schedule drives.
    var groupCount: Int { get }
    /// The learning rate of group `group` now.
    func lr(group: Int) -> Double
    /// The momentum (or β₁) the schedule has set for group `group`; nil when it leaves it alone.
    func momentum(group: Int) -> Double?
    /// Advances one step.
    func step(metric: Double?) throws(ScheduleFault)
    /// Advances up to `count` steps without a metric, appending group 0's learning rate after
    /// each to `values`, and stops after the first step whose rate is not finite; returns the
    /// steps taken. A fault thrown by a step leaves the rates of the steps before it appended.
    /// The same values as `count` calls of `step(metric: nil)` and `lr(group: 0)`; schedules
    /// override it to step without the per-step dispatch.
    func advance(_ count: Int, appendingTo values: inout [Double]) throws(ScheduleFault) -> Int
}

extension Schedule {
    public func momentum(group: Int) -> Double? { nil }

    public func advance(_ count: Int, appendingTo values: inout [Double]) throws(ScheduleFault) -> Int {
        try advanceStepByStep(count, appendingTo: &values)
    }

    /// `advance(_:appendingTo:)` one `step(metric: nil)` at a time.
    func advanceStepByStep(_ count: Int, appendingTo values: inout [Double]) throws(ScheduleFault) -> Int {
        try appendSteps(count, to: &values) { () throws(ScheduleFault) -> Double in
            try step(metric: nil)
            return lr(group: 0)
        }
    }
}

/// Appends the rates `next()` returns, up to `count` of them, to `values`, stopping after the first
/// that is not finite; returns how many it appended. When `next` throws, the rates before it stay
/// appended. Room for all `count` is made once and each rate is written straight into it, without
/// the per-append capacity and uniqueness checks.
@inline(__always)
func appendSteps(
    _ count: Int,
    to values: inout [Double],
    _ next: () throws(ScheduleFault) -> Double
) throws(ScheduleFault) -> Int {
    #if compiler(>=6.2) && os(Linux)
    var taken = 0
    try values.append(addingCapacity: count) { (span: inout OutputSpan<Double>) throws(ScheduleFault) in
        while taken < count {
            let lr = try next()
            span.append(lr)
            taken += 1
            if !lr.isFinite { return }
        }
    }
    return taken
    #else
    values.reserveCapacity(values.count + count)
    for taken in 0..<count {
        let lr = try next()
        values.append(lr)
        if !lr.isFinite { return taken + 1 }
    }
    return count
    #endif
}
