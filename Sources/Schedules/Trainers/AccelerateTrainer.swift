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

    static let planMembers = [
        "scheduler_steps_per_update", "total_updates", "scheduler_steps", "schedule_ends_at_update", "resumed_from",
        "scheduler",
    ]

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
        TrainerField(
            "resume",
            "object",
            "accelerator.load_state of a checkpoint saved after from_update updates by a run with resume's scheduler, lr, num_processes, split_batches, gradient_accumulation_steps and step_with_optimizer (absent: the current ones)"
        ),
    ]

    /// Keys of a spec's `params` that give the schedule's length in scheduler steps.
    static let lengthKeys = ["total_steps", "num_training_steps", "T_max", "total_iters"]

    /// One run's setup: the prepared scheduler, the optimizer's LRs and the Accelerator's options.
    struct Setup {
        var lrs: [Double]
        var spec: SchedulerSpec
        var specObject: JSONObject?
        var processes = 1
        var split = false
        var accumulation = 1
        var withOptimizer = true

        /// Inner scheduler steps per optimizer update.
        var perUpdate: Int { withOptimizer ? (split ? 1 : processes) : accumulation }

        /// OneCycleLR's `total_steps` when the wrapper's guard (`_step_count <= total_steps`)
        /// applies: it steps once per process; split_batches and plain pass-through step unguarded.
        var guardedTotal: Int? {
            spec.name == "OneCycleLR" && spec.family.name == "torch" && withOptimizer && !split
                ? oneCycleTotal(specObject?["params"]) : nil
        }

        /// The inner position when update `j` (from 0, counted from `p0`) calls `optimizer.step()`;
        /// `guardTotal` caps it where the wrapper stops stepping.
        func position(_ j: Int, from p0: Int, guardTotal: Int?) -> Int {
            var p = withOptimizer ? p0 + j * perUpdate : p0 + (j + 1) * accumulation - 1
            if let guardTotal { p = Swift.min(p, Swift.max(guardTotal, p0)) }
            return p
        }

        /// The inner position after `n` updates from `p0` (the scheduler also steps after the last).
        func after(_ n: Int, from p0: Int, guardTotal: Int?) -> Int {
            var p = p0 + n * perUpdate
            if let guardTotal { p = Swift.min(p, Swift.max(guardTotal, p0)) }
            return p
        }
    }

    /// Reads a setup from `r`; members it leaves out come from `defaults`.
    static func readSetup(_ r: inout ObjectReader, defaults: Setup?) -> Setup? {
        let lrs = r.contains("lr") || defaults == nil ? readLearningRates(&r) : defaults?.lrs
        if !r.contains("lr") { _ = r.raw("lr") }
        let processes = r.int(
            "num_processes",
            default: defaults?.processes ?? 1,
            in: 1...65_536,
            requirement: "must be an integer from 1 to 65536"
        )
        let split = r.bool("split_batches", default: defaults?.split ?? false)
        let accumulation = r.int(
            "gradient_accumulation_steps",
            default: defaults?.accumulation ?? 1,
            in: 1...(1 << 20),
            requirement: "must be a positive integer"
        )
        let withOptimizer = r.bool("step_with_optimizer", default: defaults?.withOptimizer ?? true)
        var spec: SchedulerSpec? = defaults?.spec
        var specObject = defaults?.specObject
        if let value = r.raw("scheduler"), let lrs {
            do {
                spec = try SchedulerSpec.decode(value, at: r.pointer.appending("scheduler"), groups: lrs.count)
                specObject = rawSpec(value)
            } catch {
                if case .invalidSpec(let issues) = error { for issue in issues { r.record(issue) } }
            }
        } else if defaults == nil && !r.contains("scheduler") {
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
        return Setup(
            lrs: lrs,
            spec: spec,
            specObject: specObject,
            processes: processes,
            split: split,
            accumulation: accumulation,
            withOptimizer: withOptimizer
        )
    }

    static func plan(_ r: inout ObjectReader, limits: ScheduleLimits) -> TrainerPlan? {
        let setup = readSetup(&r, defaults: nil)
        let updates = r.int(
            "updates",
            in: 1...limits.maxEpochs,
            requirement: "must be an integer from 1 to \(limits.maxEpochs): the optimizer updates of the run"
        )
        // Resume: `accelerator.load_state` restores the inner scheduler's whole state (torch's
        // load_state_dict) and the optimizer's LR, written by a run with `resume`'s setup.
        var old: Setup?
        var from = 0
        if let value = r.raw("resume"), let setup {
            guard case .object(let object) = value else {
                r.record(
                    "resume",
                    "must be an object {\"from_update\": k, ...the checkpointed run's scheduler, lr, num_processes...}, got \(value.shortDescription)"
                )
                return nil
            }
            var rr = ObjectReader(object, at: r.pointer.appending("resume"))
            from = rr.int(
                "from_update",
                in: 1...limits.maxEpochs,
                requirement: "must be a positive integer: the optimizer updates done when accelerator.save_state ran"
            )
            old = readSetup(&rr, defaults: setup)
            rr.rejectUnknownKeys()
            for issue in rr.issues { r.record(issue) }
        }
        guard let setup, r.issues.isEmpty else { return nil }
        if old != nil && from >= updates {
            r.record(
                FieldIssue(
                    r.pointer.appending("resume").appending("from_update"),
                    "must be below updates (\(updates)): the resumed run has nothing left to train, got \(from)"
                )
            )
            return nil
        }
        let perUpdate = setup.perUpdate
        var warnings: [String] = []
        var segments: [TrainerPlan.Segment]
        var p0 = 0
        var guardTotal = setup.guardedTotal
        var stepping = setup
        if let old {
            guard old.spec.name == setup.spec.name, old.spec.family === setup.spec.family,
                old.lrs.count == setup.lrs.count
            else {
                r.record(
                    FieldIssue(
                        r.pointer.appending("scheduler").appending("scheduler"),
                        "must be the checkpointed run's scheduler class (\(old.spec.name)): load_state_dict copies the old scheduler's attributes into the new one"
                    )
                )
                return nil
            }
            if Resume.unsupported.contains(setup.spec.name)
                || setup.spec.family !== Registry.defaultFamily && setup.spec.family.name != "transformers"
            {
                r.record(
                    FieldIssue(
                        r.pointer.appending("resume"),
                        "resuming \(setup.spec.name) is not supported: its restored state mixes the old and new configuration in ways lrsched does not replay yet"
                    )
                )
                return nil
            }
            p0 = old.after(from, from: 0, guardTotal: old.guardedTotal)
            // The restored scheduler keeps its total_steps; the new wrapper decides whether it guards.
            guardTotal = setup.guardedTotal != nil ? old.guardedTotal : nil
            stepping = setup
            stepping.spec = old.spec
            stepping.specObject = old.specObject
        }
        let count = updates - from
        var positions: [Int] = []
        positions.reserveCapacity(count)
        for j in 0..<count { positions.append(stepping.position(j, from: p0, guardTotal: guardTotal)) }
        let finalSteps = stepping.after(count, from: p0, guardTotal: guardTotal)
        if let old {
            // transformers' schedules and LambdaLR are lambdas: the function is not saved, so the new
            // one applies from the first step after loading, at the checkpoint's base LRs.
            let restored = TrainerPlan.restored(
                old: old.spec,
                oldLRs: old.lrs,
                new: setup.spec,
                defaultLR: setup.lrs[0],
                positions: positions,
                stored: p0
            )
            segments = restored.segments
            if restored.takesNewFunction {
                warnings.append(
                    "the scheduler's function is not saved by accelerator.save_state: the new one applies from the first step after loading, at the checkpoint's base LR"
                )
            } else if old.specObject?["params"] != setup.specObject?["params"] {
                warnings.append(
                    "the scheduler's new params are ignored on resume: accelerator.load_state restores every attribute of the checkpoint's \(old.spec.name), so its schedule continues"
                )
            }
            if old.lrs != setup.lrs {
                warnings.append(
                    "lr is ignored on resume: the optimizer's state and the scheduler's base_lrs come from the checkpoint"
                )
            }
        } else {
            segments = [.init(spec: setup.spec, lrs: setup.lrs, positions: positions)]
        }
        var members: [(key: String, value: JSONValue)] = [
            ("scheduler_steps_per_update", .integer(perUpdate)),
            ("total_updates", .integer(updates)),
            ("scheduler_steps", .integer(finalSteps)),
        ]
        let processes = setup.processes
        let accumulation = setup.accumulation
        if let length = scheduleLength((old ?? setup).specObject?["params"]) {
            let end = from + Swift.max(0, (length - p0 + perUpdate - 1) / perUpdate)
            members.append(("schedule_ends_at_update", .integer(end)))
            if perUpdate > 1 && end < updates {
                let why =
                    setup.withOptimizer
                    ? "the prepared scheduler steps \(processes) times per optimizer update (once per process; split_batches=false)"
                    : "without step_with_optimizer the scheduler steps on every one of the \(accumulation) micro-batches"
                warnings.append(
                    "the schedule's \(length) steps end at update \(end) of \(updates): \(why); give it \(length) × \(perUpdate) steps, or count them in updates (accelerate#2926)"
                )
            }
        }
        if perUpdate > 1 && !warnings.contains(where: { $0.contains("accelerate#2926") }) {
            warnings.append(
                setup.withOptimizer
                    ? "the prepared scheduler steps \(processes) times per optimizer update (once per process; split_batches=false): its step counts (step_size, milestones, lengths) pass \(processes)× faster than the updates (accelerate#2926)"
                    : "without step_with_optimizer the scheduler steps on every one of the \(accumulation) micro-batches of an update"
            )
        }
        if let guardTotal, p0 + (count - 1) * perUpdate > guardTotal {
            warnings.append(
                "OneCycleLR stops at step \(guardTotal), its total_steps: AcceleratedScheduler skips inner steps past it, so later updates keep that LR"
            )
        }
        if old != nil {
            members.append(
                (
                    "resumed_from",
                    .object(JSONObject([("from_update", .integer(from)), ("scheduler_steps", .integer(p0))]))
                )
            )
        }
        members.append(("scheduler", (old ?? setup).specObject.map { .object($0) } ?? .null))
        var plan = TrainerPlan(
            trainer: name,
            segments: segments,
            firstUpdate: from,
            members: JSONObject(members),
            warnings: warnings + (old ?? setup).spec.warnings
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

    /// `lr`: a number or a list of numbers (one per parameter group), as a schedule request reads
    /// it; nil after recording a problem.
    static func readLearningRates(_ r: inout ObjectReader) -> [Double]? {
        let before = r.issues.count
        let lrs = ScheduleRequest.decodeLR(&r, policy: .required)
        return r.issues.count == before ? lrs : nil
    }
}
