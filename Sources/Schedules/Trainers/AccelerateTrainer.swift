import JSON

/// `"trainer": "accelerate"`: a scheduler passed through `accelerator.prepare` (accelerate 1.15)
/// and stepped by the loop accelerate documents: on every micro-batch, inside
/// `accelerator.accumulate(model)`, `optimizer.step(); lr_scheduler.step()`.
///
/// The rule, from `accelerate/scheduler.py` (`AcceleratedScheduler.step`): with
/// `step_with_optimizer` (the default), calls on micro-batches that do not sync gradients do
/// nothing; at an optimizer update the inner scheduler steps once with `split_batches`, else
/// `num_processes` times — except a scheduler with `total_steps` (OneCycleLR), which steps only
/// while `_step_count <= total_steps` (so up to step `total_steps`, one past its last regular value). Without `step_with_optimizer` every call steps, so the
/// scheduler advances once per micro-batch. Update `k` (from 0) therefore runs at inner position
/// `k × P` (`min(k × P, total_steps)` for OneCycleLR), `k` with `split_batches`, or
/// `(k + 1) × G − 1` without `step_with_optimizer`.
enum AccelerateTrainer: TrainerDefinition {
    static let name = "accelerate"
    static let title = "Hugging Face accelerate (AcceleratedScheduler)"
    static let version = "1.16.0"
    static let stepping =
        "value k is the LR of optimizer update k + 1: the inner scheduler after k × num_processes steps (k with split_batches)"

    static let fields: [TrainerField] = [
        TrainerField(
            "scheduler",
            "object",
            required: true,
            "the prepared scheduler: an lrsched spec {\"framework\", \"scheduler\", \"params\"}"
        ),
        TrainerField(
            "lr",
            "number | [number]",
            required: true,
            "the optimizer's learning rate (one per parameter group)"
        ),
        TrainerField("updates", "integer", required: true, "optimizer updates of the run"),
        TrainerField("num_processes", "integer", default: 1, "processes (accelerate launch --num_processes)"),
        TrainerField("split_batches", "boolean", default: false, "DataLoaderConfiguration(split_batches=True)"),
        TrainerField("gradient_accumulation_steps", "integer", default: 1, "micro-batches per optimizer update"),
        TrainerField(
            "step_with_optimizer",
            "boolean",
            default: true,
            "Accelerator(step_scheduler_with_optimizer=...)"
        ),
    ]

    /// Keys of a spec's `params` that give the schedule's length in scheduler steps.
    static let lengthKeys = ["total_steps", "num_training_steps", "T_max", "total_iters"]

