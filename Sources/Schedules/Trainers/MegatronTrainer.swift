import JSON

/// `"trainer": "megatron"`: Megatron-LM's training options, converted to the scheduler's sample
/// counts as `get_optimizer_param_scheduler` does (`megatron/training/training.py`, Megatron-LM
/// `core_v0.16.1`), answered per iteration.
///
/// Iteration-based runs (`train_iters`): `lr_decay_steps = (lr_decay_iters or train_iters) ×
/// global_batch_size`, the warm-up `lr_warmup_fraction × lr_decay_steps` (a float) or
/// `lr_warmup_iters × global_batch_size`, `wsd_decay_steps = lr_wsd_decay_iters ×
/// global_batch_size`. Sample-based runs (`train_samples`) take the `*_samples` options as they
/// are, and run `train_samples // global_batch_size` iterations. `train_step` calls
/// `step(increment = global_batch_size)` after every successful update, so iteration `k + 1`
/// runs at the scheduler's value after `k` increments. Batch-size ramp-up is not reproduced.
enum MegatronTrainer: TrainerDefinition {
    static let name = "megatron"
    static let title = "Megatron-LM training (get_optimizer_param_scheduler)"
    static let version = "0.16.1"
    static let stepping =
        "value k is the LR of iteration k + 1: OptimizerParamScheduler after step(0) and k calls of step(global_batch_size)"

    static let planMembers = [
        "global_batch_size", "train_iters", "lr_warmup_steps", "lr_decay_steps", "wsd_decay_steps", "scheduler",
    ]

    static let fields: [TrainerField] = [
        TrainerField(
            "args",
            "object",
            required: true,
            "Megatron-LM's options, with dashes or underscores (\"lr-decay-iters\" or \"lr_decay_iters\")"
        ),
        TrainerField("args/lr", "number", required: true, "--lr: the peak LR"),
        TrainerField("args/min_lr", "number", default: .double(0), "--min-lr"),
        TrainerField(
            "args/lr_warmup_init",
            "number",
            default: .double(0),
            "--lr-warmup-init: the LR warm-up starts at"
        ),
        TrainerField(
            "args/lr_decay_style",
            "string",
            default: .string("linear"),
            "--lr-decay-style: constant, linear, cosine, inverse-square-root or WSD"
        ),
        TrainerField("args/train_iters", "integer", "--train-iters (or train_samples)"),
        TrainerField("args/train_samples", "integer", "--train-samples (or train_iters)"),
        TrainerField(
            "args/global_batch_size",
            "integer",
            "--global-batch-size (default micro_batch_size × data_parallel_size)"
        ),
        TrainerField("args/micro_batch_size", "integer", "--micro-batch-size"),
        TrainerField("args/data_parallel_size", "integer", default: .integer(1), "data-parallel processes"),
        TrainerField("args/lr_decay_iters", "integer", "--lr-decay-iters (default train_iters)"),
        TrainerField("args/lr_decay_samples", "integer", "--lr-decay-samples (default train_samples)"),
        TrainerField("args/lr_warmup_fraction", "number", "--lr-warmup-fraction of the decay"),
        TrainerField("args/lr_warmup_iters", "integer", default: .integer(0), "--lr-warmup-iters"),
        TrainerField("args/lr_warmup_samples", "integer", default: .integer(0), "--lr-warmup-samples"),
        TrainerField("args/lr_wsd_decay_iters", "integer", "--lr-wsd-decay-iters"),
        TrainerField("args/lr_wsd_decay_samples", "integer", "--lr-wsd-decay-samples"),
        TrainerField(
            "args/lr_wsd_decay_style",
            "string",
            default: .string("exponential"),
            "--lr-wsd-decay-style: linear, cosine, exponential or minus_sqrt"
        ),
    ]

