import JSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `"trainer": "timm"`: timm's `train.py` (timm 1.0.31) from its command-line options (dashes as
/// underscores) and the number of batches its loader yields per epoch.
///
/// The rules, from `train.py` and `timm/scheduler/scheduler_factory.py`:
/// - without `lr`, `lr = lr_base × (batch_size × world_size × grad_accum_steps / lr_base_size)`,
///   the ratio square-rooted (`** 0.5`) when `lr_base_scale` is `sqrt` (its default for optimizers
///   whose name contains `ada` or `lamb`);
/// - `updates_per_epoch = ceil(batches_per_epoch / grad_accum_steps)`;
/// - `create_scheduler_v2(**scheduler_kwargs(args), updates_per_epoch)`: `t_initial = epochs`,
///   `warmup_t = warmup_epochs`, `decay_t = decay_epochs`, milestones and cooldown, each times
///   `updates_per_epoch` with `sched_on_updates`; noise range `lr_noise × t_initial`; `poly` takes
///   `decay_rate` as its power; `wsd`/`rsqrt` fit the stable and decay phases in
///   `t_initial − warmup_t` (unless `warmup_prefix`) with `decay_t = round(...)`;
/// - the loop runs the returned `num_epochs`: the cycle length (with the warm-up when
///   `warmup_prefix`) plus `cooldown_epochs` for cosine, tanh and poly, else `epochs` (plus
///   `warmup_epochs` with `warmup_prefix`);
/// - every update of epoch `e` runs at the schedule's value at `t = e` (`step(e)` after each
///   epoch), or, with `sched_on_updates`, update `u` (from 0, over the run) at `t = u`
///   (`step_update(u)` after each update); `start_epoch` resumes at `step(start_epoch)` /
///   `step_update(start_epoch × updates_per_epoch)`: the position is recomputed, no state is kept.
enum TimmTrainer: TrainerDefinition {
    static let name = "timm"
    static let title = "timm train.py (pytorch-image-models)"
    static let version = "1.0.31"
    static let stepping =
        "value k is the LR of optimizer update start + k + 1: the schedule at t = its epoch (t = the update's index with sched_on_updates)"

    /// train.py's options that shape the schedule, with argparse's defaults.
    static let planMembers = [
        "lr", "lr_base_scale", "batches_per_epoch", "updates_per_epoch", "epochs", "total_updates", "warmup_updates",
        "scheduler",
    ]

