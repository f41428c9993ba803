import JSON

/// `"trainer": "mmengine"`: an OpenMMLab config's `param_scheduler` list under MMEngine 0.10.7's
/// Runner, answered per optimizer update.
///
/// The rules, from `mmengine/runner/runner.py` (`_build_param_scheduler`),
/// `mmengine/registry/build_functions.py` and `mmengine/hooks/param_scheduler_hook.py`: each
/// entry's `end` defaults to `max_epochs` (epoch-based entries) or `max_iters`;
/// `convert_to_iter_based` turns an epoch-based entry into an iteration-based one with
/// `begin`/`end` truncated to whole iterations of `len(train_dataloader)` and its step counts
/// multiplied by it; then the Runner steps iteration-based schedulers after every iteration and
/// epoch-based ones after every epoch (see `MMEngine.Runner`). With `accumulative_counts` the
/// optimizer steps every n-th iteration (and at the last), but the schedulers still step every
/// iteration (open-mmlab/mmengine#1308): value k is the LR of optimizer update k + 1.
enum MMEngineTrainer: TrainerDefinition {
    static let name = "mmengine"
    static let title = "MMEngine Runner (param_scheduler, ParamSchedulerHook)"
    static let version = "0.10.7"
    static let stepping =
        "value k is the LR of optimizer update k + 1: iteration-based schedulers step after every iteration, epoch-based ones after every epoch"

    static let planMembers = [
        "iters_per_epoch", "max_iters", "max_epochs", "accumulative_counts", "total_updates", "schedulers",
    ]

    static let fields: [TrainerField] = [
        TrainerField("lr", "number | [number]", required: true, "the optimizer's lr (optim_wrapper.optimizer.lr)"),
        TrainerField(
            "param_scheduler",
            "object | [object]",
            required: true,
            "the config's param_scheduler: dicts with type and the scheduler's keywords, by_epoch, begin, end, convert_to_iter_based"
        ),
        TrainerField(
            "train_cfg",
            "object",
            required: true,
            "the config's train_cfg: by_epoch (or type EpochBasedTrainLoop/IterBasedTrainLoop), max_epochs or max_iters, val_interval, val_begin"
        ),
        TrainerField("iters_per_epoch", "integer", required: true, "len(train_dataloader) on one process"),
        TrainerField(
            "accumulative_counts",
            "integer",
            default: 1,
            "optim_wrapper's accumulative_counts: iterations per optimizer update"
        ),
        TrainerField(
            "metrics",
            "[number]",
            "ReduceOnPlateauLR only: the monitored value of each validation, in order"
        ),
    ]

