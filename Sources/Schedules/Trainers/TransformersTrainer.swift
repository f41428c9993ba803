import JSON

/// `"trainer": "transformers"`: Hugging Face `Trainer.train()` (transformers 5.24.0 on accelerate)
/// from `TrainingArguments`, the dataset's size and the number of processes.
///
/// The rules, from `trainer.py` (`set_initial_training_values`, `create_scheduler`,
/// `_inner_training_loop`) and `training_args.py` (`get_warmup_steps`):
/// - per process, the dataloader yields `B = ceil(n / bs)` batches (`floor` with
///   `dataloader_drop_last`); with `P` processes accelerate's `BatchSamplerShard` gives each
///   `B / P` when `P` divides `B`, else `floor(B / P)` with drop_last and `floor(B / P) + 1`
///   otherwise (`even_batches`); `split_batches` keeps `B`;
/// - `updates_per_epoch = max(ceil(len_dl / GA), 1)` (the last partial accumulation group of an
///   epoch is an update);
/// - `total = max_steps` if positive, else `ceil(num_train_epochs × updates_per_epoch)` (a Python
///   float product, fractional epochs included); the loop runs `ceil(total / updates_per_epoch)` epochs;
/// - warm-up: `int(warmup_steps)` when `warmup_steps >= 1`, else `ceil(total × warmup_steps)`;
///   4.x's `warmup_ratio` (removed in 5.2) is read as 4.57 did: `warmup_steps` if positive, else
///   `ceil(total × warmup_ratio)`;
/// - `get_scheduler(lr_scheduler_type, num_warmup_steps, num_training_steps=total,
///   scheduler_specific_kwargs=lr_scheduler_kwargs)`, which drops every keyword for `constant`,
///   passes only the warm-up to `constant_with_warmup` and no length to `inverse_sqrt`;
/// - update `k` (from 1) runs at the LR after `k - 1` `scheduler.step()` calls: the Trainer steps
///   the scheduler right after each `optimizer.step()` and never passes it to accelerate.
///
/// Resume (`resume.from_update = k`, `resume.args` = the run that wrote the checkpoint): the
/// scheduler is rebuilt from the new arguments, then `load_state_dict` restores `last_epoch`,
/// `base_lrs` and the optimizer's LR, but not the lambda's arguments. Update `k + 1` runs at the
/// stored LR (the old schedule at `k`); from update `k + 2` on, the new schedule scaled by the old
/// `learning_rate` (a new `learning_rate` is ignored).
enum TransformersTrainer: TrainerDefinition {
    static let name = "transformers"
    static let title = "Hugging Face transformers Trainer (with accelerate)"
    static let version = "5.24.0"
    static let stepping =
        "value k is the LR of optimizer update start + k + 1: the scheduler after start + k step() calls (the Trainer steps it after every optimizer.step())"

    static let planMembers = [
        "batches_per_epoch", "updates_per_epoch", "total_updates", "warmup_updates", "epochs", "total_train_batch_size",
        "eval_steps", "evaluations", "resumed_from", "scheduler",
    ]