    static let fields: [TrainerField] = [
        TrainerField("args", "object", required: true, "train.py's options, dashes as underscores"),
        TrainerField(
            "args/sched",
            "string",
            default: "cosine",
            "cosine, tanh, step, multistep, poly, wsd, rsqrt, constant, plateau or none"
        ),
        TrainerField("args/epochs", "integer", default: 300, "epochs of the schedule"),
        TrainerField("args/lr", "number", "the peak LR (null: from lr_base and the global batch size)"),
        TrainerField("args/lr_base", "number", default: 0.1, "the LR for a global batch of lr_base_size"),
        TrainerField("args/lr_base_size", "integer", default: 256, "the global batch size lr_base is for"),
        TrainerField("args/lr_base_scale", "string", default: "", "linear or sqrt ('': sqrt for ada*/lamb optimizers)"),
        TrainerField("args/batch_size", "integer", default: 128, "examples per batch and process"),
        TrainerField("args/opt", "string", default: "sgd", "the optimizer's name (chooses lr_base_scale)"),
        TrainerField("args/grad_accum_steps", "integer", default: 1, "batches per optimizer update"),
        TrainerField("args/min_lr", "number", default: 0, "the LR cosine, tanh, poly and wsd decay to"),
        TrainerField("args/warmup_lr", "number", default: .double(1e-5), "the LR the warm-up starts from"),
        TrainerField("args/warmup_epochs", "integer", default: 5, "epochs of linear warm-up"),
        TrainerField("args/warmup_prefix", "boolean", default: false, "run the warm-up before the schedule's epochs"),
        TrainerField("args/cooldown_epochs", "integer", default: 0, "epochs at min_lr after the cycles"),
        TrainerField(
            "args/decay_epochs",
            "number",
            default: 90,
            "step: the decay interval; wsd/rsqrt: the decay phase"
        ),
        TrainerField("args/decay_milestones", "[integer]", default: [90, 180, 270], "multistep's epochs"),
        TrainerField("args/decay_rate", "number", default: 0.1, "step/multistep factor; poly's power"),
        TrainerField("args/sched_on_updates", "boolean", default: false, "step the schedule per update, not per epoch"),
        TrainerField("args/lr_cycle_mul", "number", default: 1.0, "cycle length multiplier"),
        TrainerField("args/lr_cycle_decay", "number", default: 0.5, "LR factor per cycle"),
        TrainerField("args/lr_cycle_limit", "integer", default: 1, "number of cycles"),
        TrainerField("args/lr_k_decay", "number", default: 1.0, "k-decay of cosine and poly"),
        TrainerField("args/lr_noise", "[number]", "noise on/off points as fractions of the schedule"),
        TrainerField("args/lr_noise_pct", "number", default: 0.67, "noise limit"),
        TrainerField("args/lr_noise_std", "number", default: 1.0, "noise standard deviation"),
        TrainerField("args/seed", "integer", default: 42, "the noise seed"),
        TrainerField(
            "args/patience_epochs",
            "integer",
            default: 10,
            "plateau: epochs without improvement before a decay"
        ),
        TrainerField(
            "args/eval_metric",
            "string",
            default: "top1",
            "plateau: the metric train.py evaluates (loss is minimised, anything else maximised)"
        ),
        TrainerField("metrics", "[number]", "plateau: the eval_metric after each epoch (step(epoch + 1, metric))"),
        TrainerField("args/start_epoch", "integer", "resume at this epoch (the schedule is recomputed from it)"),
        TrainerField("args/lr_decay_fn", "string", "wsd/rsqrt decay shape (null: 1-sqrt for wsd, linear for rsqrt)"),
        TrainerField("args/lr_stable_timescale", "number", "rsqrt time scale in epochs (null: warmup_epochs)"),
        TrainerField("world_size", "integer", default: 1, "processes (scales the global batch for lr_base)"),
        TrainerField(
            "batches_per_epoch",
            "integer",
            required: true,
            "len(loader_train): batches per epoch and process"
        ),
    ]

    /// Options train.py has that do not change the learning rate (accepted, listed in `warnings`).
    static let otherOptions: Set<String> = [
        "data_dir", "data", "dataset", "train_split", "val_split", "model", "pretrained", "initial_checkpoint",
        "resume", "no_resume_opt", "num_classes", "gp", "img_size", "input_size", "crop_pct", "mean", "std",
        "interpolation", "validation_batch_size", "channels_last", "opt_eps", "opt_betas", "momentum",
        "weight_decay", "clip_grad", "clip_mode", "layer_decay", "workers",
        "amp", "amp_dtype", "output", "experiment", "log_interval", "recovery_interval", "checkpoint_hist",
        "pin_mem", "no_prefetcher", "smoothing", "mixup", "cutmix", "aa", "reprob", "drop", "drop_path",
        "model_ema", "model_ema_decay", "torchcompile", "log_wandb", "device", "local_rank",
        "dist_bn", "sync_bn", "bce_loss", "hflip", "vflip", "color_jitter", "scale", "ratio", "train_interpolation",
    ]

    /// The timm class's keyword → the train.py option it comes from, for error pointers.
    static let argumentNames = [
        "t_initial": "epochs", "warmup_t": "warmup_epochs", "warmup_lr_init": "warmup_lr",
        "warmup_prefix": "warmup_prefix",
        "lr_min": "min_lr", "decay_rate": "decay_rate", "power": "decay_rate", "cycle_mul": "lr_cycle_mul",
        "cycle_decay": "lr_cycle_decay", "cycle_limit": "lr_cycle_limit", "k_decay": "lr_k_decay",
        "noise_range_t": "lr_noise", "noise_pct": "lr_noise_pct", "noise_std": "lr_noise_std", "noise_seed": "seed",
        "decay_fn": "lr_decay_fn", "stable_timescale": "lr_stable_timescale",
    ]

    /// The schedules `sched` names, and the timm class each builds.
    static let classes: [String: String] = [
        "cosine": "CosineLRScheduler", "tanh": "TanhLRScheduler", "step": "StepLRScheduler",
        "constant": "StepLRScheduler", "multistep": "MultiStepLRScheduler", "poly": "PolyLRScheduler",
        "wsd": "WSDLRScheduler", "rsqrt": "WSDLRScheduler", "plateau": "PlateauLRScheduler",
    ]

