import JSON

/// A trainer: the training loop above a scheduler family. It reads the user's own training
/// configuration, derives what the trainer derives (updates per epoch, total updates, warm-up),
/// builds the scheduler the trainer builds — a spec of one of the families, never a second copy of
/// a formula — and says at which scheduler position each optimizer update runs.
///
/// Value *k* of a trainer answer is the learning rate optimizer update `start + k + 1` uses: what
/// `optimizer.param_groups[g]["lr"]` holds when the trainer calls `optimizer.step()`.
protocol TrainerDefinition: Sendable {
    /// The `trainer` value of a request.
    static var name: String { get }
    /// The library and entry point, for people.
    static var title: String { get }
    /// The library version whose behaviour the trainer reproduces.
    static var version: String { get }
    /// The rule, in one line: what drives the scheduler.
    static var stepping: String { get }
    /// The request members the trainer reads, for the catalogue.
    static var fields: [TrainerField] { get }
    /// Every member its answers' `plan` may hold, in order (`scheduler` last).
    static var planMembers: [String] { get }

    /// Decodes a trainer request (the reader is at the request object, `trainer` already read)
    /// into a plan; returns nil after recording at least one problem.
    static func plan(_ request: inout ObjectReader, limits: ScheduleLimits) -> TrainerPlan?
}

/// One member a trainer request may carry (or a member of its nested configuration object).
public struct TrainerField: Sendable {
    /// The member's path below the request, such as `args/warmup_steps`.
    public let name: String
    /// Its JSON type, as the catalogue shows it.
    public let type: String
    /// The default, as JSON (`null`: none or required, see `required`).
    public let defaultValue: JSONValue
    /// Whether a request must give it.
    public let required: Bool
    /// What it means, in one line.
    public let meaning: String

    init(
        _ name: String,
        _ type: String,
        default defaultValue: JSONValue = .null,
        required: Bool = false,
        _ meaning: String
    ) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.required = required
        self.meaning = meaning
    }
}

/// What a trainer derived from a request: the scheduler it built, the scheduler position of every
/// optimizer update, the derived figures a user reads (`plan` in the answer) and the warnings.
public struct TrainerPlan: Sendable {
    /// One built scheduler and the positions at which it is read: value *i* is the schedule's LR
    /// after `positions[i]` steps (a timm schedule: at `t = positions[i]`). Positions never decrease.
    public struct Segment: Sendable {
        /// The scheduler the trainer built.
        public let spec: SchedulerSpec
        /// The optimizer's learning rate of each parameter group when the scheduler was built.
        public let lrs: [Double]
        /// The scheduler position of each update this segment answers.
        public var positions: [Int]
        /// The optimizer's `defaults["lr"]` when the scheduler was built, where it differs from
        /// `lrs[0]` (a resumed run: the new optimizer's LR, before the checkpoint's are loaded).
        public var defaultLR: Double? = nil
        /// The metric of each scheduler step, for schedulers that step on one.
        public var metrics: [Double]? = nil
    }

    /// The trainer's name; nil for a torch scheduler request that resumes from a checkpoint.
    public let trainer: String?
    /// The scheduler segments, in update order: one, or two when a resumed run reads the stored
    /// schedule before its own.
    public var segments: [Segment]
    /// How many optimizer updates precede the first answered one (a resume's `from_update`).
    public var firstUpdate: Int
    /// The derived figures, in the order the answer lists them (`scheduler` last).
    public var members: JSONObject
    /// Configuration the trainer reads but ignores for the LR, or ignores silently, in words.
    public var warnings: [String]
    /// The position the last segment's scheduler reaches after the last answered update: the
    /// trainer steps it once more (or several times) after that update's `optimizer.step()`, and
    /// the framework raises there if the schedule cannot go that far (OneCycleLR past
    /// `total_steps`). Nil: no further step is checked.
    public var finalPosition: Int? = nil
    /// Where the built schedulers' arguments came from: a fault about argument `name` below
    /// `base` is reported at `base/renamed[name]`, the user's own field (timm's `warmup_t` is
    /// train.py's `warmup_epochs`).
    var renamed: (base: JSONPointer, names: [String: String])? = nil

    /// How many updates the answer holds.
    public var updateCount: Int { segments.reduce(0) { $0 + $1.positions.count } }

