import JSON

extension TransformersTrainer {
    /// The `TrainingArguments` values `HfTrainerDeepSpeedConfig` fills into, or checks against, a
    /// DeepSpeed config (transformers 5.24 `integrations/deepspeed.py`).
    struct DeepSpeedArguments {
        var config: JSONObject
        var pointer: JSONPointer
        var adamBeta1 = 0.9
        var adamBeta2 = 0.999
        var adamEpsilon = 1e-8
        var weightDecay = 0.0
        var maxGradNorm = 1.0
        var fp16 = false
        var bf16 = false
        var optim = "adamw_torch"

        /// Reads the fields the integration compares (they do not move the LR otherwise) without
        /// marking them read: the trainer lists them among the fields it ignores.
        init(config: JSONObject, pointer: JSONPointer, args: JSONObject) {
            self.config = config
            self.pointer = pointer
            func number(_ key: String, _ value: Double) -> Double { args[key]?.doubleValue ?? value }
            func flag(_ key: String) -> Bool { args[key] == .bool(true) }
            adamBeta1 = number("adam_beta1", adamBeta1)
            adamBeta2 = number("adam_beta2", adamBeta2)
            adamEpsilon = number("adam_epsilon", adamEpsilon)
            weightDecay = number("weight_decay", weightDecay)
            maxGradNorm = number("max_grad_norm", maxGradNorm)
            fp16 = flag("fp16") || flag("fp16_full_eval")
            bf16 = flag("bf16") || flag("bf16_full_eval")
            optim = args["optim"]?.stringValue ?? optim
        }
    }

    /// The member at `path` below `object`, if every step of it exists.
    static func value(in object: JSONObject, at path: ArraySlice<String>) -> JSONValue? {
        guard let first = path.first, let value = object[first] else { return nil }
        if path.count == 1 { return value }
        guard case .object(let child) = value else { return nil }
        return self.value(in: child, at: path.dropFirst())
    }

    /// `object` with the member at `path` (whose parents exist) set to `value`.
    static func setting(_ value: JSONValue, in object: JSONObject, at path: ArraySlice<String>) -> JSONObject {
        guard let first = path.first else { return object }
        var copy = object
        if path.count == 1 {
            copy[first] = value
        } else if case .object(let child)? = object[first] {
            copy[first] = .object(setting(value, in: child, at: path.dropFirst()))
        }
        return copy
    }

