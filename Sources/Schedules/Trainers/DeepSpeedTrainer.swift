import JSON

/// `"trainer": "deepspeed"`: a whole `ds_config.json` under DeepSpeed 0.19.8's engine, answered
/// per optimizer update.
///
/// The rules, from `deepspeed/runtime/engine.py`: `_scheduler_from_config` builds the
/// `scheduler` block's `type` from `deepspeed.runtime.lr_schedules` (else from
/// `torch.optim.lr_scheduler`) with its `params` as keywords, on the optimizer the `optimizer`
/// block builds (`params.lr`); `_take_model_step` steps it once per optimizer update, after
/// `optimizer.step()`, at the gradient-accumulation boundary. So update `k + 1` runs at the
/// scheduler's value `k`: the constructor's value first. The batch sizes are checked as
/// `_configure_train_batch_size` does (`train_batch_size = micro × accumulation × world size`,
/// the missing one derived); they do not move the LR per update.
enum DeepSpeedTrainer: TrainerDefinition {
    static let name = "deepspeed"
    static let title = "DeepSpeed engine (ds_config.json)"
    static let version = "0.19.8"
    static let stepping =
        "value k is the LR of optimizer update k + 1: the scheduler after construction and k steps (the engine steps it after each update)"

    static let planMembers = [
        "optimizer", "train_batch_size", "train_micro_batch_size_per_gpu", "gradient_accumulation_steps",
        "total_updates", "scheduler",
    ]

    static let fields: [TrainerField] = [
        TrainerField(
            "config",
            "object",
            required: true,
            "the ds_config.json: its scheduler {type, params}, optimizer {type, params.lr} and batch sizes"
        ),
        TrainerField("updates", "integer", required: true, "optimizer updates of the run"),
        TrainerField("world_size", "integer", default: 1, "data-parallel processes, for the batch-size check"),
        TrainerField(
            "lr",
            "number | [number]",
            "the client optimizer's lr, when the config has no optimizer block"
        ),
    ]

    /// Top-level ds_config members that do not move the learning rate.
    static let otherKeys: Set<String> = [
        "fp16", "bf16", "amp", "gradient_clipping", "prescale_gradients", "gradient_predivide_factor",
        "sparse_gradients", "zero_optimization", "zero_allow_untested_optimizer", "zero_force_ds_cpu_optimizer",
        "steps_per_print", "wall_clock_breakdown", "dump_state", "flops_profiler", "activation_checkpointing", "aio",
        "tensorboard", "wandb", "csv_monitor", "comet", "monitor_config", "elasticity", "communication_data_type",
        "seq_parallel_communication_data_type", "data_efficiency", "data_types", "compression_training", "checkpoint",
        "autotuning", "pipeline", "comms_logger", "sparse_attention", "curriculum_learning", "memory_breakdown",
        "disable_allgather", "torch_autocast", "nebula", "weight_quantization", "hybrid_engine", "eigenvalue",
        "progressive_layer_drop", "quantize_training", "graph_harvesting", "use_data_before_expert_parallel",
        "timers", "zero_quantized_weights", "zero_quantized_gradients", "compile", "tensor_parallel",
        "load_universal_checkpoint", "use_node_local_storage", "mics_shard_size", "mics_hierarchical_params_gather",
        "dataloader_drop_last", "train_data", "zenflow",
    ]

    /// Optimizer types whose parameter groups have no `betas` (OneCycle leaves their momentum alone).
    static let withoutBetas: Set<String> = ["sgd", "musgd", "adagrad", "cpuadagrad", "rmsprop"]

    /// Whether an optimizer `type` has `betas` (what `OneCycle` cycles).
    static func hasBetas(_ type: String) -> Bool { !withoutBetas.contains(type.lowercased()) }

    /// The family `_scheduler_from_config` builds `type` from: `deepspeed.runtime.lr_schedules`,
    /// else `torch.optim.lr_scheduler`.
    static func family(of type: String) -> Family? {
        if DeepSpeed.family.scheduler(named: type) != nil { return DeepSpeed.family }
        return Registry.defaultFamily.scheduler(named: type) != nil ? Registry.defaultFamily : nil
    }