    /// The work of evaluating the plan: every segment's steps × cost × groups.
    public var work: Int {
        var total = 0
        for (i, segment) in segments.enumerated() {
            var last = (segment.positions.last ?? 0) + 1
            if i == segments.count - 1, let finalPosition { last = Swift.max(last, finalPosition + 1) }
            let (perStep, o1) = segment.spec.costPerEpoch.multipliedReportingOverflow(by: segment.lrs.count)
            let (work, o2) = last.multipliedReportingOverflow(by: perStep)
            let (sum, o3) = total.addingReportingOverflow(work)
            if o1 || o2 || o3 { return .max }
            total = sum
        }
        return total
    }

    /// Replays every segment's schedule from construction and reads it at its positions.
    func evaluate() throws(ScheduleError) -> ScheduleValues {
        let groups = segments[0].lrs.count
        var lrs = [[Double]](repeating: [], count: groups)
        for g in 0..<groups { lrs[g].reserveCapacity(updateCount) }
        // Momentums are kept only once a schedule moves them (NaN for earlier values).
        var momentums: [[Double]]?
        do throws(ScheduleError) {
            for (i, segment) in segments.enumerated() {
                let schedule = try LiveSchedule(segment.spec, lrs: segment.lrs, defaultLR: segment.defaultLR)
                if schedule.momentum != nil && momentums == nil {
                    momentums = lrs.map { [Double](repeating: .nan, count: $0.count) }
                }
                for position in segment.positions {
                    if let metrics = segment.metrics {
                        while schedule.steps < position { try schedule.step(metric: metrics[schedule.steps]) }
                    }
                    while schedule.steps < position { try schedule.step() }
                    for g in 0..<groups {
                        lrs[g].append(schedule.lr(group: g))
                        momentums?[g].append(schedule.momentum(group: g) ?? .nan)
                    }
                }
                if i == segments.count - 1, let finalPosition, !schedule.needsMetric {
                    while schedule.steps < finalPosition { try schedule.step() }
                }
            }
        } catch {
            guard let renamed, case .evaluationFailed(let issue, let epoch) = error else { throw error }
            throw .evaluationFailed(Self.rename(issue, renamed.base, renamed.names), epoch: epoch)
        }
        return ScheduleValues(lrs: lrs, momentums: momentums)
    }
}

/// Marks every member of `r`'s object that is in `known` (configuration the trainer has but that
/// never changes the learning rate) as read, and says so in one warning.
func acceptIgnored(_ r: inout ObjectReader, known: Set<String>, warnings: inout [String]) {
    var ignored: [String] = []
    for key in r.object.keys where !r.wasAskedFor(key) && known.contains(key) {
        _ = r.raw(key)
        ignored.append(key)
    }
    if !ignored.isEmpty {
        warnings.append(
            "\(ignored.joined(separator: ", ")) do\(ignored.count == 1 ? "es" : "") not change the learning rate"
        )
    }
}

/// `a × b`, or `Int.max` when it overflows (or is negative from overflow): trainer sizes come from
/// requests, and a product too large to count is refused by the limits rather than trapping.
func saturating(_ a: Int, times b: Int) -> Int {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? (a < 0) != (b < 0) ? Int.min : Int.max : product
}

/// `a + b`, or `Int.max` when it overflows.
func saturating(_ a: Int, plus b: Int) -> Int {
    let (sum, overflow) = a.addingReportingOverflow(b)
    return overflow ? (b > 0 ? Int.max : Int.min) : sum
}

/// The trainers lrsched knows, as the catalogue lists them.
public enum Trainers {
    static let all: [any TrainerDefinition.Type] = [
        TransformersTrainer.self, LightningTrainer.self, TimmTrainer.self, AccelerateTrainer.self,
        DeepSpeedTrainer.self,
        MMEngineTrainer.self, MegatronTrainer.self,
    ]

    /// Every trainer's name, in catalogue order.
    public static var names: [String] { all.map { $0.name } }

    /// A trainer's catalogue entry: name, title, version, stepping rule, fields and plan members.
    public static var catalogue:
        [(name: String, title: String, version: String, stepping: String, fields: [TrainerField], plan: [String])]
    {
        all.map { ($0.name, $0.title, $0.version, $0.stepping, $0.fields, $0.planMembers) }
    }