    static func plan(_ request: inout ObjectReader, limits: ScheduleLimits) -> TrainerPlan? {
        let pointer = request.pointer.appending("args")
        guard case .object(let object)? = request.raw("args") else {
            request.record(
                "args",
                "is required: train.py's options as an object, such as {\"sched\": \"cosine\", \"epochs\": 300}"
            )
            return nil
        }
        let worldSize = request.int(
            "world_size",
            default: 1,
            in: 1...65_536,
            requirement: "must be an integer from 1 to 65536 (processes; scales the global batch for lr_base)"
        )
        let batches = request.int(
            "batches_per_epoch",
            in: 0...(1 << 40),
            requirement: "must be a non-negative integer: len(loader_train), the batches per epoch and process"
        )
        var r = ObjectReader(object, at: pointer)
        var warnings: [String] = []
        let sched = r.raw("sched").map { $0 } ?? .string("cosine")
        let schedName = sched.stringValue ?? ""
        if schedName == "plateau" && object["sched_on_updates"] == .bool(true) {
            _ = r.raw("sched_on_updates")
            r.record(
                "sched_on_updates",
                "must be false with sched plateau (timm raises AssertionError: Plateau LR only supports step per epoch.)"
            )
        } else if schedName != "none" && classes[schedName] == nil {
            let known = ["cosine", "tanh", "step", "multistep", "poly", "wsd", "rsqrt", "constant", "plateau", "none"]
            let hint = closestMatch(to: schedName, in: known).map { "; did you mean \"\($0)\"?" } ?? ""
            r.record(
                "sched",
                "must be one of \(known.joined(separator: ", ")), got \(sched.shortDescription)\(hint) (timm raises ValueError: Unknown scheduler)"
            )
        }
        let epochs = r.int("epochs", default: 300, in: 0...(1 << 30), requirement: "must be a non-negative integer")
        let batchSize = r.int("batch_size", default: 128, in: 1...(1 << 30), requirement: "must be a positive integer")
        // train.py clamps grad_accum_steps to at least 1.
        let accumulation = Swift.max(
            1,
            r.int("grad_accum_steps", default: 1, in: 0...(1 << 30), requirement: "must be a non-negative integer")
        )
        let opt = r.raw("opt")?.stringValue ?? "sgd"
        var lr = r.contains("lr") ? r.double("lr", requirement: "must be a non-negative number") { $0 >= 0 } : 0
        if !r.contains("lr") { _ = r.raw("lr") }
        let lrBase = r.double("lr_base", default: 0.1, requirement: "must be a number")
        let lrBaseSize = r.int(
            "lr_base_size",
            default: 256,
            in: 1...(1 << 40),
            requirement: "must be a positive integer"
        )
        var scale = r.raw("lr_base_scale")?.stringValue ?? ""
        let minLR = r.double("min_lr", default: 0, requirement: "must be a non-negative number") { $0 >= 0 }
        let warmupLR = r.double("warmup_lr", default: 1e-5, requirement: "must be a non-negative number") { $0 >= 0 }
        let warmupEpochs = r.int(
            "warmup_epochs",
            default: 5,
            in: 0...(1 << 30),
            requirement: "must be a non-negative integer"
        )
        let prefix = r.bool("warmup_prefix", default: false)
        let cooldown = r.int(
            "cooldown_epochs",
            default: 0,
            in: 0...(1 << 30),
            requirement: "must be a non-negative integer"
        )
        let decayEpochs: JSONValue = r.raw("decay_epochs") ?? .integer(90)
        if decayEpochs.doubleValue?.isFinite != true {
            r.record("decay_epochs", "must be a number, got \(decayEpochs.shortDescription)")
        }
        let milestones =
            r.contains("decay_milestones")
            ? r.intList("decay_milestones", maxCount: 10_000, requirement: "must be a list of integers (epochs)")
            : [90, 180, 270]
        if !r.contains("decay_milestones") { _ = r.raw("decay_milestones") }
        let decayRate = r.double("decay_rate", default: 0.1, requirement: "must be a number")
        let onUpdates = r.bool("sched_on_updates", default: false)
        let cycleMul = r.double("lr_cycle_mul", default: 1.0, requirement: "must be a number")
        let cycleDecay = r.double("lr_cycle_decay", default: 0.5, requirement: "must be a number")
        let cycleLimit = r.int(
            "lr_cycle_limit",
            default: 1,
            in: -(1 << 30)...(1 << 30),
            requirement: "must be an integer"
        )
        let kDecay = r.double("lr_k_decay", default: 1.0, requirement: "must be a number")
        var noise: [Double]?
        if let value = r.raw("lr_noise") {
            let items = value.arrayValue ?? [value]
            let numbers = items.compactMap { $0.doubleValue }.filter(\.isFinite)
            if numbers.count != items.count || numbers.isEmpty || numbers.count > 2 {
                r.record(
                    "lr_noise",
                    "must be one or two numbers (fractions of the schedule), got \(value.shortDescription)"
                )
            } else {
                noise = numbers
            }
        }
        let noisePct = r.double("lr_noise_pct", default: 0.67, requirement: "must be a number")
        let noiseStd = r.double("lr_noise_std", default: 1.0, requirement: "must be a number")
        let seed = r.int(
            "seed",
            default: 42,
            in: -(1 << 62)...(1 << 62),
            requirement: "must be an integer",
            integralFloats: false
        )
        // plateau: patience and the metric's direction ('min' when eval_metric names a loss).
        let patience = r.int(
            "patience_epochs",
            default: 10,
            in: 0...(1 << 30),
            requirement: "must be a non-negative integer"
        )
        let evalMetric = r.raw("eval_metric")?.stringValue ?? "top1"
        let decayFn = r.raw("lr_decay_fn")
        let stableTimescale = r.raw("lr_stable_timescale")
        if let stableTimescale, stableTimescale.doubleValue?.isFinite != true {
            r.record("lr_stable_timescale", "must be a number (epochs), got \(stableTimescale.shortDescription)")
        }
        let startEpoch = r.int(
            "start_epoch",
            default: 0,
            in: 0...(1 << 30),
            requirement: "must be a non-negative integer"
        )
        acceptIgnored(&r, known: otherOptions, warnings: &warnings)
        r.rejectUnknownKeys()
        for issue in r.issues { request.record(issue) }
        guard r.issues.isEmpty, request.issues.isEmpty, let milestones else { return nil }

        // The peak LR (train.py, `if not args.lr`).
        var members: [(key: String, value: JSONValue)] = []
        if lr == 0 {
            let global = Double(batchSize) * Double(worldSize) * Double(accumulation)
            var ratio = global / Double(lrBaseSize)
            if scale.isEmpty {
                let on = opt.lowercased()
                scale = on.contains("ada") || on.contains("lamb") ? "sqrt" : "linear"
            }
            if scale == "sqrt" { ratio = pow(ratio, 0.5) }
            lr = lrBase * ratio
            members.append(("lr", .double(lr)))
            members.append(("lr_base_scale", .string(scale)))
        } else {
            members.append(("lr", .double(lr)))
        }
        let upe = (batches + accumulation - 1) / accumulation
        guard upe > 0 else {
            request.record(
                "batches_per_epoch",
                onUpdates
                    ? "must be positive with sched_on_updates (timm raises AssertionError: updates_per_epoch must be set to number of dataloader batches)"
                    : "is 0: the loop takes no optimizer update"
            )
            return nil
        }
        let m = onUpdates ? upe : 1
        // create_scheduler_v2's arguments.
        let tInitial = saturating(epochs, times: m)
        let warmupT = saturating(warmupEpochs, times: m)
        let cooldownT = saturating(cooldown, times: m)
        func scaled(_ value: JSONValue) -> JSONValue {
            if case .integer(let i) = value { return .integer(saturating(i, times: m)) }
            return .double((value.doubleValue ?? 0) * Double(m))
        }
        var params: [(key: String, value: JSONValue)] = []
        let warmupArgs: [(key: String, value: JSONValue)] = [
            ("warmup_lr_init", .double(warmupLR)), ("warmup_t", .integer(warmupT)), ("warmup_prefix", .bool(prefix)),
        ]
        var noiseArgs: [(key: String, value: JSONValue)] = []
        if let noise {
            let range = noise.map { $0 * Double(tInitial) }
            noiseArgs.append(
                ("noise_range_t", range.count == 1 ? .double(range[0]) : .array(range.map { .double($0) }))
            )
        }
        noiseArgs += [
            ("noise_pct", .double(noisePct)), ("noise_std", .double(noiseStd)), ("noise_seed", .integer(seed)),
        ]
        let cycleArgs: [(key: String, value: JSONValue)] = [
            ("cycle_mul", .double(cycleMul)), ("cycle_decay", .double(cycleDecay)),
            ("cycle_limit", .integer(cycleLimit)),
        ]
        let inEpochs: (key: String, value: JSONValue) = ("t_in_epochs", .bool(!onUpdates))
        var numEpochs = epochs
        var family = Timm.family
        var className = classes[schedName] ?? "none"
        switch schedName {
        case "cosine", "tanh", "poly":
            params = [("t_initial", .integer(tInitial))]
            if schedName == "poly" { params.append(("power", .double(decayRate))) }
            params += [("lr_min", .double(minLR)), inEpochs] + cycleArgs + warmupArgs + noiseArgs
            if schedName != "tanh" { params.append(("k_decay", .double(kDecay))) }
            // get_cycle_length() + cooldown_t, in epochs.
            let cycles = Swift.max(1, cycleLimit)
            var t: Int
            if cycleMul == 1.0 {
                t = saturating(tInitial, times: cycles)
            } else {
                t = Int((-Double(tInitial) * (pow(cycleMul, Double(cycles)) - 1) / (1 - cycleMul)).rounded(.down))
            }
            if prefix { t = saturating(t, plus: warmupT) }
            numEpochs = onUpdates ? saturating(t, plus: cooldownT) / upe : saturating(t, plus: cooldownT)
        case "step", "constant":
            params =
                schedName == "step"
                ? [("decay_t", scaled(decayEpochs)), ("decay_rate", .double(decayRate))]
                : [("decay_t", .integer(1)), ("decay_rate", .double(1.0))]
            params += [inEpochs] + warmupArgs + noiseArgs
            if prefix { numEpochs = saturating(numEpochs, plus: warmupEpochs) }
        case "multistep":
            params = [
                ("decay_t", .array(milestones.map { .integer(saturating($0, times: m)) })),
                ("decay_rate", .double(decayRate)), inEpochs,
            ]
            params += warmupArgs + noiseArgs
            if prefix { numEpochs = saturating(numEpochs, plus: warmupEpochs) }
        case "wsd", "rsqrt":
            let tSched = prefix ? tInitial : tInitial - warmupT
            let given = decayEpochs.doubleValue ?? 0
            var decayT = given > 0 && given < 1 ? given * Double(tSched) : (scaled(decayEpochs).doubleValue ?? 0)
            decayT = decayT.rounded(.toNearestOrEven)
            guard decayT > 0 && decayT <= Double(tSched) else {
                request.record(
                    FieldIssue(
                        pointer.appending("decay_epochs"),
                        "\(schedName) schedule requires 0 < decay_epochs <= epochs\(prefix ? "" : " - warmup_epochs"), got decay \(Int(decayT)) and stable + decay length \(tSched) (timm raises ValueError)"
                    )
                )
                return nil
            }
            params =
                [
                    ("t_initial", .integer(tSched)), ("decay_t", .integer(Int(decayT))), ("lr_min", .double(minLR)),
                    ("stable_fn", .string(schedName == "rsqrt" ? "rsqrt" : "constant")),
                ]
            if let stableTimescale { params.append(("stable_timescale", scaled(stableTimescale))) }
            params +=
                [
                    ("decay_fn", decayFn ?? .string(schedName == "rsqrt" ? "linear" : "1-sqrt")), inEpochs,
                    ("warmup_t", .integer(warmupT)), ("warmup_lr_init", .double(warmupLR)),
                ] + noiseArgs
            // WSDLRScheduler.get_cycle_length() = warmup_t + t_initial, then the cooldown.
            let length = saturating(saturating(warmupT, plus: tSched), plus: cooldownT)
            numEpochs = onUpdates ? length / upe : length
        case "plateau":
            params =
                [
                    ("decay_rate", .double(decayRate)), ("patience_t", .integer(patience)), ("cooldown_t", .integer(0)),
                    ("warmup_lr_init", .double(warmupLR)), ("warmup_t", .integer(warmupT)), ("lr_min", .double(minLR)),
                    ("mode", .string(evalMetric == "loss" ? "min" : "max")),
                ] + noiseArgs
            if prefix { numEpochs = saturating(numEpochs, plus: warmupEpochs) }
        default:  // none: no scheduler, the optimizer keeps lr.
            family = TorchFamily.family
            className = "ConstantLR"
            params = [("factor", .double(1.0)), ("total_iters", .integer(0))]
            warnings.append(
                "sched none builds no scheduler: every update runs at lr (answered as torch ConstantLR with factor 1)"
            )
            if prefix { numEpochs = saturating(numEpochs, plus: warmupEpochs) }
        }
        let built = JSONObject(params)
        var issues: [FieldIssue] = []
        guard
            let spec = TrainerPlan.spec(
                family: family,
                scheduler: className,
                params: built,
                at: pointer,
                issues: &issues
            )
        else {
            var names = argumentNames
            names["decay_t"] = schedName == "multistep" ? "decay_milestones" : "decay_epochs"
            for issue in issues { request.record(TrainerPlan.rename(issue, pointer, names)) }
            return nil
        }
        guard startEpoch < numEpochs else {
            request.record(
                FieldIssue(
                    pointer.appending("start_epoch"),
                    "must be below the \(numEpochs) epochs the loop runs, got \(startEpoch)"
                )
            )
            return nil
        }
        let answered = saturating(numEpochs - startEpoch, times: upe)
        guard answered <= limits.maxEpochs else {
            request.record(
                "args",
                "the run has \(answered) optimizer updates to answer (\(numEpochs - startEpoch) epochs × \(upe)); at most \(limits.maxEpochs) are answered in one request"
            )
            return nil
        }
        // The schedule is replayed up to its last position: bounded before anything is built.
        let lastPosition = onUpdates ? saturating(numEpochs, times: upe) : numEpochs
        guard lastPosition <= limits.maxWork else {
            request.record(
                "args",
                "replaying the schedule to t = \(lastPosition == Int.max ? "a number beyond counting" : String(lastPosition)) exceeds the work limit of \(limits.maxWork)"
            )
            return nil
        }
        var positions: [Int] = []
        positions.reserveCapacity(answered)
        for epoch in startEpoch..<numEpochs {
            for j in 0..<upe { positions.append(onUpdates ? epoch * upe + j : epoch) }
        }
        members += [
            ("batches_per_epoch", .integer(batches)),
            ("updates_per_epoch", .integer(upe)),
            ("epochs", .integer(numEpochs)),
            ("total_updates", .integer(answered)),
            ("warmup_updates", .integer(saturating(warmupEpochs, times: upe))),
            (
                "scheduler",
                family === Timm.family || schedName != "none" ? TrainerPlan.specJSON(family, className, built) : .null
            ),
        ]
        if numEpochs != epochs {
            warnings.append(
                "the loop runs \(numEpochs) epochs, not epochs=\(epochs): create_scheduler_v2 returns the \(prefix ? "warm-up prefix, " : "")cycles\(cooldown > 0 ? " and cooldown" : "")"
            )
        }
        var metrics: [Double]?
        if schedName == "plateau" {
            guard startEpoch == 0 else {
                request.record(
                    FieldIssue(
                        pointer.appending("start_epoch"),
                        "resuming sched plateau is not supported: train.py's step(start_epoch) passes no metric and the scheduler's state depends on the checkpointed run's metrics"
                    )
                )
                return nil
            }
            metrics = TrainerPlan.readMetrics(
                &request,
                needed: positions.last ?? 0,
                what:
                    "the eval_metric (\(evalMetric)) after each epoch, which train.py passes to step(epoch + 1, metric)"
            )
            guard metrics != nil else { return nil }
        } else if request.contains("metrics") {
            _ = request.raw("metrics")
            request.record("metrics", "only sched plateau steps on metrics")
            return nil
        }
        var names = argumentNames
        names["decay_t"] = schedName == "multistep" ? "decay_milestones" : "decay_epochs"
        names["patience_t"] = "patience_epochs"
        names["mode"] = "eval_metric"
        return TrainerPlan(
            trainer: name,
            segments: [.init(spec: spec, lrs: [lr], positions: positions, metrics: metrics)],
            firstUpdate: startEpoch * upe,
            members: JSONObject(members),
            warnings: warnings + spec.warnings,
            renamed: (pointer, names)
        )
    }
}
