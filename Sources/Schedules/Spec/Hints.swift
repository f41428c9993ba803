import JSON

/// "Did you mean" for the names people type: other frameworks' spellings of `lr`, parameters put
/// beside `params` instead of in it, train.py's `--sched` names and options, framework aliases,
/// and a torch scheduler's `last_epoch`. Each hint names the exact replacement.
enum Hints {
    /// Other names for the `framework` values.
    static let frameworks: [String: String] = [
        "huggingface": "transformers", "hf": "transformers", "hugging_face": "transformers",
        "pytorch": "torch", "torch.optim": "torch", "pt": "torch",
        "jax": "optax", "flax": "optax",
        "tensorflow": "keras", "tf": "keras", "tf.keras": "keras",
        "pytorch-image-models": "timm", "timm.scheduler": "timm",
        "ds": "deepspeed", "deep_speed": "deepspeed", "deepspeed.runtime.lr_schedules": "deepspeed",
        "mmcv": "mmengine", "openmmlab": "mmengine", "mmdet": "mmengine", "mmdetection": "mmengine",
        "megatron-core": "megatron", "megatron-lm": "megatron", "megatron_core": "megatron", "nemo": "megatron",
    ]

    /// Other frameworks' names for the optimizer's learning rate.
    static let learningRateNames: Set<String> = [
        "learning_rate", "base_lr", "initial_lr", "initial_learning_rate", "peak_lr", "lr0", "init_lr",
    ]

    /// Names of the current step that a schedule request spells `start` (or `resume`).
    static let stepNames: Set<String> = ["last_epoch", "T_cur", "current_step", "step", "global_step", "epoch"]

    /// timm train.py's `--sched` values and the class each builds.
    static let timmSched: [String: String] = [
        "cosine": "CosineLRScheduler", "tanh": "TanhLRScheduler", "step": "StepLRScheduler",
        "multistep": "MultiStepLRScheduler", "plateau": "PlateauLRScheduler", "poly": "PolyLRScheduler",
        "wsd": "WSDLRScheduler",
    ]

    /// Per family, parameter names people bring from elsewhere and the family's own name for them.
    static let parameters: [String: [String: String]] = [
        "timm": [
            "warmup_lr": "warmup_lr_init", "min_lr": "lr_min", "epochs": "t_initial", "warmup_epochs": "warmup_t",
            "decay_epochs": "decay_t", "decay_milestones": "decay_t", "patience_epochs": "patience_t",
            "lr_cycle_mul": "cycle_mul", "lr_cycle_decay": "cycle_decay", "lr_cycle_limit": "cycle_limit",
            "lr_k_decay": "k_decay", "lr_noise": "noise_range_t",
        ],
        "transformers": [
            "warmup_steps": "num_warmup_steps", "total_steps": "num_training_steps", "max_steps": "num_training_steps",
            "num_train_steps": "num_training_steps", "warmup_ratio": "num_warmup_steps",
        ],
        "torch": [
            "warmup_steps": "total_iters", "min_lr": "eta_min", "lr_min": "eta_min", "total_iters": "total_iters",
            "num_training_steps": "T_max", "step": "step_size", "decay_rate": "gamma",
        ],
    ]

    /// Records hints for the unread members of a request object at `r` naming `scheduler` (nil
    /// when it is unknown) and marks them read, so `rejectUnknownKeys` leaves them.
    static func topLevel(_ r: inout ObjectReader, scheduler: (any SchedulerDefinition.Type)?) {
        guard r.hasUnreadMembers else { return }
        let unread = r.object.keys.filter { !r.wasAskedFor($0) }
        for key in unread {
            if learningRateNames.contains(key) {
                _ = r.raw(key)
                let takesLR = scheduler.map { $0.learningRate != .none } ?? true
                r.record(
                    key,
                    takesLR
                        ? "is not a known field; did you mean \"lr\"? (the optimizer's learning rate: \"lr\": \(r.object[key]?.shortDescription ?? "…"))"
                        : "is not a known field: \(scheduler?.name ?? "this schedule") takes its learning rates in params"
                )
            } else if let scheduler, scheduler.parameters.contains(where: { $0.name == key }) {
                _ = r.raw(key)
                r.record(
                    key,
                    "is not a known field here: \(key) is a parameter of \(scheduler.name); move it into params: {\"params\": {\"\(key)\": \(r.object[key]?.shortDescription ?? "…")}}"
                )
            } else if stepNames.contains(key) {
                _ = r.raw(key)
                r.record(
                    key,
                    "is not a known field; did you mean \"start\"? (the step of the first value; to continue a checkpoint with other arguments, use \"resume\": {\"from_update\": …})"
                )
            }
        }
    }

    /// Records hints for the unread members of a `params` object of `family`'s scheduler `name`.
    static func parameters(_ reader: inout ParamsReader, family: Family, scheduler name: String) {
        guard reader.object.hasUnreadMembers, let aliases = parameters[family.name] else { return }
        let unread = reader.object.object.keys.filter { !reader.object.wasAskedFor($0) }
        for key in unread {
            guard let replacement = aliases[key], reader.object.wasAskedFor(replacement), replacement != key
            else {
                continue
            }
            _ = reader.raw(key)
            reader.record(key, "is not a parameter of \(name); did you mean \"\(replacement)\"?")
        }
    }
}