    /// Decodes a trainer request at `pointer` into a `ScheduleRequest` whose `trainer` holds the plan.
    /// `implied`: the trainer a request without `trainer` names through its shape
    /// (`{"framework": "mmengine", "param_scheduler": …}` is the mmengine Runner's).
    static func decode(
        _ object: JSONObject,
        at pointer: JSONPointer,
        limits: ScheduleLimits,
        implied: String? = nil
    ) throws(ScheduleError) -> ScheduleRequest {
        var r = ObjectReader(object, at: pointer)
        if implied != nil { _ = r.raw("framework") }
        let value = implied.map(JSONValue.string) ?? r.raw("trainer")
        guard case .string(let name)? = value, let trainer = all.first(where: { $0.name == name }) else {
            let known = names.map { "\"\($0)\"" }.joined(separator: ", ")
            var hint = ""
            if let raw = value?.stringValue {
                let aliases = [
                    "huggingface": "transformers", "hf": "transformers", "trainer": "transformers",
                    "pytorch_lightning": "lightning", "pytorch-lightning": "lightning", "pl": "lightning",
                ]
                if let match = aliases[raw.lowercased()] ?? closestMatch(to: raw, in: names) {
                    hint = "; did you mean \"\(match)\"?"
                }
            }
            throw .invalidSpec([
                FieldIssue(
                    pointer.appending("trainer"),
                    "must be one of \(known), got \(value?.shortDescription ?? "null")\(hint)"
                )
            ])
        }
        let plan = trainer.plan(&r, limits: limits)
        let selection = Selection.read(&r, limits: limits)
        let summary = r.bool("summary", default: false)
        // Members of a scheduler request that a trainer derives itself get a message of their own.
        for key in ["framework", "scheduler", "params", "epochs", "start", "lr"]
        where r.contains(key) && !r.wasAskedFor(key) {
            _ = r.raw(key)
            r.record(
                key,
                "is not a member of a \(trainer.name) trainer request: the trainer derives it from its own configuration (see `plan` in the answer) and every optimizer update of the run is answered"
            )
        }
        r.rejectUnknownKeys()
        guard let plan, r.issues.isEmpty else {
            throw .invalidSpec(r.issues.isEmpty ? [FieldIssue(pointer, "invalid trainer request")] : r.issues)
        }
        let count = plan.updateCount
        guard count >= 1 else {
            throw .invalidSpec([FieldIssue(pointer, "the run has no optimizer update to answer")])
        }
        guard count <= limits.maxEpochs else {
            throw .invalidSpec([
                FieldIssue(
                    pointer,
                    "the run has \(count) optimizer updates to answer; at most \(limits.maxEpochs) are answered in one request"
                )
            ])
        }
        guard plan.work <= limits.maxWork else {
            throw .invalidSpec([
                FieldIssue(
                    pointer,
                    "replaying this run's schedule costs \(plan.work), beyond the work limit of \(limits.maxWork)"
                )
            ])
        }
        switch selection {
        case .at(let steps):
            // Steps are counted as start is: value k is update start + k + 1.
            if let bad = steps.firstIndex(where: { $0 < plan.firstUpdate || $0 >= plan.firstUpdate + count }) {
                throw .invalidSpec([
                    FieldIssue(
                        pointer.appending("at").appending(bad),
                        "must be a step of this run's answer, from \(plan.firstUpdate) to \(plan.firstUpdate + count - 1) (step s is the LR of update s + 1), got \(steps[bad])"
                    )
                ])
            }
        case .every, .range:
            break
        }
        let last = plan.segments[plan.segments.count - 1]
        var request = ScheduleRequest(
            scheduler: last.spec,
            lrs: last.lrs,
            epochs: count,
            start: plan.firstUpdate,
            metrics: nil,
            trainer: plan
        )
        request.selection = selection
        request.summary = summary
        return request
    }
}

