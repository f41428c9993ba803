import JSON

/// A torch scheduler driving one optimizer's learning rate, stepped by the caller: the state
/// machine behind both `ScheduleRequest.evaluate()` and simulated training runs.
///
/// Construction runs the scheduler's constructor (its initial step included), so `lr` is the
/// learning rate for epoch 0. `step()` is `scheduler.step()`; `step(metric:)` is
/// `ReduceLROnPlateau.step(metric)`. Errors name the step at which torch would raise, or at which
/// the learning rate stopped being finite.
public final class LiveSchedule {
    private enum Engine {
        case torch(LRScheduler)
        case plateau(ReduceLROnPlateau)
    }

    @exclusivity(unchecked) private var engine: Engine
    private let spec: SchedulerSpec
    /// How many steps have been taken since construction.
    @exclusivity(unchecked) public private(set) var steps = 0

    /// Builds the scheduler on an optimizer whose learning rate is `lr`.
    public init(_ spec: SchedulerSpec, lr: Double) throws(ScheduleError) {
        self.spec = spec
        if case .plateau(let options) = spec.config {
            engine = .plateau(ReduceLROnPlateau(lr: lr, options: options))
        } else {
            do {
                engine = .torch(try spec.build(on: ParamGroup(lr: lr)))
            } catch {
                throw Self.scheduleError(error, pointer: spec.paramsPointer, step: 0)
            }
        }
        try checkFinite()
    }

    /// Whether the scheduler is ReduceLROnPlateau, which steps on a metric.
    public var needsMetric: Bool {
        if case .plateau = engine { return true }
        return false
    }

    /// The learning rate the optimizer uses now (`get_last_lr()[0]`; for ReduceLROnPlateau the
    /// optimizer's LR).
    public var lr: Double {
        switch engine {
        case .torch(let scheduler): scheduler.lastLR
        case .plateau(let plateau): plateau.lr
        }
    }

    /// The momentum a cycling scheduler (CyclicLR, OneCycleLR with `cycle_momentum`) has set
    /// for the optimizer (`momentum`, or `betas[0]` for Adam-style optimizers); nil when no
    /// scheduler drives it.
    public var momentum: Double? {
        if case .torch(let scheduler) = engine { return scheduler.group.momentum }
        return nil
    }

    /// `scheduler.step()`. On a ReduceLROnPlateau use `step(metric:)`.
    public func step() throws(ScheduleError) {
        steps += 1
        guard case .torch(let scheduler) = engine else {
            throw .evaluationFailed(FieldIssue(spec.paramsPointer, "ReduceLROnPlateau steps on a metric"), epoch: steps)
        }
        do {
            try scheduler.step()
        } catch {
            throw Self.scheduleError(error, pointer: spec.paramsPointer, step: steps)
        }
        try checkFinite()
    }

    /// `ReduceLROnPlateau.step(metric)`; for other schedulers the metric is ignored, as torch's
    /// `step()` takes none.
    public func step(metric: Double) throws(ScheduleError) {
        guard case .plateau(var plateau) = engine else {
            try step()
            return
        }
        steps += 1
        plateau.step(metric)
        engine = .plateau(plateau)
    }

    private func checkFinite() throws(ScheduleError) {
        let lr = lr
        guard lr.isFinite else {
            throw .evaluationFailed(FieldIssue(spec.paramsPointer,
                "the learning rate is \(lr.isNaN ? "NaN" : (lr > 0 ? "+infinity" : "-infinity")) at epoch \(steps): the schedule overflows"),
                epoch: steps)
        }
    }

    private static func scheduleError(_ error: any Error, pointer: JSONPointer, step: Int) -> ScheduleError {
        if let error = error as? ScheduleError {
            if case .evaluationFailed(let issue, _) = error { return .evaluationFailed(issue, epoch: step) }
            return error
        }
        return .evaluationFailed(FieldIssue(pointer, "\(error)"), epoch: step)
    }
}

extension SchedulerSpec {
    /// Decodes `{"scheduler": ..., "params": {...}}` found at `pointer` (as in a training-run
    /// request), reporting every problem with its JSON pointer.
    public static func decode(_ json: JSONValue, at pointer: JSONPointer) throws(ScheduleError) -> SchedulerSpec {
        var issues: [FieldIssue] = []
        guard case .object(let object) = json else {
            throw .invalidSpec([FieldIssue(pointer, "must be an object {\"scheduler\": ..., \"params\": {...}}, got \(json.shortDescription)")])
        }
        for key in object.keys where key != "scheduler" && key != "params" {
            let hint = closestMatch(to: key, in: ["scheduler", "params"]).map { "; did you mean \"\($0)\"?" } ?? ""
            issues.append(FieldIssue(pointer.appending(key), "is not a known field\(hint)"))
        }
        var count = 0
        let spec = decode(name: object["scheduler"], namePointer: pointer.appending("scheduler"),
                          params: object["params"], pointer: pointer.appending("params"),
                          count: &count, issues: &issues)
        guard let spec, issues.isEmpty else { throw .invalidSpec(issues) }
        return spec
    }
}