    static let fields: [TrainerField] = [
        TrainerField("args", "object", required: true, "TrainingArguments, under their own names"),
        TrainerField("args/learning_rate", "number", default: .double(5e-5), "the peak learning rate"),
        TrainerField("args/lr_scheduler_type", "string", default: "linear", "a transformers SchedulerType"),
        TrainerField(
            "args/lr_scheduler_kwargs",
            "object | string",
            default: .object(JSONObject()),
            "scheduler-specific keywords (a dict or its JSON text), forwarded to get_scheduler"
        ),
        TrainerField(
            "args/warmup_steps",
            "number",
            default: 0,
            "warm-up updates: an integer, or a float below 1 as a fraction of the total (5.x)"
        ),
        TrainerField(
            "args/warmup_ratio",
            "number",
            default: 0,
            "4.x: the warm-up as a fraction of the total, used when warmup_steps is 0 (removed in 5.2)"
        ),
        TrainerField("args/num_train_epochs", "number", default: 3.0, "epochs; fractional values cut the last one"),
        TrainerField("args/max_steps", "integer", default: -1, "optimizer updates; when positive, overrides epochs"),
        TrainerField("args/per_device_train_batch_size", "integer", default: 8, "examples per batch and process"),
        TrainerField("args/gradient_accumulation_steps", "integer", default: 1, "batches per optimizer update"),
        TrainerField("args/dataloader_drop_last", "boolean", default: false, "drop the last incomplete batch"),
        TrainerField("args/eval_strategy", "string", default: "no", "reduce_lr_on_plateau and greedy: steps or epoch"),
        TrainerField(
            "args/eval_steps",
            "number",
            "updates between evaluations (a float below 1: a fraction of the total)"
        ),
        TrainerField("args/eval_delay", "number", default: 0, "updates or epochs before the first evaluation"),
        TrainerField("args/logging_steps", "number", default: 500, "the fallback of eval_steps"),
        TrainerField(
            "metrics",
            "[number]",
            "reduce_lr_on_plateau and greedy: metric_for_best_model of each evaluation, in order"
        ),
        TrainerField("dataset_size", "integer", required: true, "the number of training examples (len(train_dataset))"),
        TrainerField("world_size", "integer", default: 1, "processes (GPUs) the batches are sharded over"),
        TrainerField(
            "split_batches",
            "boolean",
            default: false,
            "accelerate's split_batches: every process sees every batch, split"
        ),
        TrainerField(
            "even_batches",
            "boolean",
            default: true,
            "accelerate's even_batches (the default pads the last round of batches)"
        ),
        TrainerField(
            "resume",
            "object",
            "resume from the checkpoint at update from_update, written by a run with resume.args (and resume.dataset_size, resume.world_size)"
        ),
    ]

    /// The arguments that change the learning rate, as read from `args`.
    struct Arguments {
        var learningRate = 5e-5
        var type = "linear"
        var kwargs = JSONObject()
        var pointer: JSONPointer
        var kwargsPointer: JSONPointer { pointer.appending("lr_scheduler_kwargs") }
        var warmupSteps = 0.0
        var warmupRatio: Double?
        var epochs = 3.0
        var maxSteps = -1
        var batchSize = 8
        var accumulation = 1
        var dropLast = false
        /// For `reduce_lr_on_plateau` and `greedy`: when the Trainer evaluates.
        var evaluation: Evaluation?
        /// `deepspeed`: the DeepSpeed config the Trainer runs under.
        var deepspeed: DeepSpeedArguments?
    }

    /// `eval_strategy`, `eval_steps` (or `logging_steps`, its fallback) and `eval_delay`.
    struct Evaluation {
        var perEpoch: Bool
        var steps: Double
        var delay: Double

        /// `state.eval_steps` (`compute_steps`: a value below 1 is a fraction of `max_steps`).
        func interval(total: Int) -> Double {
            steps < 1 ? (Double(total) * steps).rounded(.up) : steps
        }

        /// Whether the Trainer evaluates right after update `u` (from 1), `DefaultFlowCallback`'s
        /// rule: every `eval_steps` updates, or at the end of every epoch, once `eval_delay` is reached.
        func follows(update u: Int, updatesPerEpoch: Int, total: Int) -> Bool {
            if perEpoch {
                return u % updatesPerEpoch == 0 && delay <= Double(u / updatesPerEpoch)
            }
            let every = interval(total: total)
            return every > 0 && Double(u).truncatingRemainder(dividingBy: every) == 0 && delay <= Double(u)
        }
    }

    /// The types that step on the evaluation metric, at evaluations, instead of after every update.
    static let metricTypes: Set<String> = ["reduce_lr_on_plateau", "greedy"]

    /// The data and processes the dataloader length depends on.
    struct Data {
        var size = 1
        var processes = 1
        var splitBatches = false
        var evenBatches = true
    }

