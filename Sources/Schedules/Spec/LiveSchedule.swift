import JSON

/// A schedule driving an optimizer's learning rates, stepped by the caller: what both
/// `ScheduleRequest.evaluate()` and simulated training runs run.
///
/// Construction runs the framework's constructor, so `lr` is the learning rate for step 0.
/// `step()` is one step of the framework's loop; `step(metric:)` feeds a metric to schedulers
/// that take one. Faults become `ScheduleError`s naming the step at which the framework would
/// raise, or at which a learning rate stopped being finite, and pointing at the parameter.
public final class LiveSchedule {
    private let schedule: any Schedule
    private let spec: SchedulerSpec
    /// Whether each step takes a metric.
    public let needsMetric: Bool
    /// How many parameter groups the schedule drives.
    public let groupCount: Int
    /// How many steps have been taken since construction.
    @exclusivity(unchecked) public private(set) var steps = 0

    /// Builds the schedule on an optimizer whose parameter groups start at `lrs` (and whose
    /// `defaults["lr"]` is `defaultLR`, group 0's LR unless given).
    public init(_ spec: SchedulerSpec, lrs: [Double], defaultLR: Double? = nil) throws(ScheduleError) {
        self.spec = spec
        self.needsMetric = spec.takesMetrics
        self.groupCount = lrs.count
        do {
            if let defaultLR {
                schedule = try spec.definition.makeSchedule(lrs: lrs, defaultLR: defaultLR)
            } else {
                schedule = try spec.definition.makeSchedule(lrs: lrs)
            }
        } catch {
            throw .evaluationFailed(FieldIssue(spec.pointer(of: error), error.message), epoch: 0)
        }
        try checkFinite()
    }

    /// Builds the schedule on an optimizer with one parameter group at `lr`.
    public convenience init(_ spec: SchedulerSpec, lr: Double) throws(ScheduleError) {
        try self.init(spec, lrs: [lr])
    }

    /// Group 0's learning rate now.
    @exclusivity(unchecked) public private(set) var lr: Double = 0

    /// Group `group`'s learning rate now.
    public func lr(group: Int) -> Double { schedule.lr(group: group) }

    /// The momentum (or β₁) the schedule has set for group 0; nil when it leaves it alone.
    public var momentum: Double? { schedule.momentum(group: 0) }

    /// The momentum the schedule has set for group `group`.
    public func momentum(group: Int) -> Double? { schedule.momentum(group: group) }

    /// One step without a metric. Schedulers that step on a metric refuse it.
    public func step() throws(ScheduleError) {
        steps += 1
        guard !needsMetric else {
            throw .evaluationFailed(FieldIssue(spec.paramsPointer, "\(spec.name) steps on a metric"), epoch: steps)
        }
        try advance(nil)
    }

    /// One step with a metric; schedulers that take none ignore it, as their `step()` takes none.
    public func step(metric: Double) throws(ScheduleError) {
        steps += 1
        try advance(needsMetric ? metric : nil)
    }

    /// `count` steps without a metric, appending group 0's learning rate after each to `values`:
    /// the same values and the same errors as `count` calls of `step()` each followed by reading
    /// `lr`, without their per-step dispatch.
    public func step(_ count: Int, appendingTo values: inout [Double]) throws(ScheduleError) {
        guard count > 0 else { return }
        guard !needsMetric, groupCount == 1 else {
            for _ in 0..<count {
                try step()
                values.append(lr)
            }
            return
        }
        let before = values.count
        do {
            steps += try schedule.advance(count, appendingTo: &values)
        } catch {
            // The failing step is the one after those whose rates were appended.
            steps += values.count - before + 1
            throw .evaluationFailed(FieldIssue(spec.pointer(of: error), error.message), epoch: steps)
        }
        lr = values[values.count - 1]
        if !lr.isFinite { try reportNonFinite(lr) }
    }

    @inline(__always)
    private func advance(_ metric: Double?) throws(ScheduleError) {
        do {
            try schedule.step(metric: metric)
        } catch {
            throw .evaluationFailed(FieldIssue(spec.pointer(of: error), error.message), epoch: steps)
        }
        try checkFinite()
    }

    @inline(__always)
    private func checkFinite() throws(ScheduleError) {
        lr = schedule.lr(group: 0)
        if !lr.isFinite { try reportNonFinite(lr) }
        if groupCount == 1 { return }
        for group in 1..<groupCount {
            let lr = schedule.lr(group: group)
            if !lr.isFinite { try reportNonFinite(lr) }
        }
    }

    private func reportNonFinite(_ lr: Double) throws(ScheduleError) {
        throw .evaluationFailed(
            FieldIssue(
                spec.paramsPointer,
                "the learning rate is \(lr.isNaN ? "NaN" : (lr > 0 ? "+infinity" : "-infinity")) at epoch \(steps): "
                    + (lr.isNaN
                        ? "\(spec.family.name) computes NaN there too, and an optimizer fed this schedule would turn its parameters into NaN at that step"
                        : "the schedule overflows")
            ),
            epoch: steps
        )
    }
}
