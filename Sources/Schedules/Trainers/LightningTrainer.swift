import JSON

/// `"trainer": "lightning"`: Lightning 2.6's `Trainer.fit` with the scheduler dict
/// `configure_optimizers` returns (its `scheduler` an lrsched torch spec), the optimizer's `lr` and
/// the batches the train dataloader yields per epoch.
///
/// The rules, from `loops/training_epoch_loop.py` (`advance`, `_should_accumulate`,
/// `_update_learning_rates`), `trainer/connectors/data_connector.py` and `trainer/trainer.py`
/// (`estimated_stepping_batches`):
/// - `num_training_batches` is `min(B, limit)` for an integer `limit_train_batches`,
///   `int(B × limit)` for a float;
/// - within an epoch, the optimizer steps after batch `i` (from 0) when `(i + 1)` is a multiple of
///   `accumulate_grad_batches` or `i` is the epoch's last batch (the last partial group steps too);
/// - `interval: "step"` (after an optimizer step): `scheduler.step()` when `(i + 1) % frequency == 0`
///   — `i` counts micro-batches within the epoch; `interval: "epoch"` (the default), after the
///   epoch's last batch when `(epoch + 1) % frequency == 0`;
/// - the run stops after `max_steps` updates or `max_epochs` epochs (1000 when neither is set);
///   `estimated_stepping_batches = min(ceil(num_training_batches / accumulate) × max_epochs, max_steps)`.
///
/// Resume (`resume`: the run that wrote a checkpoint at the end of an epoch, after `from_update`
/// updates): `configure_optimizers` builds the new scheduler, then `load_state_dict` restores every
/// attribute of the old one — its `T_max`, `total_steps`, milestones, `base_lrs` and position — and
/// the optimizer's LR. So built-in schedulers continue on the old curve; a `LambdaLR`'s function is
/// not saved, so its new `lr_lambda` applies from the next scheduler step, at the old base LR.
enum LightningTrainer: TrainerDefinition {
    static let name = "lightning"
    static let title = "Lightning Trainer.fit (lightning.pytorch)"
    static let version = "2.6.6"
    static let stepping =
        "value k is the LR of optimizer update start + k + 1: the scheduler after the step() calls Lightning made before it (interval, frequency within the epoch)"

    static let planMembers = [
        "batches_per_epoch", "updates_per_epoch", "estimated_stepping_batches", "total_updates", "epochs",
        "scheduler_steps", "resumed_from", "scheduler",
    ]

    static let fields: [TrainerField] = [
        TrainerField(
            "lr",
            "number | [number]",
            required: true,
            "the optimizer's learning rate (one per parameter group)"
        ),
        TrainerField("batches_per_epoch", "integer", required: true, "len(train_dataloader) per process"),
        TrainerField(
            "lr_scheduler",
            "object",
            required: true,
            "configure_optimizers' dict: {\"scheduler\": an lrsched torch spec, \"interval\", \"frequency\"}"
        ),
        TrainerField("lr_scheduler/interval", "string", default: "epoch", "step or epoch"),
        TrainerField(
            "lr_scheduler/frequency",
            "integer",
            default: 1,
            "step every n-th batch (within the epoch) or epoch"
        ),
        TrainerField("lr_scheduler/monitor", "string", "the logged metric a ReduceLROnPlateau steps on"),
        TrainerField("lr_scheduler/strict", "boolean", default: true, "raise when the monitored metric is missing"),
        TrainerField(
            "metrics",
            "[number]",
            "ReduceLROnPlateau: the monitored value after each epoch's validation, in order"
        ),
        TrainerField("trainer_args", "object", "Trainer(...) arguments"),
        TrainerField("trainer_args/max_epochs", "integer", "epochs (1000 when max_steps is also unset; -1: no limit)"),
        TrainerField("trainer_args/max_steps", "integer", default: -1, "optimizer updates (-1: no limit)"),
        TrainerField("trainer_args/accumulate_grad_batches", "integer", default: 1, "batches per optimizer update"),
        TrainerField(
            "trainer_args/limit_train_batches",
            "integer | number",
            default: 1.0,
            "batches per epoch: an int count, or a float fraction"
        ),
        TrainerField(
            "resume",
            "object",
            "Trainer.fit(ckpt_path=...) from a checkpoint saved at the end of an epoch, after from_update updates, by a run configured with resume's lr, lr_scheduler and trainer_args"
        ),
    ]