    /// What `set_initial_training_values` and `get_warmup_steps` derive.
    struct Derived {
        var batchesPerEpoch: Int
        var updatesPerEpoch: Int
        var total: Int
        var epochs: Int
        var warmup: Int
    }

    static func plan(_ request: inout ObjectReader, limits: ScheduleLimits) -> TrainerPlan? {
        var warnings: [String] = []
        let argsPointer = request.pointer.appending("args")
        guard request.contains("args") else {
            _ = request.raw("args")
            request.record(
                "args",
                "is required: the TrainingArguments, such as {\"learning_rate\": 5e-5, \"num_train_epochs\": 3}"
            )
            return nil
        }
        let args = readArguments(request.raw("args"), at: argsPointer, warnings: &warnings, into: &request)
        let data = readData(&request, limits: limits)
        var resume: (update: Int, args: Arguments?, data: Data)?
        if let value = request.raw("resume") {
            resume = readResume(
                value,
                at: request.pointer.appending("resume"),
                current: data,
                limits: limits,
                warnings: &warnings,
                into: &request
            )
        }
        guard let args, let data, request.issues.isEmpty else { return nil }
        guard let derived = derive(args, data, at: argsPointer, into: &request) else { return nil }
        guard derived.total <= limits.maxEpochs, derived.epochs <= limits.maxEpochs else {
            request.record(
                "args",
                "the run has \(derived.total) optimizer updates; at most \(limits.maxEpochs) are answered in one request"
            )
            return nil
        }
        var issues: [FieldIssue] = []
        guard var built = build(args, derived, issues: &issues, warnings: &warnings) else {
            for issue in issues { request.record(issue) }
            return nil
        }
        var underDeepSpeed = false
        if let ds = args.deepspeed {
            if resume != nil {
                request.record(
                    FieldIssue(
                        ds.pointer,
                        "resuming under DeepSpeed is not supported yet: leave out resume or deepspeed"
                    )
                )
                return nil
            }
            let replaced = deepSpeedSchedule(
                ds,
                args: args,
                derived: derived,
                data: data,
                issues: &issues,
                warnings: &warnings
            )
            for issue in issues { request.record(issue) }
            guard issues.isEmpty else { return nil }
            if let replaced {
                built = replaced
                underDeepSpeed = true
            }
        }
        var members = planMembers(derived, args: args, data: data, scheduler: built.json)
        guard let resume else {
            let count = updates(derived, after: 0)
            guard count > 0 else {
                request.record(
                    FieldIssue(
                        argsPointer.appending("num_train_epochs"),
                        "runs \(derived.epochs) epochs: the run takes no optimizer update"
                    )
                )
                return nil
            }
            if let evaluation = args.evaluation, !underDeepSpeed {
                return metricPlan(
                    evaluation,
                    built: built,
                    derived: derived,
                    count: count,
                    args: args,
                    members: members,
                    warnings: warnings,
                    request: &request
                )
            }
            if request.contains("metrics") {
                _ = request.raw("metrics")
                request.record(
                    "metrics",
                    underDeepSpeed
                        ? "DeepSpeed's scheduler steps after every update, on no metric"
                        : "only reduce_lr_on_plateau and greedy step on metrics (one per evaluation); \(args.type) steps after every update"
                )
                return nil
            }
            return TrainerPlan(
                trainer: name,
                segments: [.init(spec: built.spec, lrs: [args.learningRate], positions: Array(0..<count))],
                firstUpdate: 0,
                members: members,
                warnings: warnings + built.spec.warnings
            )
        }
        // The checkpoint's run: its own schedule gives the LR stored with the optimizer.
        let old = resume.args ?? args
        if args.evaluation != nil || old.evaluation != nil {
            request.record(
                "resume",
                "resuming \(args.evaluation != nil ? args.type : old.type) is not supported yet: its state depends on the metrics of the checkpointed run"
            )
            return nil
        }
        let resumePointer = request.pointer.appending("resume")
        guard let oldDerived = derive(old, resume.data, at: resumePointer.appending("args"), into: &request) else {
            return nil
        }
        var oldWarnings: [String] = []
        guard let oldBuilt = build(old, oldDerived, issues: &issues, warnings: &oldWarnings) else {
            for issue in issues { request.record(issue) }
            return nil
        }
        let k = resume.update
        let written = updates(oldDerived, after: 0)
        guard k <= written else {
            request.record(
                FieldIssue(
                    resumePointer.appending("from_update"),
                    "must be at most the checkpointed run's \(written) optimizer updates, got \(k)"
                )
            )
            return nil
        }
        let count = updates(derived, after: k)
        guard count > 0 else {
            request.record(
                FieldIssue(
                    resumePointer.appending("from_update"),
                    "is at epoch \(k / derived.updatesPerEpoch) of a run of \(derived.epochs) epochs: the resumed run takes no optimizer update"
                )
            )
            return nil
        }
        if old.learningRate != args.learningRate {
            warnings.append(
                "learning_rate \(pythonRepr(args.learningRate)) is ignored on resume: the checkpoint's optimizer and scheduler state restore \(pythonRepr(old.learningRate)) (base_lrs), so the new schedule runs at the old peak"
            )
        }
        if old.type != args.type {
            warnings.append(
                "lr_scheduler_type changed from \(old.type) to \(args.type): the rebuilt \(args.type) lambda runs from the checkpoint's step with the checkpoint's base LR"
            )
        }
        if oldDerived.total != derived.total || oldDerived.warmup != derived.warmup {
            warnings.append(
                "the schedule is rebuilt for \(derived.total) updates with \(derived.warmup) warm-up updates (the checkpoint's run had \(oldDerived.total) and \(oldDerived.warmup)): update \(k + 1) still runs at the stored LR, and the LR jumps onto the new curve at update \(k + 2)"
            )
        }
        let resumed: JSONValue = .object(
            JSONObject([
                ("from_update", .integer(k)),
                ("total_updates", .integer(oldDerived.total)),
                ("warmup_updates", .integer(oldDerived.warmup)),
                ("scheduler", oldBuilt.json),
            ])
        )
        members = JSONObject(
            members.members.filter { $0.key != "scheduler" } + [("resumed_from", resumed), ("scheduler", built.json)]
        )
        // The rebuilt scheduler is built on the new optimizer (whose defaults["lr"] polynomial and
        // cosine_with_min_lr read), then given the checkpoint's base_lrs.
        let segments = TrainerPlan.restored(
            old: oldBuilt.spec,
            oldLRs: [old.learningRate],
            new: built.spec,
            defaultLR: args.learningRate,
            positions: Array(k..<(k + count)),
            stored: k
        ).segments
        return TrainerPlan(
            trainer: name,
            segments: segments,
            firstUpdate: k,
            members: members,
            warnings: warnings + built.spec.warnings
        )
    }