    /// The scheduler block's spec, built as the engine builds it (`params` as keywords, on an
    /// optimizer with or without `betas`), and its JSON for the plan (with the `optimizer`
    /// option, so that it replays `OneCycle`'s momentum as the run does).
    static func blockSpec(
        type: String,
        family: Family,
        params: JSONObject,
        at pointer: JSONPointer,
        groups: Int,
        betas: Bool,
        issues: inout [FieldIssue]
    ) -> (spec: SchedulerSpec, json: JSONValue)? {
        let deepspeed = family === DeepSpeed.family
        guard
            let spec = TrainerPlan.spec(
                family: family,
                scheduler: type,
                params: params,
                at: pointer,
                groups: groups,
                options: deepspeed ? ["optimizer": betas ? "adam" : "sgd"] : [:],
                issues: &issues
            )
        else { return nil }
        var json = TrainerPlan.specJSON(family, type, params)
        if deepspeed, case .object(var object) = json {
            object.members.insert(("optimizer", .string(betas ? "adam" : "sgd")), at: 2)
            json = .object(object)
        }
        return (spec, json)
    }

    /// The refusal for a value the Hugging Face Trainer would fill in.
    static func auto(_ pointer: JSONPointer) -> FieldIssue {
        FieldIssue(
            pointer,
            "is \"auto\", which only the Hugging Face Trainer fills in: give the value, or send {\"trainer\": \"transformers\", \"args\": {…, \"deepspeed\": <this config>}}"
        )
    }