    /// Trainer arguments that do not change the learning rate (accepted, listed in `warnings`).
    static let otherArguments: Set<String> = [
        "accelerator", "devices", "strategy", "num_nodes", "precision", "logger", "callbacks",
        "enable_checkpointing", "enable_progress_bar", "enable_model_summary", "gradient_clip_val",
        "gradient_clip_algorithm", "deterministic", "benchmark", "log_every_n_steps", "val_check_interval",
        "check_val_every_n_epoch", "num_sanity_val_steps", "limit_val_batches", "limit_test_batches",
        "limit_predict_batches", "default_root_dir", "profiler", "detect_anomaly", "fast_dev_run",
        "overfit_batches", "min_epochs", "min_steps", "max_time", "barebones", "plugins", "sync_batchnorm",
        "use_distributed_sampler", "reload_dataloaders_every_n_epochs", "inference_mode", "model_registry",
    ]

    /// A run's configuration.
    struct Run {
        var lrs: [Double]
        var spec: SchedulerSpec
        var specJSON: JSONValue
        var interval = "epoch"
        var frequency = 1
        var maxEpochs = 1000
        var maxSteps = -1
        var accumulation = 1
        var batches = 1
        /// A plateau scheduler whose monitored metric is never logged, with `strict: false`:
        /// Lightning skips every step.
        var neverSteps = false
        /// A plateau scheduler stepped with the request's `metrics`, one per epoch's validation.
        var metricDriven = false
    }

    /// Where a loop stands: the epoch, the next batch within it, the updates and scheduler steps done.
    struct LoopState {
        var epoch = 0
        var batch = 0
        var updates = 0
        var steps = 0
    }

    /// What the loop does: per update, the scheduler steps taken before it.
    struct Cadence {
        var positions: [Int] = []
        var updatesPerEpoch = 0
        var estimated = 0
        /// Epochs in which this fit took at least one update.
        var epochs = 0
        var schedulerSteps = 0
        /// The loop's state right after each update (its scheduler steps included, and the
        /// epoch's when it was the epoch's last batch): where a checkpoint saved then resumes.
        var after: [LoopState] = []
    }

