import JSON

/// Limits that keep one request cheap: no input may make the service hang or bloat.
public struct ScheduleLimits: Sendable {
    /// The most values one request may ask for (`epochs`), and the largest `start`.
    public var maxEpochs: Int = 1_000_000
    /// The most work one request may cost: steps replayed × `SchedulerSpec.costPerEpoch` × groups.
    public var maxWork: Int = 50_000_000

    /// The default limits.
    public init(maxEpochs: Int = 1_000_000, maxWork: Int = 50_000_000) {
        self.maxEpochs = maxEpochs
        self.maxWork = maxWork
    }
}

/// A request for a learning-rate schedule: `POST /v1/schedules`.
///
/// ```json
/// {"scheduler": "StepLR", "lr": 0.1, "params": {"step_size": 10, "gamma": 0.9}, "epochs": 30, "start": 0}
/// {"framework": "transformers", "scheduler": "cosine", "lr": 5e-5,
///  "params": {"num_warmup_steps": 10, "num_training_steps": 100}, "epochs": 100}
/// ```
/// Value *k* of the answer is the LR in effect at step `start + k`, as the family defines it
/// (`Family.stepping`): for torch, what `get_last_lr()` returns after `start + k` calls of
/// `step()` since construction.
public struct ScheduleRequest: Sendable {
    /// The scheduler and its constructor arguments.
    public let scheduler: SchedulerSpec
    /// The optimizer's learning rate of each parameter group.
    public let lrs: [Double]
    /// How many values to return.
    public let epochs: Int
    /// The step of the first value.
    public let start: Int
    /// The metric for each step, for schedulers that step on one.
    public let metrics: [Double]?
    /// For a trainer request: what the trainer derived and the scheduler position of every
    /// optimizer update (`scheduler` and `lrs` are then those of its last segment, `epochs` the
    /// number of updates answered and `start` the updates before the first).
    public var trainer: TrainerPlan? = nil
    /// Which values the answer holds (`at`, `every`); the whole range by default.
    public var selection: Selection = .range
    /// Whether the answer adds a `summary`.
    public var summary = false

    /// The most parameter groups a request may have.
    public static let maxGroups = 64

    /// The request's work: `(start + epochs) × cost per step × parameter groups`, the quantity
    /// bounded by ``ScheduleLimits/maxWork`` (a batch bounds the sum of its requests').
    public var work: Int {
        if let trainer { return trainer.work }
        let (perStep, overflow1) = scheduler.costPerEpoch.multipliedReportingOverflow(by: lrs.count)
        let (work, overflow2) = (start + epochs).multipliedReportingOverflow(by: perStep)
        return overflow1 || overflow2 ? .max : work
    }