    /// The plan of a metric-driven type: the scheduler steps with `metrics[i]` at the `i`-th
    /// evaluation (`_evaluate` calls `lr_scheduler.step(metrics[metric_for_best_model])`) and not
    /// after updates, so update `u` runs at the scheduler after the evaluations before it.
    static func metricPlan(
        _ evaluation: Evaluation,
        built: (spec: SchedulerSpec, json: JSONValue),
        derived: Derived,
        count: Int,
        args: Arguments,
        members: JSONObject,
        warnings: [String],
        request: inout ObjectReader
    ) -> TrainerPlan? {
        var positions: [Int] = []
        positions.reserveCapacity(count)
        var evaluations = 0
        var after: [Int] = []
        for u in 1...count {
            positions.append(evaluations)
            if evaluation.follows(update: u, updatesPerEpoch: derived.updatesPerEpoch, total: derived.total) {
                evaluations += 1
                if after.count < 8 { after.append(u) }
            }
        }
        let when = after.map(String.init).joined(separator: ", ") + (evaluations > after.count ? ", …" : "")
        guard
            let metrics = TrainerPlan.readMetrics(
                &request,
                needed: positions.last ?? 0,
                what:
                    "the \(args.type == "greedy" ? "metric" : "metric_for_best_model") of each evaluation (after updates \(when))"
            )
        else { return nil }
        var members = members
        let interval: JSONValue =
            evaluation.perEpoch ? .string("epoch") : .integer(Int(evaluation.interval(total: derived.total)))
        members = JSONObject(
            members.members.filter { $0.key != "scheduler" } + [
                ("eval_steps", interval), ("evaluations", .integer(evaluations)), ("scheduler", built.json),
            ]
        )
        return TrainerPlan(
            trainer: name,
            segments: [
                .init(spec: built.spec, lrs: [args.learningRate], positions: positions, metrics: metrics)
            ],
            firstUpdate: 0,
            members: members,
            warnings: warnings + built.spec.warnings
        )
    }