    static func plan(_ r: inout ObjectReader, limits: ScheduleLimits) -> TrainerPlan? {
        var warnings: [String] = []
        let batches = r.int(
            "batches_per_epoch",
            in: 0...(1 << 40),
            requirement: "must be a non-negative integer: len(train_dataloader)"
        )
        let hasMetrics = r.contains("metrics")
        let run = readRun(&r, at: r.pointer, batches: batches, hasMetrics: hasMetrics, warnings: &warnings)
        var old: Run?
        var from = 0
        if let value = r.raw("resume") {
            let pointer = r.pointer.appending("resume")
            guard case .object(let object) = value else {
                r.record(
                    "resume",
                    "must be an object {\"from_update\": k, \"lr\", \"lr_scheduler\", \"trainer_args\" of the checkpointed run}, got \(value.shortDescription)"
                )
                return nil
            }
            var rr = ObjectReader(object, at: pointer)
            from = rr.int(
                "from_update",
                in: 1...limits.maxEpochs,
                requirement: "must be a positive integer: the optimizer updates done when the checkpoint was saved"
            )
            var ignored: [String] = []
            let oldBatches =
                rr.contains("batches_per_epoch")
                ? rr.int("batches_per_epoch", in: 0...(1 << 40), requirement: "must be a non-negative integer")
                : batches
            if !rr.contains("batches_per_epoch") { _ = rr.raw("batches_per_epoch") }
            // Members the checkpointed run leaves out are the current run's.
            var merged = object.members
            for key in ["lr", "lr_scheduler", "trainer_args"] where object[key] == nil {
                if let current = r.object[key] { merged.append((key, current)) }
            }
            var mr = ObjectReader(JSONObject(merged), at: pointer)
            old = readRun(&mr, at: pointer, batches: oldBatches, hasMetrics: false, warnings: &ignored)
            _ = rr.raw("lr")
            _ = rr.raw("lr_scheduler")
            _ = rr.raw("trainer_args")
            rr.rejectUnknownKeys()
            for issue in rr.issues + mr.issues { r.record(issue) }
        }
        guard let run, r.issues.isEmpty else { return nil }
        guard
            let cadence = simulate(
                run,
                from: LoopState(),
                limits: limits,
                at: r.pointer,
                into: &r
            )
        else {
            return nil
        }
        var members: [(key: String, value: JSONValue)] = [
            ("batches_per_epoch", .integer(run.batches)),
            ("updates_per_epoch", .integer(cadence.updatesPerEpoch)),
            ("estimated_stepping_batches", .integer(cadence.estimated)),
            ("total_updates", .integer(cadence.positions.count)),
            ("epochs", .integer(cadence.epochs)),
            ("scheduler_steps", .integer(cadence.schedulerSteps)),
        ]
        if run.interval == "epoch", ["OneCycleLR", "CyclicLR"].contains(run.spec.name) {
            warnings.append(
                "\(run.spec.name) with interval \"epoch\" steps once per epoch (Lightning warns: are you sure you didn't mean 'interval': 'step'?)"
            )
        }
        var metrics: [Double]?
        if hasMetrics {
            guard run.metricDriven, old == nil else {
                _ = r.raw("metrics")
                r.record(
                    "metrics",
                    old == nil
                        ? "only a ReduceLROnPlateau with a monitor (and interval \"epoch\") steps on metrics"
                        : "resuming a plateau scheduler is not supported yet: Lightning skips its step at the end of the restarted epoch and its state depends on the checkpointed run's metrics"
                )
                return nil
            }
            metrics = TrainerPlan.readMetrics(
                &r,
                needed: cadence.positions.last ?? 0,
                what: "the monitored value after each epoch's validation"
            )
            guard metrics != nil else { return nil }
        }
        guard let old else {
            members.append(("scheduler", run.specJSON))
            var plan = TrainerPlan(
                trainer: name,
                segments: [.init(spec: run.spec, lrs: run.lrs, positions: cadence.positions, metrics: metrics)],
                firstUpdate: 0,
                members: JSONObject(members),
                warnings: warnings + run.spec.warnings
            )
            plan.finalPosition = cadence.schedulerSteps
            return plan
        }
        // The checkpointed run, up to its checkpoint at the end of an epoch.
        let pointer = r.pointer.appending("resume").appending("from_update")
        guard
            let oldCadence = simulate(
                old,
                from: LoopState(),
                limits: limits,
                at: r.pointer.appending("resume"),
                into: &r
            )
        else {
            return nil
        }
        guard from <= oldCadence.after.count else {
            r.record(
                FieldIssue(
                    pointer,
                    "must be at most the checkpointed run's \(oldCadence.after.count) optimizer updates, got \(from)"
                )
            )
            return nil
        }
        // The checkpoint: the old loop right after update `from`; the fit goes on with the next batch.
        var state = oldCadence.after[from - 1]
        if state.batch + 1 >= old.batches {
            state.epoch += 1
            state.batch = 0
        } else {
            state.batch += 1
        }
        let storedSteps = state.steps
        guard old.spec.name == run.spec.name, old.lrs.count == run.lrs.count else {
            r.record(
                FieldIssue(
                    r.pointer.appending("lr_scheduler").appending("scheduler").appending("scheduler"),
                    "must be the checkpointed run's scheduler class (\(old.spec.name)): load_state_dict copies the old scheduler's attributes into the new one"
                )
            )
            return nil
        }
        if ["MultiplicativeLR", "SequentialLR", "ChainedScheduler"].contains(run.spec.name) {
            r.record(
                FieldIssue(
                    r.pointer.appending("lr_scheduler").appending("scheduler").appending("scheduler"),
                    "resuming \(run.spec.name) is not supported: its restored state mixes the old and new configuration in ways lrsched does not replay yet"
                )
            )
            return nil
        }
        guard
            let resumed = simulate(
                run,
                from: state,
                limits: limits,
                at: r.pointer,
                into: &r
            )
        else { return nil }
        guard !resumed.positions.isEmpty else {
            r.record(
                FieldIssue(
                    pointer,
                    "the resumed run has nothing left to train: it stops at \(cadence.positions.count) updates or \(run.maxEpochs) epochs"
                )
            )
            return nil
        }
        let (segments, takesNewFunction) = TrainerPlan.restored(
            old: old.spec,
            oldLRs: old.lrs,
            new: run.spec,
            positions: resumed.positions,
            stored: storedSteps
        )
        if run.specJSON != old.specJSON {
            warnings.append(
                takesNewFunction
                    ? "LambdaLR's function is not saved in the checkpoint: the new lr_lambda applies from the first scheduler step after resuming, at the checkpoint's base LR"
                    : "the scheduler's new params are ignored on resume: load_state_dict restores every attribute of the checkpoint's \(old.spec.name) (its length, milestones and base_lrs), so the old curve continues"
            )
        }
        if old.lrs != run.lrs {
            warnings.append(
                "lr is ignored on resume: the optimizer's state and the scheduler's base_lrs come from the checkpoint"
            )
        }
        members = [
            ("batches_per_epoch", .integer(run.batches)),
            ("updates_per_epoch", .integer(resumed.updatesPerEpoch)),
            ("estimated_stepping_batches", .integer(resumed.estimated)),
            ("total_updates", .integer(resumed.positions.count)),
            ("epochs", .integer(resumed.epochs)),
            ("scheduler_steps", .integer(resumed.schedulerSteps)),
            (
                "resumed_from",
                .object(
                    JSONObject([
                        ("from_update", .integer(from)), ("epoch", .integer(state.epoch)),
                        ("batch", .integer(state.batch)), ("scheduler_steps", .integer(storedSteps)),
                    ])
                )
            ),
            ("scheduler", old.specJSON),
        ]
        var plan = TrainerPlan(
            trainer: name,
            segments: segments,
            firstUpdate: from,
            members: JSONObject(members),
            warnings: warnings + old.spec.warnings
        )
        plan.finalPosition = resumed.schedulerSteps
        return plan
    }