    /// Decodes and validates a request body found at `pointer` (the root for `POST /v1/schedules`),
    /// reporting every problem with its JSON pointer.
    public static func decode(
        _ json: JSONValue,
        at pointer: JSONPointer = .root,
        limits: ScheduleLimits = ScheduleLimits()
    ) throws(ScheduleError) -> ScheduleRequest {
        var issues: [FieldIssue] = []
        if case .object(let object) = json, object["trainer"] != nil {
            return try Trainers.decode(object, at: pointer, limits: limits)
        }
        // An OpenMMLab config's `param_scheduler` list is the Runner's: the mmengine trainer.
        if case .object(let object) = json, object["framework"] == .string(MMEngine.family.name),
            object["param_scheduler"] != nil, object["scheduler"] == nil
        {
            return try Trainers.decode(object, at: pointer, limits: limits, implied: MMEngineTrainer.name)
        }
        var r = ObjectReader(value: json, at: pointer, issues: &issues)
        if !issues.isEmpty { throw .invalidSpec(issues) }
        let family = SchedulerSpec.decodeFamily(r.raw("framework"), at: pointer.appending("framework"), issues: &issues)
        var type: (any SchedulerDefinition.Type)?
        var context = DecodingContext(depth: 0, count: 1)
        if let family {
            type = SchedulerSpec.lookUp(
                r.raw("scheduler"),
                at: pointer.appending("scheduler"),
                in: family,
                issues: &issues
            )
        } else {
            _ = r.raw("scheduler")
        }
        let lrs = decodeLR(&r, policy: type?.learningRate ?? .required)
        var spec: SchedulerSpec?
        if let family {
            context.options = SchedulerSpec.decodeOptions(of: family, in: r.object, at: pointer, issues: &issues)
            for option in family.options { _ = r.raw(option.name) }
        }
        if let family, let type {
            spec = SchedulerSpec.decode(
                type,
                params: r.raw("params"),
                pointer: pointer.appending("params"),
                family: family,
                groups: lrs.count,
                context: &context,
                issues: &issues
            )
        } else {
            _ = r.raw("params")
        }
        let selection = Selection.read(&r, limits: limits)
        let summary = r.bool("summary", default: false)
        var epochs: Int
        switch selection {
        case .at(let steps):
            // Look-ups: the range is what the steps need; epochs and start must be left out.
            for key in ["epochs", "start"] where r.contains(key) {
                _ = r.raw(key)
                r.record(key, "cannot be combined with at: at lists the steps to answer")
            }
            epochs = (steps.max() ?? 0) + 1
        case .every(let n):
            epochs = r.int(
                "epochs",
                in: 1...limits.maxWork,
                requirement: "must be an integer from 1 to \(limits.maxWork) (the steps every samples)"
            )
            if (epochs + n - 1) / n > limits.maxEpochs {
                r.record(
                    "every",
                    "samples \((epochs + n - 1) / n) values from \(epochs) steps; at most \(limits.maxEpochs) are answered (raise every)"
                )
            }
        case .range:
            epochs = r.int(
                "epochs",
                in: 1...limits.maxEpochs,
                requirement: "must be an integer from 1 to \(limits.maxEpochs)"
            )
        }
        // A struct, not a tuple: an optional tuple's type is built at run time on every call.
        var resume: Resume.Checkpoint?
        if let value = r.raw("resume"), let spec {
            resume = Resume.read(value, spec: spec, lrs: lrs, into: &r, limits: limits)
        }
        let start = r.int(
            "start",
            default: resume?.from ?? 0,
            in: 0...limits.maxEpochs,
            requirement: "must be an integer from 0 to \(limits.maxEpochs)"
        )
        var metrics: [Double]?
        if let value = r.raw("metrics") {
            if let spec, !spec.takesMetrics {
                let takers = spec.family.schedulers.filter { $0.takesMetrics }.map { $0.name }
                r.record(
                    "metrics",
                    "only \(takers.joined(separator: " and ")) take\(takers.count == 1 ? "s" : "") metrics"
                )
            } else if case .array(let items) = value {
                var values: [Double] = []
                values.reserveCapacity(items.count)
                for (i, item) in items.enumerated() {
                    if let d = item.doubleValue, d.isFinite {
                        values.append(d)
                    } else {
                        r.record(
                            FieldIssue(
                                pointer.appending("metrics").appending(i),
                                "must be a number, got \(item.shortDescription)"
                            )
                        )
                    }
                }
                metrics = values
            } else {
                r.record("metrics", "must be a list of numbers (one per step), got \(value.shortDescription)")
            }
        }
        Hints.topLevel(&r, scheduler: type)
        r.rejectUnknownKeys()
        issues.append(contentsOf: r.issues)
        guard let spec, issues.isEmpty else { throw .invalidSpec(issues) }

        let steps = start + epochs - 1
        if let resume {
            guard start >= resume.from else {
                throw .invalidSpec([
                    FieldIssue(
                        pointer.appending("start"),
                        "must be at least resume.from_update (\(resume.from)): the values before the checkpoint belong to the run that saved it"
                    )
                ])
            }
            if spec.takesMetrics {
                throw .invalidSpec([
                    FieldIssue(
                        pointer.appending("resume"),
                        "resuming \(spec.name) is not supported: it steps on metrics"
                    )
                ])
            }
            let plan = Resume.plan(
                from: resume.from,
                old: resume.old,
                oldLRs: resume.oldLRs,
                new: spec,
                start: start,
                epochs: epochs
            )
            guard plan.work <= limits.maxWork else {
                throw .invalidSpec([
                    FieldIssue(
                        pointer.appending("epochs"),
                        "start + epochs = \(steps + 1) steps exceed the work limit of \(limits.maxWork)"
                    )
                ])
            }
            if selection != .range {
                throw .invalidSpec([FieldIssue(pointer.appending("resume"), "cannot be combined with at or every yet")])
            }
            var request = ScheduleRequest(
                scheduler: spec,
                lrs: lrs,
                epochs: epochs,
                start: start,
                metrics: nil,
                trainer: plan
            )
            request.summary = summary
            return request
        }
        if spec.takesMetrics {
            let have = metrics?.count ?? 0
            if have < steps {
                throw .invalidSpec([
                    FieldIssue(
                        pointer.appending("metrics"),
                        "needs at least start + epochs - 1 = \(steps) values (one per step() call), got \(have)"
                    )
                ])
            }
        }
        let (perStep, overflow1) = spec.costPerEpoch.multipliedReportingOverflow(by: lrs.count)
        let (work, overflow2) = (steps + 1).multipliedReportingOverflow(by: perStep)
        if overflow1 || overflow2 || work > limits.maxWork {
            let groups = lrs.count == 1 ? "" : " for \(lrs.count) parameter groups"
            throw .invalidSpec([
                FieldIssue(
                    pointer.appending("epochs"),
                    "start + epochs = \(steps + 1) steps of this schedule (cost \(spec.costPerEpoch) per step)\(groups) exceeds the work limit of \(limits.maxWork)"
                )
            ])
        }
        var request = ScheduleRequest(scheduler: spec, lrs: lrs, epochs: epochs, start: start, metrics: metrics)
        request.selection = selection
        request.summary = summary
        return request
    }