    /// How many updates the loop takes after `k`: it runs `epochs` epochs of `updates_per_epoch`
    /// updates from epoch `k / updates_per_epoch` (skipping the updates done) and stops once
    /// `global_step >= total`, checked after each update (so at least one update runs).
    static func updates(_ d: Derived, after k: Int) -> Int {
        let capacity = saturating(saturating(d.epochs, times: d.updatesPerEpoch), plus: -k)
        return capacity <= 0 ? 0 : Swift.min(capacity, Swift.max(d.total - k, 1))
    }

    /// The `plan` members of a run.
    static func planMembers(_ d: Derived, args: Arguments, data: Data, scheduler: JSONValue) -> JSONObject {
        JSONObject([
            ("batches_per_epoch", .integer(d.batchesPerEpoch)),
            ("updates_per_epoch", .integer(d.updatesPerEpoch)),
            ("total_updates", .integer(d.total)),
            ("warmup_updates", .integer(d.warmup)),
            ("epochs", .integer(d.epochs)),
            (
                "total_train_batch_size",
                .integer(saturating(saturating(args.batchSize, times: args.accumulation), times: data.processes))
            ),
            ("scheduler", scheduler),
        ])
    }

    // MARK: Reading the request

    /// `TrainingArguments` fields that never change the learning rate: accepted and listed in
    /// `warnings` (names as in transformers 5.24.0).
    static let ignoredFields: Set<String> = TrainingArgumentsFields.all.subtracting(readFields)
    /// The fields this trainer reads.
    static let readFields: Set<String> = [
        "learning_rate", "lr_scheduler_type", "lr_scheduler_kwargs", "warmup_steps", "warmup_ratio",
        "num_train_epochs", "max_steps", "per_device_train_batch_size", "gradient_accumulation_steps",
        "dataloader_drop_last",
    ]