    /// Reads `lr`, `lr_scheduler` and `trainer_args` of one run from `r`.
    static func readRun(
        _ r: inout ObjectReader,
        at pointer: JSONPointer,
        batches: Int,
        hasMetrics: Bool,
        warnings: inout [String]
    ) -> Run? {
        let lrs = AccelerateTrainer.readLearningRates(&r)
        var interval = "epoch"
        var frequency = 1
        var neverSteps = false
        var metricDriven = false
        var spec: SchedulerSpec?
        var specJSON: JSONValue = .null
        let schedulerPointer = pointer.appending("lr_scheduler")
        switch r.raw("lr_scheduler") {
        case .object(let object)?:
            var s = ObjectReader(object, at: schedulerPointer)
            if let value = s.raw("scheduler"), let lrs {
                do {
                    spec = try SchedulerSpec.decode(
                        value,
                        at: schedulerPointer.appending("scheduler"),
                        groups: lrs.count
                    )
                    specJSON = .object(AccelerateTrainer.rawSpec(value) ?? JSONObject())
                } catch {
                    if case .invalidSpec(let issues) = error { for issue in issues { s.record(issue) } }
                }
                if let spec, spec.family.name != "torch" {
                    s.record(
                        "scheduler",
                        "must be a torch scheduler: Lightning steps it with scheduler.step(); got a \(spec.family.name) spec"
                    )
                }
            } else if !s.contains("scheduler") {
                s.record(
                    "scheduler",
                    "is required (Lightning raises MisconfigurationException: The lr scheduler dict must have the key \"scheduler\" with its item being an lr scheduler)"
                )
            }
            if let value = s.raw("interval") {
                if case .string(let text) = value, text == "step" || text == "epoch" {
                    interval = text
                } else {
                    s.record(
                        "interval",
                        "must be \"step\" or \"epoch\", got \(value.shortDescription) (Lightning raises MisconfigurationException: The \"interval\" key in lr scheduler dict must be \"step\" or \"epoch\")"
                    )
                }
            }
            frequency = s.int("frequency", default: 1, in: 1...(1 << 40), requirement: "must be a positive integer")
            _ = s.raw("name")
            let monitor = s.raw("monitor")
            let strict = s.bool("strict", default: true)
            if let spec, spec.takesMetrics {
                if monitor == nil {
                    s.record(
                        "monitor",
                        "is required with \(spec.name) (Lightning raises MisconfigurationException: The lr scheduler dict must include a monitor when a `ReduceLROnPlateau` scheduler is used)"
                    )
                } else if interval == "step" {
                    s.record(
                        "interval",
                        "\"step\" with \(spec.name) steps it after validation runs inside the epoch; lrsched answers plateau schedulers with interval \"epoch\" (stepped after each epoch's validation)"
                    )
                } else if hasMetrics {
                    metricDriven = true
                } else if strict {
                    s.record(
                        "monitor",
                        "needs its values: give `metrics`, the monitored \(monitor?.stringValue ?? "?") after each epoch's validation (without them Lightning raises MisconfigurationException: ReduceLROnPlateau conditioned on metric \(monitor?.stringValue ?? "?") which is not available; with strict false it skips every step)"
                    )
                } else {
                    neverSteps = true
                    warnings.append(
                        "\(spec.name)'s monitored metric is not logged in a trainer request: with strict false Lightning skips every scheduler step, so the LR stays at lr"
                    )
                }
            }
            s.rejectUnknownKeys()
            for issue in s.issues { r.record(issue) }
        case let other?:
            r.record(
                "lr_scheduler",
                "must be configure_optimizers' dict {\"scheduler\": {...}, \"interval\": \"step\", \"frequency\": 1}, got \(other.shortDescription)"
            )
        case nil:
            r.record(
                "lr_scheduler",
                "is required: {\"scheduler\": {\"scheduler\": \"OneCycleLR\", \"params\": {...}}, \"interval\": \"step\"}"
            )
        }
        var maxEpochs: Int?
        var maxSteps = -1
        var accumulation = 1
        var limited = batches
        let argsPointer = pointer.appending("trainer_args")
        if let value = r.raw("trainer_args") {
            guard case .object(let object) = value else {
                r.record("trainer_args", "must be an object of Trainer arguments, got \(value.shortDescription)")
                return nil
            }
            var a = ObjectReader(object, at: argsPointer)
            if a.contains("max_epochs") {
                maxEpochs = a.int("max_epochs", in: -1...(1 << 40), requirement: "must be an integer (-1: no limit)")
            } else {
                _ = a.raw("max_epochs")
            }
            maxSteps = a.int(
                "max_steps",
                default: -1,
                in: -1...(1 << 40),
                requirement: "must be an integer (-1: no limit)"
            )
            accumulation = a.int(
                "accumulate_grad_batches",
                default: 1,
                in: 1...(1 << 40),
                requirement: "must be a positive integer"
            )
            if let limit = a.raw("limit_train_batches") {
                switch limit {
                case .integer(let n) where n >= 0:
                    limited = Swift.min(batches, n)
                case .double(let f) where f >= 0 && f <= 1:
                    limited = Int(Double(batches) * f)
                    if limited == 0 && f > 0 && batches > 0 {
                        a.record(
                            "limit_train_batches",
                            "gives no batch: \(pythonRepr(f)) × \(batches) < 1 (Lightning raises MisconfigurationException: Please increase the `limit_train_batches` argument. Try at least `limit_train_batches=\(pythonRepr(1.0 / Double(batches)))`)"
                        )
                    }
                default:
                    a.record(
                        "limit_train_batches",
                        "must be an integer count or a float in [0, 1], got \(limit.shortDescription)"
                    )
                }
            }
            acceptIgnored(&a, known: otherArguments, warnings: &warnings)
            a.rejectUnknownKeys()
            for issue in a.issues { r.record(issue) }
        }
        guard let lrs, let spec else { return nil }
        // Lightning's _parse_loop_limits: max_epochs defaults to 1000 unless max_steps is set.
        let epochs = maxEpochs ?? (maxSteps == -1 ? 1000 : -1)
        if epochs == -1 && maxSteps == -1 {
            r.record(
                FieldIssue(
                    argsPointer.appending("max_epochs"),
                    "-1 with max_steps -1 trains forever; set max_epochs or max_steps"
                )
            )
            return nil
        }
        return Run(
            lrs: lrs,
            spec: spec,
            specJSON: specJSON,
            interval: interval,
            frequency: frequency,
            maxEpochs: epochs,
            maxSteps: maxSteps,
            accumulation: accumulation,
            batches: limited,
            neverSteps: neverSteps,
            metricDriven: metricDriven
        )
    }