    /// Whether two config values are equal as Python compares them (numbers by value).
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        default:
            if let x = a.doubleValue, let y = b.doubleValue, a.boolValue == nil, b.boolValue == nil { return x == y }
            return a == b
        }
    }

    /// The schedule of a run under DeepSpeed: `trainer_config_process` and
    /// `trainer_config_finalize` fill every `"auto"` from the Trainer's values (`warmup_min_lr` 0,
    /// `warmup_max_lr` and the optimizer's `lr` the learning rate, `total_num_steps` the total
    /// updates, `warmup_num_steps` `max(1, warmup)`) and refuse explicit values that differ; then a
    /// `scheduler` block replaces the Trainer's own schedule by DeepSpeed's (stepped by the engine
    /// once per update, after it). Without one, the Trainer's schedule runs inside the engine,
    /// stepped as without DeepSpeed: nil is returned and the caller keeps it.
    static func deepSpeedSchedule(
        _ ds: DeepSpeedArguments,
        args: Arguments,
        derived: Derived,
        data: Data,
        issues: inout [FieldIssue],
        warnings: inout [String]
    ) -> (spec: SchedulerSpec, json: JSONValue)? {
        var config = ds.config
        var mismatches: [FieldIssue] = []
        guard config["zero_optimization"] != nil else {
            // accelerate's DeepSpeedPlugin, when TrainingArguments builds it.
            issues.append(
                FieldIssue(
                    ds.pointer.appending("zero_optimization"),
                    "is required ({\"stage\": 0} for none): accelerate raises ValueError: Please specify the ZeRO optimization config in the DeepSpeed config. "
                )
            )
            return nil
        }
        /// `fill_match`: "auto" takes `value`; another value must equal it (`fill_only` when not
        /// `mustMatch`).
        func fill(_ path: [String], _ value: JSONValue, _ name: String, mustMatch: Bool = true) {
            guard let current = Self.value(in: config, at: path[...]) else { return }
            if current == .string("auto") {
                config = Self.setting(value, in: config, at: path[...])
            } else if mustMatch, current != .null, !same(current, value) {
                mismatches.append(mismatch(path, current, value, name))
            }
        }
        func mismatch(_ path: [String], _ current: JSONValue, _ value: JSONValue, _ name: String) -> FieldIssue {
            FieldIssue(
                path.reduce(ds.pointer) { $0.appending($1) },
                "is \(current.shortDescription) but the Trainer's \(name) is \(value.shortDescription): the Trainer refuses mismatching DeepSpeed values (ValueError); set it to \"auto\" or to \(value.shortDescription)"
            )
        }
        let micro = args.batchSize
        let accumulation = args.accumulation
        fill(["train_micro_batch_size_per_gpu"], .integer(micro), "per_device_train_batch_size")
        fill(["gradient_accumulation_steps"], .integer(accumulation), "gradient_accumulation_steps")
        fill(
            ["train_batch_size"],
            .integer(saturating(saturating(micro, times: accumulation), times: data.processes)),
            "train_batch_size (world_size × per_device_train_batch_size × gradient_accumulation_steps)"
        )
        fill(["gradient_clipping"], .double(ds.maxGradNorm), "max_grad_norm")
        fill(["optimizer", "params", "lr"], .double(args.learningRate), "learning_rate")
        fill(
            ["optimizer", "params", "betas"],
            .array([.double(ds.adamBeta1), .double(ds.adamBeta2)]),
            "adam_beta1+adam_beta2"
        )
        fill(["optimizer", "params", "eps"], .double(ds.adamEpsilon), "adam_epsilon")
        fill(["optimizer", "params", "weight_decay"], .double(ds.weightDecay), "weight_decay")
        fill(["scheduler", "params", "warmup_min_lr"], .integer(0), "", mustMatch: false)
        fill(["scheduler", "params", "warmup_max_lr"], .double(args.learningRate), "learning_rate")
        fill(["fp16", "enabled"], .bool(ds.fp16), "fp16|fp16_full_eval")
        fill(["bf16", "enabled"], .bool(ds.bf16), "bf16|bf16_full_eval")
        fill(["scheduler", "params", "total_num_steps"], .integer(derived.total), "num_training_steps (calculated)")
        fill(["scheduler", "params", "warmup_num_steps"], .integer(Swift.max(1, derived.warmup)), "warmup_steps")
        guard mismatches.isEmpty else {
            issues += mismatches
            return nil
        }
        guard let value = config["scheduler"] else {
            warnings.append(
                "the DeepSpeed config has no scheduler block: the Trainer's \(args.type) schedule runs inside DeepSpeed's engine, stepped once per update as without it"
            )
            return nil
        }
        let blockPointer = ds.pointer.appending("scheduler")
        guard case .object(let block) = value, case .string(let type)? = block["type"],
            let family = DeepSpeedTrainer.family(of: type)
        else {
            issues.append(
                FieldIssue(
                    blockPointer.appending("type"),
                    "must name a DeepSpeed scheduler (\(DeepSpeed.family.schedulerNames.joined(separator: ", "))) or a torch.optim.lr_scheduler class"
                )
            )
            return nil
        }
        guard case .object(let params)? = block["params"] else {
            issues.append(
                FieldIssue(
                    blockPointer.appending("params"),
                    "is required: DeepSpeed passes it to the scheduler as keywords"
                )
            )
            return nil
        }
        for (key, v) in params.members where v == .string("auto") {
            issues.append(
                FieldIssue(
                    blockPointer.appending("params").appending(key),
                    "is \"auto\", which the Trainer does not fill (it fills warmup_min_lr, warmup_max_lr, warmup_num_steps and total_num_steps)"
                )
            )
        }
        guard issues.isEmpty else { return nil }
        // HF's own optimizer (`optim`, AdamW by default) when the config has no optimizer block.
        let optimizerType = config["optimizer"]?.objectValue?["type"]?.stringValue ?? ds.optim
        guard
            let built = DeepSpeedTrainer.blockSpec(
                type: type,
                family: family,
                params: params,
                at: blockPointer.appending("params"),
                groups: 1,
                betas: DeepSpeedTrainer.hasBetas(optimizerType),
                issues: &issues
            )
        else { return nil }
        warnings.append(
            "the DeepSpeed config's scheduler block (\(type)) replaces lr_scheduler_type \(args.type): DeepSpeed's engine steps it once per update, after it, so update 1 runs at its constructor's value"
        )
        return built
    }
}