    /// `lr`: one positive number, or a list of them (one per parameter group). Schedulers that set
    /// the LR themselves may leave it out; the optimizer then starts at their default.
    static func decodeLR(_ r: inout ObjectReader, policy: LearningRatePolicy) -> [Double] {
        let requirement = "must be a non-negative number (the optimizer's learning rate)"
        if policy == .none {
            if r.contains("lr") {
                r.record("lr", "must be left out: this schedule's parameters are the learning rates it returns")
            }
            _ = r.raw("lr")
            return [1]
        }
        if case .optional(let fallback) = policy, !r.contains("lr") {
            _ = r.raw("lr")
            return [fallback]
        }
        guard case .array(let items)? = r.object["lr"] else {
            return [r.double("lr", requirement: requirement) { $0 >= 0 }]
        }
        _ = r.raw("lr")
        guard (1...maxGroups).contains(items.count) else {
            r.record(
                "lr",
                "must be a non-negative number, or a list of 1 to \(maxGroups) (one per parameter group), got \(JSONValue.array(items).shortDescription)"
            )
            return [1]
        }
        return items.enumerated().map { i, item in
            if let d = item.doubleValue, d.isFinite, d >= 0 { return d }
            r.record(FieldIssue(r.pointer.appending("lr").appending(i), "\(requirement), got \(item.shortDescription)"))
            return 1
        }
    }

    /// Replays the schedule from construction and returns the `epochs` values from `start` on,
    /// for every group. Fails, naming the step, where the framework would raise or where a
    /// learning rate stops being finite.
    public func evaluate() throws(ScheduleError) -> ScheduleValues {
        if let trainer { return selection.pick(try trainer.evaluate(), start: start) }
        if selection != .range { return try evaluateSelected() }
        let last = start + epochs - 1
        let schedule = try LiveSchedule(scheduler, lrs: lrs)
        let groups = lrs.count
        var lrs = [[Double]](repeating: [], count: groups)
        for g in 0..<groups { lrs[g].reserveCapacity(epochs) }
        var momentums: [[Double]]? = schedule.momentum == nil ? nil : lrs
        @inline(__always) func record() {
            for g in 0..<groups { lrs[g].append(schedule.lr(group: g)) }
            if momentums != nil {
                for g in 0..<groups { momentums![g].append(schedule.momentum(group: g) ?? .nan) }
            }
        }
        if start == 0 { record() }
        if let metrics, schedule.needsMetric {
            for step in 0..<last {
                try schedule.step(metric: metrics[step])
                if step + 1 >= start { record() }
            }
        } else if groups == 1 && momentums == nil {
            // The common case, kept free of per-group loops and nested-array accesses.
            var values = lrs[0]
            lrs[0] = []
            // Steps before `start` are taken, not kept; the rest in one run.
            let skipped = Swift.max(0, Swift.min(start - 1, last))
            for _ in 0..<skipped { try schedule.step() }
            try schedule.step(last - skipped, appendingTo: &values)
            lrs[0] = values
        } else {
            for step in 0..<last {
                try schedule.step()
                if step + 1 >= start { record() }
            }
        }
        return ScheduleValues(lrs: lrs, momentums: momentums)
    }
}

extension ScheduleRequest {
    /// `at` and `every`: replays the schedule once up to the last step wanted, keeping only the
    /// values at the wanted steps (bit for bit those of the full answer), in the answer's order.
    func evaluateSelected() throws(ScheduleError) -> ScheduleValues {
        var targets: [Int]
        switch selection {
        case .every(let n): targets = Array(stride(from: start, to: start + epochs, by: n))
        case .at(let steps): targets = Array(Set(steps)).sorted()
        case .range: targets = Array(start..<(start + epochs))
        }
        let schedule = try LiveSchedule(scheduler, lrs: lrs)
        let groups = lrs.count
        var found = [[Double]](repeating: [], count: groups)
        var foundMomentums: [[Double]]? = schedule.momentum == nil ? nil : found
        for target in targets {
            while schedule.steps < target {
                if let metrics, schedule.needsMetric {
                    try schedule.step(metric: metrics[schedule.steps])
                } else {
                    try schedule.step()
                }
            }
            for g in 0..<groups {
                found[g].append(schedule.lr(group: g))
                foundMomentums?[g].append(schedule.momentum(group: g) ?? .nan)
            }
        }
        guard case .at(let steps) = selection else { return ScheduleValues(lrs: found, momentums: foundMomentums) }
        // Back to the request's order (repeats allowed): targets are sorted, so search them.
        let order = steps.map { step in
            var low = 0
            var high = targets.count - 1
            while low < high {
                let mid = (low + high) / 2
                if targets[mid] < step { low = mid + 1 } else { high = mid }
            }
            return low
        }
        return ScheduleValues(
            lrs: found.map { row in order.map { row[$0] } },
            momentums: foundMomentums.map { table in table.map { row in order.map { row[$0] } } }
        )
    }
}

/// The values of an evaluated schedule: one list per parameter group.
public struct ScheduleValues: Sendable, Equatable {
    /// `lrs[g][k]`: group g's learning rate at step `start + k`.
    public var lrs: [[Double]]
    /// `momentums[g][k]`: the momentum (or β₁) the schedule set, when it drives one.
    public var momentums: [[Double]]?

    /// Group 0's learning rates.
    public var first: [Double] { lrs[0] }
}