    static func plan(_ r: inout ObjectReader, limits: ScheduleLimits) -> TrainerPlan? {
        let lrs = AccelerateTrainer.readLearningRates(&r)
        let length = r.int(
            "iters_per_epoch",
            in: 1...limits.maxWork,
            requirement: "must be a positive integer: len(train_dataloader)"
        )
        let counts = r.int(
            "accumulative_counts",
            default: 1,
            in: 1...(1 << 20),
            requirement: "must be a positive integer"
        )
        // train_cfg
        var epochLoop = true
        var maxEpochs = 0
        var maxIterations = 0
        var interval = 1
        var valBegin = 1
        if let value = r.raw("train_cfg") {
            guard case .object(let object) = value else {
                r.record(
                    "train_cfg",
                    "must be an object such as {\"by_epoch\": true, \"max_epochs\": 12}, got \(value.shortDescription)"
                )
                return nil
            }
            var t = ObjectReader(object, at: r.pointer.appending("train_cfg"))
            switch t.raw("type") {
            case nil: epochLoop = t.bool("by_epoch", default: true)
            case .string("EpochBasedTrainLoop")?:
                epochLoop = true
                _ = t.raw("by_epoch")
            case .string("IterBasedTrainLoop")?:
                epochLoop = false
                _ = t.raw("by_epoch")
            case let other?:
                t.record(
                    "type",
                    "must be \"EpochBasedTrainLoop\" or \"IterBasedTrainLoop\", got \(other.shortDescription)"
                )
            }
            if epochLoop {
                maxEpochs = t.int("max_epochs", in: 1...limits.maxWork, requirement: "must be a positive integer")
                maxIterations = saturating(maxEpochs, times: length)
                interval = t.int(
                    "val_interval",
                    default: 1,
                    in: 1...limits.maxWork,
                    requirement: "must be a positive integer"
                )
            } else {
                maxIterations = t.int("max_iters", in: 1...limits.maxWork, requirement: "must be a positive integer")
                maxEpochs = 1
                interval = t.int(
                    "val_interval",
                    default: 1000,
                    in: 1...limits.maxWork,
                    requirement: "must be a positive integer"
                )
            }
            valBegin = t.int(
                "val_begin",
                default: 1,
                in: 0...limits.maxWork,
                requirement: "must be a non-negative integer"
            )
            t.rejectUnknownKeys()
            for issue in t.issues { r.record(issue) }
        } else {
            r.record(
                "train_cfg",
                "is required: {\"by_epoch\": true, \"max_epochs\": E} or {\"by_epoch\": false, \"max_iters\": N}"
            )
        }
        guard let lrs, r.issues.isEmpty else {
            _ = r.raw("param_scheduler")
            _ = r.raw("metrics")
            return nil
        }
        // param_scheduler
        var entries: [MMEngine.Runner.Entry] = []
        var listed: [JSONValue] = []
        var plateau = false
        var issues: [FieldIssue] = []
        var ignoredMomentum: [String] = []
        let items: [(JSONValue, JSONPointer, [String])]
        switch r.raw("param_scheduler") {
        case .array(let values)?:
            items = values.enumerated().map {
                ($1, r.pointer.appending("param_scheduler").appending($0), ["param_scheduler", String($0)])
            }
        case .object(let object)?:
            items = [(.object(object), r.pointer.appending("param_scheduler"), ["param_scheduler"])]
        case let other:
            r.record(
                "param_scheduler",
                "must be a list of scheduler dicts (or one dict) such as [{\"type\": \"LinearLR\", \"start_factor\": 0.001, \"by_epoch\": false, \"end\": 500}], got \(other?.shortDescription ?? "nothing")"
            )
            return nil
        }
        if items.count > SchedulerSpec.maxSchedulers {
            r.record("param_scheduler", "may hold at most \(SchedulerSpec.maxSchedulers) schedulers")
            return nil
        }
        for (value, pointer, path) in items {
            guard case .object(var object) = value else {
                issues.append(
                    FieldIssue(pointer, "must be a scheduler dict with a type, got \(value.shortDescription)")
                )
                continue
            }
            guard case .string(let type)? = object["type"] else {
                issues.append(
                    FieldIssue(
                        pointer.appending("type"),
                        "must name an mmengine scheduler (one of \(MMEngine.family.schedulerNames.joined(separator: ", ")))"
                    )
                )
                continue
            }
            // Momentum schedulers share the list but never move the learning rate.
            if type.hasSuffix("Momentum") {
                ignoredMomentum.append(type)
                continue
            }
            var convert = false
            if let flag = object["convert_to_iter_based"] {
                guard case .bool(let b) = flag else {
                    issues.append(FieldIssue(pointer.appending("convert_to_iter_based"), "must be true or false"))
                    continue
                }
                convert = b
            }
            object["type"] = nil
            object["convert_to_iter_based"] = nil
            let before = issues.count
            guard
                let spec = TrainerPlan.spec(
                    family: MMEngine.family,
                    scheduler: type,
                    params: object,
                    at: pointer,
                    groups: lrs.count,
                    issues: &issues
                ), var definition = spec.definition as? any MMEngineDefinition
            else {
                if issues.count == before {
                    issues.append(FieldIssue(pointer.appending("type"), "is not an mmengine LR scheduler"))
                }
                continue
            }
            // Runner._build_param_scheduler: setdefault('end', max_epochs if by_epoch else max_iters).
            definition = definition.withDefaultEnd(Double(definition.window.byEpoch ? maxEpochs : maxIterations))
            if convert {
                guard definition.window.byEpoch else {
                    issues.append(
                        FieldIssue(
                            pointer.appending("convert_to_iter_based"),
                            "needs by_epoch true: only epoch-based schedulers can be converted to iter-based (MMEngine asserts it)"
                        )
                    )
                    continue
                }
                definition = definition.converted(epochLength: length)
            }
            if let problem = definition.window.problem {
                issues.append(FieldIssue(pointer.appending(definition.window.endGiven ? "end" : "begin"), problem))
                continue
            }
            plateau = plateau || definition is MMEngine.ReduceOnPlateauLR
            entries.append(MMEngine.Runner.Entry(definition: definition, path: path))
            let w = definition.window
            listed.append(
                .object(
                    JSONObject([
                        ("type", .string(type)), ("by_epoch", .bool(w.byEpoch)), ("begin", MMEngine.number(w.begin)),
                        ("end", MMEngine.number(w.end)),
                    ])
                )
            )
        }
        for issue in issues { r.record(issue) }
        guard r.issues.isEmpty else {
            _ = r.raw("metrics")
            return nil
        }
        // Validations before the last iteration's LR is read need their metric.
        var metrics: [Double] = []
        if plateau {
            let runs =
                epochLoop
                ? (1..<maxEpochs).filter { epoch in epoch >= valBegin && epoch % interval == 0 }.count
                : (1..<maxIterations).filter { it in it >= valBegin && it % interval == 0 }.count
            guard let read = TrainerPlan.readMetrics(&r, needed: runs, what: "the monitored value of each validation")
            else { return nil }
            metrics = read
        } else if r.contains("metrics") {
            _ = r.raw("metrics")
            r.record("metrics", "is only read by a ReduceOnPlateauLR entry of param_scheduler")
            return nil
        }
        // The iterations whose optimizer.step() runs: every n-th, and the last.
        var positions: [Int] = []
        if maxIterations > limits.maxWork {
            r.record("train_cfg", "the run has \(maxIterations) iterations, beyond the work limit of \(limits.maxWork)")
            return nil
        }
        for i in 0..<maxIterations where (i + 1) % counts == 0 || i + 1 == maxIterations {
            positions.append(i)
            if positions.count > limits.maxEpochs { break }
        }
        let runner = MMEngine.Runner(
            entries: entries,
            epochLength: length,
            epochLoop: epochLoop,
            maxIterations: maxIterations,
            maxEpochs: maxEpochs,
            validationInterval: interval,
            validationBegin: valBegin,
            metrics: metrics
        )
        let spec = SchedulerSpec(family: MMEngine.family, definition: runner, paramsPointer: r.pointer)
        var warnings: [String] = []
        if !ignoredMomentum.isEmpty {
            warnings.append(
                "\(ignoredMomentum.joined(separator: ", ")) schedule\(ignoredMomentum.count == 1 ? "s" : "") the momentum, not the learning rate: left out"
            )
        }
        if counts > 1 {
            warnings.append(
                "the schedulers step every iteration whatever accumulative_counts is (open-mmlab/mmengine#1308): the schedule moves \(counts) iterations per optimizer update"
            )
        }
        if !epochLoop,
            entries.contains(where: { $0.definition.window.byEpoch && !($0.definition is MMEngine.ReduceOnPlateauLR) })
        {
            warnings.append(
                "an iteration loop ends no epoch before the last iteration: epoch-based schedulers only take their first step"
            )
        }
        var members = JSONObject()
        members["iters_per_epoch"] = .integer(length)
        members["max_iters"] = .integer(maxIterations)
        members["max_epochs"] = .integer(maxEpochs)
        members["accumulative_counts"] = .integer(counts)
        members["total_updates"] = .integer(positions.count)
        members["schedulers"] = .array(listed)
        var plan = TrainerPlan(
            trainer: name,
            segments: [.init(spec: spec, lrs: lrs, positions: positions)],
            firstUpdate: 0,
            members: members,
            warnings: warnings
        )
        plan.finalPosition = maxIterations
        return plan
    }

}