    /// Options Megatron-LM has that do not move the learning rate (a few common ones).
    static let otherOptions: Set<String> = [
        "weight_decay", "start_weight_decay", "end_weight_decay", "weight_decay_incr_style", "clip_grad", "adam_beta1",
        "adam_beta2", "adam_eps", "sgd_momentum", "optimizer", "bf16", "fp16", "loss_scale", "initial_loss_scale",
        "tensor_model_parallel_size", "pipeline_model_parallel_size", "context_parallel_size",
        "expert_model_parallel_size",
        "num_layers", "hidden_size", "ffn_hidden_size", "num_attention_heads", "seq_length", "max_position_embeddings",
        "seed", "eval_iters", "eval_interval", "save_interval", "log_interval", "use_distributed_optimizer",
        "use_checkpoint_opt_param_scheduler", "override_opt_param_scheduler", "data_path", "split", "tokenizer_type",
        "vocab_file", "merge_file", "save", "load", "use_mcore_models", "transformer_impl", "attention_dropout",
        "hidden_dropout", "init_method_std", "position_embedding_type", "normalization", "swiglu",
        "untie_embeddings_and_output_weights", "disable_bias_linear", "group_query_attention", "num_query_groups",
        "recompute_granularity", "recompute_method", "recompute_num_layers", "sequence_parallel",
        "overlap_grad_reduce", "overlap_param_gather", "num_workers", "micro_batch_size",
    ]