    static func plan(_ r: inout ObjectReader, limits: ScheduleLimits) -> TrainerPlan? {
        let lrs = readLearningRates(&r)
        let processes = r.int(
            "num_processes",
            default: 1,
            in: 1...65_536,
            requirement: "must be an integer from 1 to 65536"
        )
        let split = r.bool("split_batches", default: false)
        let accumulation = r.int(
            "gradient_accumulation_steps",
            default: 1,
            in: 1...(1 << 20),
            requirement: "must be a positive integer"
        )
        let withOptimizer = r.bool("step_with_optimizer", default: true)
        let updates = r.int(
            "updates",
            in: 1...limits.maxEpochs,
            requirement: "must be an integer from 1 to \(limits.maxEpochs): the optimizer updates of the run"
        )
        var spec: SchedulerSpec?
        if let value = r.raw("scheduler"), let lrs {
            do {
                spec = try SchedulerSpec.decode(value, at: r.pointer.appending("scheduler"), groups: lrs.count)
            } catch {
                if case .invalidSpec(let issues) = error { for issue in issues { r.record(issue) } }
            }
        } else if !r.contains("scheduler") {
            r.record(
                "scheduler",
                "is required: the scheduler passed to accelerator.prepare, as {\"scheduler\": \"StepLR\", \"params\": {...}}"
            )
        }
        guard let spec, let lrs, r.issues.isEmpty else { return nil }
        if spec.takesMetrics {
            r.record(
                FieldIssue(
                    r.pointer.appending("scheduler").appending("scheduler"),
                    "\(spec.name) steps on a metric; an accelerate request does not take metrics"
                )
            )
            return nil
        }
        let specObject = rawSpec(r.object["scheduler"])
        // The wrapper's guard (`_step_count <= total_steps`) applies when it steps once per
        // process; split_batches and plain pass-through step OneCycleLR unguarded.
        let totalSteps: Int? =
            spec.name == "OneCycleLR" && spec.family.name == "torch" && withOptimizer && !split
            ? oneCycleTotal(specObject?["params"]) : nil
        let perUpdate = withOptimizer ? (split ? 1 : processes) : accumulation
        var positions: [Int] = []
        positions.reserveCapacity(updates)
        for k in 0..<updates {
            var p = withOptimizer ? k * perUpdate : (k + 1) * accumulation - 1
            if let totalSteps { p = Swift.min(p, totalSteps) }
            positions.append(p)
        }
        var finalSteps = withOptimizer ? updates * perUpdate : updates * accumulation
        if let totalSteps { finalSteps = Swift.min(finalSteps, totalSteps) }
        var warnings: [String] = []
        var members: [(key: String, value: JSONValue)] = [
            ("scheduler_steps_per_update", .integer(perUpdate)),
            ("total_updates", .integer(updates)),
            ("scheduler_steps", .integer(finalSteps)),
        ]
        if let length = scheduleLength(specObject?["params"]) {
            let end = (length + perUpdate - 1) / perUpdate
            members.append(("schedule_ends_at_update", .integer(end)))
            if perUpdate > 1 && end < updates {
                let why =
                    withOptimizer
                    ? "the prepared scheduler steps \(processes) times per optimizer update (once per process; split_batches=false)"
                    : "without step_with_optimizer the scheduler steps on every one of the \(accumulation) micro-batches"
                warnings.append(
                    "the schedule's \(length) steps end at update \(end) of \(updates): \(why); give it \(length) × \(perUpdate) steps, or count them in updates (accelerate#2926)"
                )
            }
        }
        if perUpdate > 1 && warnings.isEmpty {
            warnings.append(
                withOptimizer
                    ? "the prepared scheduler steps \(processes) times per optimizer update (once per process; split_batches=false): its step counts (step_size, milestones, lengths) pass \(processes)× faster than the updates (accelerate#2926)"
                    : "without step_with_optimizer the scheduler steps on every one of the \(accumulation) micro-batches of an update"
            )
        }
        if let totalSteps, (updates - 1) * perUpdate > totalSteps {
            warnings.append(
                "OneCycleLR stops at step \(totalSteps), its total_steps: AcceleratedScheduler skips inner steps past it, so later updates keep that LR"
            )
        }
        members.append(("scheduler", specObject.map { .object($0) } ?? .null))
        var plan = TrainerPlan(
            trainer: name,
            segments: [.init(spec: spec, lrs: lrs, positions: positions)],
            firstUpdate: 0,
            members: JSONObject(members),
            warnings: warnings + spec.warnings
        )
        plan.finalPosition = finalSteps
        return plan
    }

    /// The spec object as sent (with `framework` filled in), for `plan`.
    static func rawSpec(_ value: JSONValue?) -> JSONObject? {
        guard case .object(var object)? = value else { return nil }
        if object["framework"] == nil {
            object = JSONObject([("framework", .string(Registry.defaultFamily.name))] + object.members)
        }
        return object
    }

    /// OneCycleLR's `total_steps`, or `epochs × steps_per_epoch`.
    static func oneCycleTotal(_ params: JSONValue?) -> Int? {
        if let total = params?["total_steps"]?.integralValue { return total }
        if let epochs = params?["epochs"]?.integralValue, let steps = params?["steps_per_epoch"]?.integralValue {
            return epochs * steps
        }
        return nil
    }

    /// The schedule's length in scheduler steps, when its parameters give one.
    static func scheduleLength(_ params: JSONValue?) -> Int? {
        for key in lengthKeys { if let n = params?[key]?.integralValue, n > 0 { return n } }
        return oneCycleTotal(params)
    }

    /// `lr`: a number or a list of numbers (one per parameter group).
    static func readLearningRates(_ r: inout ObjectReader) -> [Double]? {
        let requirement = "must be a non-negative number, or a list of them (one per parameter group)"
        guard let value = r.raw("lr") else {
            r.record("lr", "is required (the optimizer's learning rate)")
            return nil
        }
        let items: [JSONValue]
        if case .array(let list) = value { items = list } else { items = [value] }
        guard (1...ScheduleRequest.maxGroups).contains(items.count) else {
            r.record("lr", "\(requirement), got \(value.shortDescription)")
            return nil
        }
        var lrs: [Double] = []
        for item in items {
            guard let d = item.doubleValue, d.isFinite, d >= 0 else {
                r.record("lr", "\(requirement), got \(value.shortDescription)")
                return nil
            }
            lrs.append(d)
        }
        return lrs
    }
}