extension TrainerPlan {
    /// The segments of a run that loads a checkpoint's scheduler state taken at position `stored`
    /// and then reads the schedule at `positions`. torch's `load_state_dict` restores every
    /// attribute, so the checkpoint's schedule (`old`, on `oldLRs`) continues at every position —
    /// except a lambda schedule (torch's `LambdaLR`, transformers' schedules), whose function is
    /// not saved: the optimizer holds the stored LR until the next step, then the rebuilt
    /// schedule (`new`, built on an optimizer whose `defaults["lr"]` is `defaultLR`) runs at the
    /// checkpoint's base LRs. `takesNewFunction` says which case applied.
    static func restored(
        old: SchedulerSpec,
        oldLRs: [Double],
        new: SchedulerSpec,
        defaultLR: Double? = nil,
        positions: [Int],
        stored: Int
    ) -> (segments: [Segment], takesNewFunction: Bool) {
        let lambda =
            (new.name == "LambdaLR" && new.family === Registry.defaultFamily) || new.family.name == "transformers"
        guard lambda else { return ([.init(spec: old, lrs: oldLRs, positions: positions)], false) }
        var segments: [Segment] = []
        let kept = positions.filter { $0 <= stored }
        let later = positions.filter { $0 > stored }
        if !kept.isEmpty { segments.append(.init(spec: old, lrs: oldLRs, positions: kept)) }
        if !later.isEmpty { segments.append(.init(spec: new, lrs: oldLRs, positions: later, defaultLR: defaultLR)) }
        return (segments, true)
    }

    /// Reads the request's `metrics`: finite numbers, at least `needed` of them (`what` says what
    /// one value is); records the problem and returns nil otherwise.
    static func readMetrics(_ r: inout ObjectReader, needed: Int, what: String) -> [Double]? {
        guard let value = r.raw("metrics") else {
            if needed > 0 { r.record("metrics", "is required: \(needed) values, \(what)") }
            return needed > 0 ? nil : []
        }
        guard case .array(let items) = value else {
            r.record("metrics", "must be a list of numbers (\(what)), got \(value.shortDescription)")
            return nil
        }
        var metrics: [Double] = []
        metrics.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard let d = item.doubleValue, d.isFinite else {
                r.record(
                    FieldIssue(
                        r.pointer.appending("metrics").appending(i),
                        "must be a number, got \(item.shortDescription)"
                    )
                )
                return nil
            }
            metrics.append(d)
        }
        guard metrics.count >= needed else {
            r.record(
                "metrics",
                "needs at least \(needed) values (\(what), for every scheduler step before the last update), got \(metrics.count)"
            )
            return nil
        }
        return Array(metrics.prefix(needed))
    }

    /// `issue` pointed at the user's field when it is about a derived argument below `base`.
    static func rename(_ issue: FieldIssue, _ base: JSONPointer, _ names: [String: String]) -> FieldIssue {
        let tokens = issue.pointer.tokens
        guard tokens.count > base.tokens.count, Array(tokens.prefix(base.tokens.count)) == base.tokens,
            let name = names[tokens[base.tokens.count]]
        else { return issue }
        var renamed = tokens
        renamed[base.tokens.count] = name
        return FieldIssue(JSONPointer(tokens: renamed), issue.detail)
    }

    /// Builds the spec `{"framework": family, "scheduler": name, "params": params}` a trainer
    /// derived, decoding `params` as a request's would be at `pointer` (where the user wrote the
    /// arguments the trainer forwards), so that a bad argument is reported there.
    /// `options`: the family options the run implies (DeepSpeed's `optimizer`).
    static func spec(
        family: Family,
        scheduler name: String,
        params: JSONObject,
        at pointer: JSONPointer,
        groups: Int = 1,
        options: [String: String] = [:],
        issues: inout [FieldIssue]
    ) -> SchedulerSpec? {
        guard let type = family.scheduler(named: name) else {
            issues.append(FieldIssue(pointer, "\(family.name) has no scheduler \"\(name)\""))
            return nil
        }
        var context = DecodingContext(depth: 0, count: 1)
        context.options = options
        return SchedulerSpec.decode(
            type,
            params: .object(params),
            pointer: pointer,
            family: family,
            groups: groups,
            context: &context,
            issues: &issues
        )
    }

    /// The `scheduler` member of `plan`: the spec a user can send to reproduce the schedule.
    static func specJSON(_ family: Family, _ name: String, _ params: JSONObject) -> JSONValue {
        .object(
            JSONObject([("framework", .string(family.name)), ("scheduler", .string(name)), ("params", .object(params))])
        )
    }
}