    static func plan(_ r: inout ObjectReader, limits: ScheduleLimits) -> TrainerPlan? {
        guard case .object(let raw)? = r.raw("args") else {
            r.record("args", "is required: Megatron-LM's options, such as {\"lr\": 3e-4, \"train_iters\": 500000, …}")
            return nil
        }
        // `--lr-decay-iters` and `lr_decay_iters` name the same option.
        var normalized = JSONObject()
        for (key, value) in raw.members {
            var k = key
            while k.hasPrefix("-") { k.removeFirst() }
            normalized[k.replacingOccurrences(of: "-", with: "_")] = value
        }
        var a = ObjectReader(normalized, at: r.pointer.appending("args"))
        func count(_ key: String) -> Int? {
            a.contains(key)
                ? a.int(key, in: 1...(1 << 53), requirement: "must be a positive integer")
                : {
                    _ = a.raw(key)
                    return nil
                }()
        }
        func string(_ key: String, default value: String) -> String {
            switch a.raw(key) {
            case nil, .null?: return value
            case .string(let s)?: return s
            case let other?:
                a.record(key, "must be a string, got \(other.shortDescription)")
                return value
            }
        }
        let lr = a.double("lr", requirement: "a number: the peak LR (--lr)")
        let minLR = a.double("min_lr", default: 0, requirement: "must be a number")
        let warmupInit = a.double("lr_warmup_init", default: 0, requirement: "must be a number")
        let style = string("lr_decay_style", default: "linear")
        let wsdStyle = string("lr_wsd_decay_style", default: "exponential")
        let micro = count("micro_batch_size")
        let dataParallel = a.int(
            "data_parallel_size",
            default: 1,
            in: 1...(1 << 20),
            requirement: "must be a positive integer"
        )
        let global = count("global_batch_size") ?? micro.map { saturating($0, times: dataParallel) }
        let trainIters = count("train_iters")
        let trainSamples = count("train_samples")
        let decayIters = count("lr_decay_iters")
        let decaySamples = count("lr_decay_samples")
        let fraction =
            a.contains("lr_warmup_fraction") ? a.double("lr_warmup_fraction", requirement: "must be a number") : nil
        if !a.contains("lr_warmup_fraction") { _ = a.raw("lr_warmup_fraction") }
        let warmupIters = a.int(
            "lr_warmup_iters",
            default: 0,
            in: 0...(1 << 53),
            requirement: "must be a non-negative integer"
        )
        let warmupSamples = a.int(
            "lr_warmup_samples",
            default: 0,
            in: 0...(1 << 53),
            requirement: "must be a non-negative integer"
        )
        let wsdIters = count("lr_wsd_decay_iters")
        let wsdSamples = count("lr_wsd_decay_samples")
        if let value = a.raw("rampup_batch_size"), value != .null {
            a.record(
                "rampup_batch_size",
                "batch-size ramp-up changes the increment of every step; lrsched answers a constant global_batch_size"
            )
        }
        var warnings: [String] = []
        acceptIgnored(&a, known: otherOptions, warnings: &warnings)
        a.rejectUnknownKeys()
        if a.issues.isEmpty {
            if global == nil {
                a.record("global_batch_size", "is required (or micro_batch_size): the samples per iteration")
            }
            if fraction != nil && (warmupIters != 0 || warmupSamples != 0) {
                a.record(
                    "lr_warmup_fraction",
                    "cannot be combined with lr_warmup_iters or lr_warmup_samples (Megatron-LM asserts it)"
                )
            }
            if minLR > lr { a.record("min_lr", "must not exceed lr (Megatron-LM asserts it)") }
            if trainIters != nil
                && (trainSamples != nil || decaySamples != nil || warmupSamples != 0 || wsdSamples != nil)
            {
                a.record(
                    "train_iters",
                    "cannot be combined with the *_samples options: an iteration-based run counts iterations (Megatron-LM asserts it)"
                )
            }
            if trainIters == nil && trainSamples == nil {
                a.record(
                    "train_iters",
                    "or train_samples is required (Megatron-LM raises 'either train-iters or train-samples should be provided')"
                )
            }
        }
        for issue in a.issues { r.record(issue) }
        guard r.issues.isEmpty, let global else { return nil }
        // get_optimizer_param_scheduler.
        let iterations: Int
        let decay: Int
        var warmup: JSONValue
        var wsd: JSONValue = .null
        if let trainIters {
            iterations = trainIters
            decay = saturating(decayIters ?? trainIters, times: global)
            warmup = fraction.map { .double($0 * Double(decay)) } ?? .integer(saturating(warmupIters, times: global))
            if let wsdIters { wsd = .integer(saturating(wsdIters, times: global)) }
        } else {
            let samples = trainSamples ?? 0
            iterations = samples / global
            decay = decaySamples ?? samples
            warmup = fraction.map { .double($0 * Double(decay)) } ?? .integer(warmupSamples)
            if let wsdSamples { wsd = .integer(wsdSamples) }
        }
        guard iterations >= 1, iterations <= limits.maxEpochs else {
            r.record(
                FieldIssue(
                    r.pointer.appending("args").appending(trainIters != nil ? "train_iters" : "train_samples"),
                    "the run has \(iterations) iterations; from 1 to \(limits.maxEpochs) are answered"
                )
            )
            return nil
        }
        var params = JSONObject()
        params["init_lr"] = .double(warmupInit)
        params["max_lr"] = .double(lr)
        params["min_lr"] = .double(minLR)
        params["lr_warmup_steps"] = warmup
        params["lr_decay_steps"] = .integer(decay)
        params["lr_decay_style"] = .string(style)
        if wsd != .null { params["wsd_decay_steps"] = wsd }
        params["lr_wsd_decay_style"] = .string(wsdStyle)
        params["use_checkpoint_opt_param_scheduler"] = .bool(false)
        params["increment"] = .integer(global)
        var issues: [FieldIssue] = []
        guard
            let spec = TrainerPlan.spec(
                family: Megatron.family,
                scheduler: Megatron.OptimizerParamScheduler.name,
                params: params,
                at: r.pointer.appending("args"),
                issues: &issues
            )
        else {
            // The scheduler's assertions, about the options the user wrote.
            let names = [
                "lr_warmup_steps": fraction != nil
                    ? "lr_warmup_fraction" : (trainIters != nil ? "lr_warmup_iters" : "lr_warmup_samples"),
                "lr_decay_steps": trainIters != nil ? "lr_decay_iters" : "lr_decay_samples",
                "wsd_decay_steps": trainIters != nil ? "lr_wsd_decay_iters" : "lr_wsd_decay_samples",
                "max_lr": "lr", "init_lr": "lr_warmup_init",
            ]
            for issue in issues { r.record(TrainerPlan.rename(issue, r.pointer.appending("args"), names)) }
            return nil
        }
        var members = JSONObject()
        members["global_batch_size"] = .integer(global)
        members["train_iters"] = .integer(iterations)
        members["lr_warmup_steps"] = warmup
        members["lr_decay_steps"] = .integer(decay)
        members["wsd_decay_steps"] = wsd
        members["scheduler"] = TrainerPlan.specJSON(Megatron.family, Megatron.OptimizerParamScheduler.name, params)
        var plan = TrainerPlan(
            trainer: name,
            segments: [.init(spec: spec, lrs: [lr], positions: Array(0..<iterations))],
            firstUpdate: 0,
            members: members,
            warnings: warnings
        )
        plan.finalPosition = iterations
        return plan
    }
}