    static func readArguments(
        _ value: JSONValue?,
        at pointer: JSONPointer,
        warnings: inout [String],
        into request: inout ObjectReader
    ) -> Arguments? {
        guard case .object(let object)? = value else {
            request.record("args", "must be an object of TrainingArguments, got \(value?.shortDescription ?? "null")")
            return nil
        }
        var r = ObjectReader(object, at: pointer)
        var a = Arguments(pointer: pointer)
        a.learningRate = r.double("learning_rate", default: 5e-5, requirement: "must be a non-negative number") {
            $0 >= 0
        }
        if let value = r.raw("lr_scheduler_type") {
            if case .string(let type) = value, Transformers.family.scheduler(named: type) != nil {
                a.type = type
            } else {
                let known = Transformers.family.schedulerNames
                let hint =
                    value.stringValue.flatMap { closestMatch(to: $0, in: known) }.map { "; did you mean \"\($0)\"?" }
                    ?? ""
                r.record(
                    "lr_scheduler_type",
                    "must be a SchedulerType (\(known.joined(separator: ", "))), got \(value.shortDescription)\(hint) (transformers raises ValueError: is not a valid SchedulerType)"
                )
            }
        }
        if let value = r.raw("lr_scheduler_kwargs") {
            switch value {
            case .object(let kwargs): a.kwargs = kwargs
            case .string(let text):
                // TrainingArguments parses a JSON string in __post_init__.
                if case .object(let kwargs)? = try? JSONParser.parse(Array(text.utf8)) {
                    a.kwargs = kwargs
                } else {
                    r.record(
                        "lr_scheduler_kwargs",
                        "must be an object or the JSON text of one, got \(value.shortDescription)"
                    )
                }
            default:
                r.record("lr_scheduler_kwargs", "must be an object of keyword arguments, got \(value.shortDescription)")
            }
        }
        a.warmupSteps = r.double(
            "warmup_steps",
            default: 0,
            requirement:
                "must be a non-negative number: an integer count, or a float below 1 as a ratio of the total (transformers raises ValueError: warmup_steps must be an integer or a float)"
        ) { $0 >= 0 }
        if r.contains("warmup_ratio") {
            a.warmupRatio = r.double(
                "warmup_ratio",
                requirement:
                    "must be a number in [0, 1] (transformers 4.x raises ValueError: warmup_ratio must lie in range [0,1])"
            ) { (0...1).contains($0) }
            warnings.append(
                "warmup_ratio was removed in transformers 5.2 (5.x reads warmup_steps below 1 as a ratio): computed as 4.57 did, warmup_steps if positive, else ceil(total × warmup_ratio)"
            )
        } else {
            _ = r.raw("warmup_ratio")
        }
        a.epochs = r.double("num_train_epochs", default: 3.0, requirement: "must be a finite number")
        a.maxSteps = r.int(
            "max_steps",
            default: -1,
            in: -(1 << 53)...(1 << 53),
            requirement: "must be an integer (-1: use num_train_epochs)"
        )
        a.batchSize = r.int(
            "per_device_train_batch_size",
            default: 8,
            in: 1...(1 << 40),
            requirement: "must be a positive integer"
        )
        a.accumulation = r.int(
            "gradient_accumulation_steps",
            default: 1,
            in: 1...(1 << 40),
            requirement: "must be a positive integer"
        )
        a.dropLast = r.bool("dataloader_drop_last", default: false)
        if metricTypes.contains(a.type) {
            a.evaluation = readEvaluation(&r, type: a.type)
        }
        switch r.raw("deepspeed") {
        case nil, .null?: break
        case .object(let config)?:
            a.deepspeed = DeepSpeedArguments(config: config, pointer: pointer.appending("deepspeed"), args: object)
        case let other?:
            r.record(
                "deepspeed",
                "must be the DeepSpeed config itself (the ds_config.json object); a path cannot be read here, got \(other.shortDescription)"
            )
        }
        acceptIgnored(&r, known: ignoredFields, warnings: &warnings)
        r.rejectUnknownKeys()
        for issue in r.issues { request.record(issue) }
        return r.issues.isEmpty ? a : nil
    }

    /// `eval_strategy`, `eval_steps`, `logging_steps`, `eval_delay` and `metric_for_best_model`,
    /// as `TrainingArguments.__post_init__` checks them for a metric-driven type.
    static func readEvaluation(_ r: inout ObjectReader, type: String) -> Evaluation? {
        let strategy = r.raw("eval_strategy")
        let name = strategy?.stringValue ?? "no"
        _ = r.raw("metric_for_best_model")
        _ = r.raw("greater_is_better")
        let delay = r.double("eval_delay", default: 0, requirement: "must be a number")
        let logging = r.double("logging_steps", default: 500, requirement: "must be a non-negative number") { $0 >= 0 }
        let given =
            r.contains("eval_steps") ? r.double("eval_steps", requirement: "must be a positive number") { $0 > 0 } : nil
        if !r.contains("eval_steps") { _ = r.raw("eval_steps") }
        switch name {
        case "steps", "epoch":
            let steps = given ?? logging
            if name == "steps" && steps == 0 {
                r.record(
                    "eval_steps",
                    "is required: transformers raises ValueError: evaluation strategy steps requires either non-zero --eval_steps or --logging_steps"
                )
                return nil
            }
            return Evaluation(perEpoch: name == "epoch", steps: steps, delay: delay)
        case "no":
            r.record(
                "lr_scheduler_type",
                "\(type) steps at evaluations: transformers raises ValueError: lr_scheduler_type \(type) requires an eval strategy (set eval_strategy to \"steps\" or \"epoch\")"
            )
            return nil
        default:
            r.record(
                "eval_strategy",
                "must be \"no\", \"steps\" or \"epoch\", got \(strategy?.shortDescription ?? "null")"
            )
            return nil
        }
    }