    /// Runs Lightning's loop from `state` (a fresh fit: epoch 0, batch 0): the scheduler position
    /// of every update, and the loop's state after each.
    static func simulate(
        _ run: Run,
        from state: LoopState,
        limits: ScheduleLimits,
        at pointer: JSONPointer,
        into r: inout ObjectReader
    ) -> Cadence? {
        var c = Cadence()
        let nb = run.batches
        let acc = run.accumulation
        c.updatesPerEpoch = (nb + acc - 1) / acc
        let epochsForEstimate = run.maxEpochs == -1 ? Int.max : Swift.max(run.maxEpochs, 1)
        let perEpoch = c.updatesPerEpoch.multipliedReportingOverflow(by: epochsForEstimate)
        let bound = perEpoch.overflow ? Int.max : perEpoch.partialValue
        c.estimated = run.maxSteps == -1 ? bound : Swift.min(bound, run.maxSteps)
        let stopAt = run.maxSteps == -1 ? Int.max : run.maxSteps
        let lastEpoch = run.maxEpochs == -1 ? Int.max : run.maxEpochs
        let ahead =
            run.maxEpochs == -1
            ? stopAt : Swift.min(saturating(c.updatesPerEpoch, times: Swift.max(run.maxEpochs, 0)), stopAt)
        guard ahead != Int.max, ahead - Swift.min(state.updates, ahead) <= limits.maxEpochs else {
            r.record(
                FieldIssue(
                    pointer.appending("trainer_args"),
                    "the run has \(ahead == Int.max ? "more optimizer updates than can be counted" : "\(ahead) optimizer updates"); at most \(limits.maxEpochs) are answered in one request"
                )
            )
            return nil
        }
        guard nb > 0 || run.maxEpochs == 0 else {
            r.record(
                FieldIssue(
                    pointer.appending("batches_per_epoch"),
                    "leaves no training batch: the run takes no optimizer update"
                )
            )
            return nil
        }
        var s = state
        var lastEpochWithUpdate = -1
        loop: while s.epoch < lastEpoch && s.updates < stopAt && nb > 0 {
            // The first batch at or after `s.batch` that ends an accumulation group (or the epoch).
            var i = Swift.min((s.batch / acc + 1) * acc - 1, nb - 1)
            while true {
                c.positions.append(s.steps)
                if lastEpochWithUpdate != s.epoch {
                    c.epochs += 1
                    lastEpochWithUpdate = s.epoch
                }
                s.updates += 1
                if run.interval == "step" && (i + 1) % run.frequency == 0 && !run.neverSteps { s.steps += 1 }
                s.batch = i
                if i == nb - 1 {
                    // The epoch's last batch: epoch-interval schedulers step.
                    if run.interval == "epoch" && (s.epoch + 1) % run.frequency == 0 && !run.neverSteps { s.steps += 1 }
                    c.after.append(s)
                    break
                }
                c.after.append(s)
                if s.updates >= stopAt { break loop }
                i = Swift.min(i + acc, nb - 1)
            }
            s.epoch += 1
            s.batch = 0
        }
        c.schedulerSteps = s.steps
        return c
    }
}