    static func plan(_ r: inout ObjectReader, limits: ScheduleLimits) -> TrainerPlan? {
        let updates = r.int(
            "updates",
            in: 1...limits.maxEpochs,
            requirement: "must be an integer from 1 to \(limits.maxEpochs): the optimizer updates of the run"
        )
        let world = r.int("world_size", default: 1, in: 1...65_536, requirement: "must be an integer from 1 to 65536")
        guard case .object(let config)? = r.raw("config") else {
            r.record("config", "is required: the ds_config.json object, with its scheduler and optimizer blocks")
            _ = r.raw("lr")
            return nil
        }
        var c = ObjectReader(config, at: r.pointer.appending("config"))
        var warnings: [String] = []
        var members = JSONObject()

        // The optimizer block: its type (for OneCycle's betas) and params.lr.
        var optimizerType: String?
        var lrs: [Double]?
        if let value = c.raw("optimizer") {
            guard case .object(let object) = value else {
                c.record("optimizer", "must be an object {\"type\": \"AdamW\", \"params\": {\"lr\": …}}")
                return nil
            }
            var o = ObjectReader(object, at: c.pointer.appending("optimizer"))
            if case .string(let type)? = o.raw("type") {
                optimizerType = type
            } else {
                o.record("type", "must name the optimizer (\"Adam\", \"AdamW\", \"SGD\", …)")
            }
            if case .object(let params)? = o.raw("params") {
                var p = ObjectReader(params, at: o.pointer.appending("params"))
                if p.object["lr"] == .string("auto") {
                    _ = p.raw("lr")
                    p.record(auto(p.pointer.appending("lr")))
                } else {
                    lrs = AccelerateTrainer.readLearningRates(&p)
                }
                for key in p.object.keys where !p.wasAskedFor(key) { _ = p.raw(key) }
                for issue in p.issues { o.record(issue) }
            } else {
                o.record("params", "must be an object holding the optimizer's lr")
            }
            for key in o.object.keys where !o.wasAskedFor(key) { _ = o.raw(key) }
            for issue in o.issues { c.record(issue) }
            if r.contains("lr") {
                _ = r.raw("lr")
                r.record("lr", "is the config's optimizer.params.lr: give it there")
            }
        } else {
            lrs = r.contains("lr") ? AccelerateTrainer.readLearningRates(&r) : nil
            if lrs == nil && !r.contains("lr") {
                r.record("lr", "is required when the config has no optimizer block: the client optimizer's lr")
            }
        }
        let betas = optimizerType.map(hasBetas) ?? true
        members["optimizer"] = optimizerType.map(JSONValue.string) ?? .string("client")

        // Batch sizes, as _configure_train_batch_size derives and checks them.
        func size(_ key: String) -> Int? {
            guard let value = c.object[key], value != .null else {
                _ = c.raw(key)
                return nil
            }
            if value == .string("auto") {
                _ = c.raw(key)
                c.record(auto(c.pointer.appending(key)))
                return nil
            }
            return c.int(key, in: 1...(1 << 40), requirement: "must be a positive integer")
        }
        var batch = size("train_batch_size")
        var micro = size("train_micro_batch_size_per_gpu")
        var accumulation = size("gradient_accumulation_steps")
        switch (batch, micro, accumulation) {
        case (_?, _?, _?): break
        case (let b?, let m?, nil): accumulation = b / m / world
        case (let b?, nil, let g?): micro = b / world / g
        case (nil, let m?, let g?): batch = saturating(saturating(m, times: g), times: world)
        case (let b?, nil, nil):
            accumulation = 1
            micro = b / world
        case (nil, let m?, nil):
            batch = saturating(m, times: world)
            accumulation = 1
        case (nil, nil, _):
            if c.issues.isEmpty {
                c.record(
                    "train_batch_size",
                    "or train_micro_batch_size_per_gpu is required (DeepSpeed asserts one of them is given)"
                )
            }
        }
        if c.issues.isEmpty, let b = batch, let m = micro, let g = accumulation {
            if m < 1 || g < 1 || b != saturating(saturating(m, times: g), times: world) {
                c.record(
                    "train_batch_size",
                    "must equal train_micro_batch_size_per_gpu × gradient_accumulation_steps × world_size (\(m) × \(g) × \(world)), got \(b) (DeepSpeed asserts it)"
                )
            }
            members["train_batch_size"] = .integer(b)
            members["train_micro_batch_size_per_gpu"] = .integer(m)
            members["gradient_accumulation_steps"] = .integer(g)
        }

        // The scheduler block.
        var spec: SchedulerSpec?
        var specJSON: JSONValue = .null
        if let value = c.raw("scheduler"), let lrs {
            guard case .object(let block) = value else {
                c.record("scheduler", "must be an object {\"type\": \"WarmupDecayLR\", \"params\": {…}}")
                return nil
            }
            var s = ObjectReader(block, at: c.pointer.appending("scheduler"))
            let type = s.raw("type")?.stringValue
            let params = s.raw("params")
            s.rejectUnknownKeys()
            for issue in s.issues { c.record(issue) }
            guard let type, let family = family(of: type) else {
                let known = DeepSpeed.family.schedulerNames.joined(separator: ", ")
                c.record(
                    FieldIssue(
                        s.pointer.appending("type"),
                        "must name a DeepSpeed scheduler (\(known)) or a torch.optim.lr_scheduler class, got \(block["type"]?.shortDescription ?? "nothing")"
                    )
                )
                return nil
            }
            guard case .object(let paramsObject)? = params else {
                c.record(
                    FieldIssue(
                        s.pointer.appending("params"),
                        "is required: the engine passes it as keywords (scheduler(optimizer, **params)), and without it DeepSpeed raises TypeError"
                    )
                )
                return nil
            }
            for (key, v) in paramsObject.members where v == .string("auto") {
                c.record(auto(s.pointer.appending("params").appending(key)))
            }
            guard c.issues.isEmpty else { return nil }
            var issues: [FieldIssue] = []
            let built = blockSpec(
                type: type,
                family: family,
                params: paramsObject,
                at: s.pointer.appending("params"),
                groups: lrs.count,
                betas: betas,
                issues: &issues
            )
            for issue in issues { c.record(issue) }
            if let built, built.spec.takesMetrics {
                c.record(
                    FieldIssue(s.pointer.appending("type"), "\(type) steps on a metric, which the engine never passes")
                )
            }
            spec = built?.spec
            specJSON = built?.json ?? .null
        } else if lrs != nil {
            // No scheduler: the optimizer's LR throughout (torch ConstantLR with factor 1 keeps it).
            var issues: [FieldIssue] = []
            spec = TrainerPlan.spec(
                family: Registry.defaultFamily,
                scheduler: "ConstantLR",
                params: JSONObject([("factor", .double(1)), ("total_iters", .integer(0))]),
                at: c.pointer,
                groups: lrs?.count ?? 1,
                issues: &issues
            )
            warnings.append("the config has no scheduler block: the optimizer's lr is used throughout")
        }
        if case .object(let fp16)? = c.object["fp16"], fp16["enabled"] == .bool(true) {
            warnings.append(
                "fp16 with dynamic loss scaling skips the scheduler step of every update whose gradients overflow; lrsched answers a run without overflow"
            )
        }
        acceptIgnored(&c, known: otherKeys, warnings: &warnings)
        c.rejectUnknownKeys()
        for issue in c.issues { r.record(issue) }
        guard let spec, let lrs, r.issues.isEmpty else { return nil }
        members["total_updates"] = .integer(updates)
        members["scheduler"] = specJSON
        var plan = TrainerPlan(
            trainer: name,
            segments: [.init(spec: spec, lrs: lrs, positions: Array(0..<updates))],
            firstUpdate: 0,
            members: members,
            warnings: warnings
        )
        plan.finalPosition = updates
        return plan
    }
}