    static func readData(_ r: inout ObjectReader, limits: ScheduleLimits) -> Data? {
        var data = Data()
        let before = r.issues.count
        data.size = r.int(
            "dataset_size",
            in: 1...(1 << 53),
            requirement: "must be a positive integer: the number of training examples"
        )
        data.processes = r.int(
            "world_size",
            default: 1,
            in: 1...65_536,
            requirement: "must be an integer from 1 to 65536 (processes)"
        )
        data.splitBatches = r.bool("split_batches", default: false)
        data.evenBatches = r.bool("even_batches", default: true)
        return r.issues.count == before ? data : nil
    }

    static func readResume(
        _ value: JSONValue,
        at pointer: JSONPointer,
        current: Data?,
        limits: ScheduleLimits,
        warnings: inout [String],
        into request: inout ObjectReader
    ) -> (Int, Arguments?, Data)? {
        guard case .object(let object) = value else {
            request.record(
                "resume",
                "must be an object {\"from_update\": k, \"args\": {...the checkpointed run's TrainingArguments...}}, got \(value.shortDescription)"
            )
            return nil
        }
        var r = ObjectReader(object, at: pointer)
        let k = r.int(
            "from_update",
            in: 1...limits.maxEpochs,
            requirement: "must be a positive integer: the optimizer updates the checkpoint holds (checkpoint-k)"
        )
        var ignoredWarnings: [String] = []
        let args: Arguments? =
            r.contains("args")
            ? readArguments(r.raw("args"), at: pointer.appending("args"), warnings: &ignoredWarnings, into: &r) : nil
        if !r.contains("args") { _ = r.raw("args") }
        var data = current ?? Data()
        if r.contains("dataset_size") {
            data.size = r.int("dataset_size", in: 1...(1 << 53), requirement: "must be a positive integer")
        } else {
            _ = r.raw("dataset_size")
        }
        if r.contains("world_size") {
            data.processes = r.int("world_size", in: 1...65_536, requirement: "must be an integer from 1 to 65536")
        } else {
            _ = r.raw("world_size")
        }
        r.rejectUnknownKeys()
        for issue in r.issues { request.record(issue) }
        return r.issues.isEmpty ? (k, args, data) : nil
    }

    // MARK: Deriving

