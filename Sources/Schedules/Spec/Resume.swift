import JSON

/// `resume` on a torch scheduler request: the values a run gets when it rebuilds the scheduler
/// from the request's `params` and then loads the state a run configured with `resume.params`
/// (and `resume.lr`; both default to the request's own) saved after `resume.from_update` steps — `scheduler.load_state_dict(...)`
/// and `optimizer.load_state_dict(...)`, as torch 2.15 does them.
///
/// `LRScheduler.state_dict()` holds every attribute but the optimizer: `last_epoch`, `base_lrs`,
/// `_last_lr` and every hyper-parameter (`T_max`, `total_steps`, `milestones`, `gamma`, …), so the
/// checkpoint's scheduler continues unchanged and the new `params` are ignored. `LambdaLR` keeps
/// only a callable object's `__dict__`, never a function's, so its new `lr_lambda` applies from
/// the first step after loading, at the checkpoint's `base_lrs`; until then the optimizer holds
/// the stored LR. Value *k* is the LR after `start + k` steps counted from the first run's
/// construction (`start` defaults to `from_update` and may not be below it).
enum Resume {
    /// Schedulers whose restored state mixes old and new configuration in a way lrsched does not
    /// replay (a recursive lambda, or children whose own states are restored).
    static let unsupported: Set<String> = ["MultiplicativeLR", "SequentialLR", "ChainedScheduler"]

    /// A checkpoint to resume from: its update count and the configuration that saved it.
    struct Checkpoint {
        /// `resume.from_update`: the steps taken before the checkpoint.
        let from: Int
        /// The scheduler configuration that saved it (`resume.params`).
        let old: SchedulerSpec
        /// Its learning rates (`resume.lr`).
        let oldLRs: [Double]
    }

    /// Reads `resume` for `spec` (the new configuration) and returns the checkpoint; records
    /// problems in `r`.
    static func read(
        _ value: JSONValue,
        spec: SchedulerSpec,
        lrs: [Double],
        into r: inout ObjectReader,
        limits: ScheduleLimits
    ) -> Checkpoint? {
        let pointer = r.pointer.appending("resume")
        guard spec.family === Registry.defaultFamily else {
            r.record(
                "resume",
                "is supported for torch schedulers and trainer requests; \(spec.family.name) schedules are functions of the step, so ask for start instead"
            )
            return nil
        }
        guard case .object(let object) = value else {
            r.record(
                "resume",
                "must be an object {\"from_update\": k, \"params\": {...}, \"lr\": ...} of the run that saved the checkpoint, got \(value.shortDescription)"
            )
            return nil
        }
        guard !unsupported.contains(spec.name) else {
            r.record(
                "resume",
                "resuming \(spec.name) is not supported: its restored state mixes the old and the new configuration in ways lrsched does not replay yet"
            )
            return nil
        }
        var rr = ObjectReader(object, at: pointer)
        let from = rr.int(
            "from_update",
            in: 1...limits.maxEpochs,
            requirement:
                "must be an integer from 1 to \(limits.maxEpochs): the step() calls made before the checkpoint was saved"
        )
        if let name = rr.raw("scheduler"), name != .string(spec.name) {
            rr.record(
                "scheduler",
                "must be the request's scheduler (\(spec.name)): load_state_dict copies the old scheduler's attributes into the new one, got \(name.shortDescription)"
            )
        }
        var oldLRs = lrs
        if rr.contains("lr") {
            let before = rr.issues.count
            let decoded = ScheduleRequest.decodeLR(&rr, policy: .required)
            if rr.issues.count == before && decoded.count == lrs.count {
                oldLRs = decoded
            } else if rr.issues.count == before {
                rr.record(
                    "lr",
                    "must be the checkpointed run's learning rate: one per parameter group (\(lrs.count)), got \(decoded.count)"
                )
            }
        } else {
            _ = rr.raw("lr")
        }
        var old: SchedulerSpec?
        var issues: [FieldIssue] = []
        var context = DecodingContext(depth: 0, count: 1)
        old = SchedulerSpec.decode(
            type(of: spec.definition),
            params: rr.raw("params") ?? r.object["params"] ?? .object(JSONObject()),
            pointer: pointer.appending("params"),
            family: spec.family,
            groups: lrs.count,
            context: &context,
            issues: &issues
        )
        rr.rejectUnknownKeys()
        for issue in rr.issues + issues { r.record(issue) }
        guard let old, rr.issues.isEmpty, issues.isEmpty else { return nil }
        return Checkpoint(from: from, old: old, oldLRs: oldLRs)
    }

    /// The plan for values at steps `start ..< start + epochs` after resuming at `from`.
    static func plan(
        from: Int,
        old: SchedulerSpec,
        oldLRs: [Double],
        new spec: SchedulerSpec,
        start: Int,
        epochs: Int
    ) -> TrainerPlan {
        let positions = Array(start..<(start + epochs))
        let (segments, takesNewFunction) = TrainerPlan.restored(
            old: old,
            oldLRs: oldLRs,
            new: spec,
            positions: positions,
            stored: from
        )
        let warning =
            takesNewFunction
            ? "LambdaLR saves no function: after load_state_dict the new lr_lambda applies from step \(from + 1), at the checkpoint's base_lrs"
            : "load_state_dict restores every attribute of the checkpoint's \(old.name) (its hyper-parameters, base_lrs and last_epoch): the params given here are ignored and the old schedule continues"
        return TrainerPlan(
            trainer: nil,
            segments: segments,
            firstUpdate: start,
            members: JSONObject([
                ("resumed_from", .object(JSONObject([("from_update", .integer(from))]))),
                (
                    "scheduler",
                    .object(JSONObject([("framework", .string(old.family.name)), ("scheduler", .string(old.name))]))
                ),
            ]),
            warnings: [warning] + old.warnings
        )
    }
}