    /// `set_initial_training_values` and `get_warmup_steps`.
    static func derive(
        _ a: Arguments,
        _ data: Data,
        at pointer: JSONPointer,
        into request: inout ObjectReader
    ) -> Derived? {
        let batches = a.dropLast ? data.size / a.batchSize : (data.size + a.batchSize - 1) / a.batchSize
        let p = data.processes
        let perProcess: Int
        if p == 1 || data.splitBatches || batches % p == 0 {
            perProcess = data.splitBatches || p == 1 ? batches : batches / p
        } else if a.dropLast {
            perProcess = batches / p
        } else {
            // even_batches pads; without it, rank 0 still gets the extra batch.
            perProcess = batches / p + 1
        }
        let upe = Swift.max((perProcess + a.accumulation - 1) / a.accumulation, 1)
        let total: Int
        if a.maxSteps >= 0 {
            // max_steps 0 is not "epoch based": the scheduler gets 0 steps (and the loop stops
            // after its first update).
            total = a.maxSteps
        } else {
            let product = a.epochs * Double(upe)
            guard product.isFinite, product < Double(1 << 53) else {
                request.record(
                    FieldIssue(pointer.appending("num_train_epochs"), "gives \(product) optimizer updates: too many")
                )
                return nil
            }
            total = Int(product.rounded(.up))
        }
        if perProcess == 0 {
            // len(dataloader) == 0: set_initial_training_values needs max_steps, and the loop then
            // finds no batch.
            request.record(
                FieldIssue(
                    JSONPointer(tokens: Array(pointer.tokens.dropLast())).appending("dataset_size"),
                    a.maxSteps > 0
                        ? "leaves no batch (\(data.size) examples, batch \(a.batchSize)\(a.dropLast ? ", drop_last" : "")): the run takes no optimizer update"
                        : "leaves no batch (\(data.size) examples, batch \(a.batchSize)\(a.dropLast ? ", drop_last" : "")): transformers raises ValueError: args.max_steps must be set to a positive value if dataloader does not have a length"
                )
            )
            return nil
        }
        // `num_train_epochs` as set_initial_training_values computes it.
        let epochs = a.maxSteps > 0 ? (total + upe - 1) / upe : Int(a.epochs.rounded(.up))
        let warmup: Int
        if let ratio = a.warmupRatio {
            warmup = a.warmupSteps > 0 ? Int(a.warmupSteps) : Int((Double(total) * ratio).rounded(.up))
        } else {
            warmup = a.warmupSteps >= 1 ? Int(a.warmupSteps) : Int((Double(total) * a.warmupSteps).rounded(.up))
        }
        return Derived(batchesPerEpoch: perProcess, updatesPerEpoch: upe, total: total, epochs: epochs, warmup: warmup)
    }

    /// `get_scheduler(type, optimizer, num_warmup_steps, num_training_steps, lr_scheduler_kwargs)`:
    /// the spec and its JSON form for `plan`.
    static func build(
        _ a: Arguments,
        _ d: Derived,
        issues: inout [FieldIssue],
        warnings: inout [String]
    ) -> (spec: SchedulerSpec, json: JSONValue)? {
        var params: [(key: String, value: JSONValue)] = []
        let forwardsKwargs: Bool
        switch a.type {
        case "constant":
            forwardsKwargs = false
        case "constant_with_warmup":
            params = [("num_warmup_steps", .integer(d.warmup))]
            forwardsKwargs = false
        case "inverse_sqrt":
            params = [("num_warmup_steps", .integer(d.warmup))]
            forwardsKwargs = true
        case "reduce_lr_on_plateau", "greedy":
            // get_scheduler passes only the scheduler-specific keywords.
            forwardsKwargs = true
        default:
            params = [("num_warmup_steps", .integer(d.warmup)), ("num_training_steps", .integer(d.total))]
            forwardsKwargs = true
        }
        if forwardsKwargs {
            for (key, value) in a.kwargs.members {
                if params.contains(where: { $0.key == key }) {
                    issues.append(
                        FieldIssue(
                            a.kwargsPointer.appending(key),
                            "is set by the Trainer: get_scheduler raises TypeError: got multiple values for keyword argument '\(key)'"
                        )
                    )
                    return nil
                }
                params.append((key, value))
            }
        } else if !a.kwargs.isEmpty {
            warnings.append(
                "lr_scheduler_kwargs (\(a.kwargs.keys.joined(separator: ", "))) \(a.kwargs.count == 1 ? "is" : "are") ignored: get_scheduler builds \(a.type) without them"
            )
        }
        let object = JSONObject(params)
        guard
            let spec = TrainerPlan.spec(
                family: Transformers.family,
                scheduler: a.type,
                params: object,
                at: a.kwargsPointer,
                issues: &issues
            )
        else { return nil }
        return (spec, TrainerPlan.specJSON(Transformers.family, a.type, object))
    }
}

/// Python's `repr` of a float, for messages.
func pythonRepr(_ x: Double) -> String { JSONWriter.pythonRepr(x) }
