import JSON

/// A validated scheduler configuration of one family, with where its `params` were in the
/// document, so that faults raised while the schedule runs can point at the parameter.
public struct SchedulerSpec: Sendable {
    /// The family the scheduler belongs to.
    public let family: Family
    /// The scheduler's validated configuration.
    public let definition: any SchedulerDefinition
    /// Where the scheduler's `params` object is in the document.
    public let paramsPointer: JSONPointer
    /// The family options (`Family.options`) the request chose, by name; absent ones take their
    /// defaults.
    public var options: [String: String] = [:]

    /// The value of every option of the family, in the family's order.
    public var effectiveOptions: [(name: String, value: String)] {
        family.options.map { ($0.name, options[$0.name] ?? $0.defaultValue) }
    }

    /// The scheduler's name, as the request gave it.
    public var name: String { type(of: definition).name }
    /// A bound on the work of one step (see `SchedulerDefinition.costPerEpoch`).
    public var costPerEpoch: Int { definition.costPerEpoch }
    /// Whether each step takes a metric.
    public var takesMetrics: Bool { type(of: definition).takesMetrics }
    /// Whether the request must carry `lr`.
    public var learningRate: LearningRatePolicy { type(of: definition).learningRate }
    /// Arguments the framework accepts but ignores, in words.
    public var warnings: [String] { definition.warnings }
    /// Whether the values are the framework's bit for bit (see `SchedulerDefinition.isExact`).
    public var isExact: Bool { definition.isExact }

    /// The JSON pointer of a fault's parameter.
    public func pointer(of fault: ScheduleFault) -> JSONPointer {
        fault.parameter.reduce(paramsPointer) { $0.appending($1) }
    }
}

extension SchedulerSpec {
    /// At most this many schedulers (counting nested ones) in one spec.
    public static let maxSchedulers = 64

    /// The scheduler type `value` names in `family`; records an issue at `pointer` (with a
    /// suggestion, across families) when there is none.
    static func lookUp(
        _ value: JSONValue?,
        at pointer: JSONPointer,
        in family: Family,
        issues: inout [FieldIssue]
    ) -> (any SchedulerDefinition.Type)? {
        guard case .string(let raw)? = value else {
            let known = family.schedulerNames.joined(separator: ", ")
            let got = value.map { "got \($0.shortDescription)" } ?? "it is missing"
            issues.append(FieldIssue(pointer, "must name a scheduler (one of \(known)); \(got)"))
            return nil
        }
        if let type = family.scheduler(named: raw) { return type }
        let known = family.schedulerNames.joined(separator: ", ")
        if family.name == "timm", let timmClass = Hints.timmSched[raw.lowercased()] {
            issues.append(
                FieldIssue(
                    pointer,
                    "unknown timm scheduler \"\(raw)\"; did you mean \"\(timmClass)\"? (train.py's --sched \(raw.lowercased()) builds it; for the whole train.py run, send {\"trainer\": \"timm\", \"args\": {\"sched\": \"\(raw.lowercased())\", …}}). Known: \(known)"
                )
            )
            return nil
        }
        let others = Registry.families.filter { $0.name != family.name }
        let elsewhere =
            others.first { $0.scheduler(named: raw) != nil }
            ?? others.first { $0.schedulerNames.contains { $0.lowercased() == raw.lowercased() } }
        let hint: String
        if let elsewhere {
            let exact = elsewhere.schedulerNames.first { $0.lowercased() == raw.lowercased() } ?? raw
            hint = "; \"\(exact)\" is a \(elsewhere.name) scheduler: add \"framework\": \"\(elsewhere.name)\""
        } else if let match = closestMatch(to: raw, in: family.schedulerNames) {
            hint = "; did you mean \"\(match)\"?"
        } else if let family = others.first(where: { closestMatch(to: raw, in: $0.schedulerNames) != nil }),
            let match = closestMatch(to: raw, in: family.schedulerNames)
        {
            hint = "; did you mean \"\(match)\" (with \"framework\": \"\(family.name)\")?"
        } else {
            hint = ""
        }
        issues.append(FieldIssue(pointer, "unknown \(family.name) scheduler \"\(raw)\"\(hint). Known: \(known)"))
        return nil
    }

    /// Decodes `{"scheduler": name, "params": params}` of `family`: `params` is at `pointer`,
    /// the optimizer has `groups` parameter groups. Records every problem; nil if any.
    static func decode(
        name: JSONValue?,
        namePointer: JSONPointer,
        params: JSONValue?,
        pointer: JSONPointer,
        family: Family,
        groups: Int,
        context: inout DecodingContext,
        issues: inout [FieldIssue]
    ) -> SchedulerSpec? {
        context.count += 1
        if context.count > maxSchedulers {
            issues.append(FieldIssue(namePointer, "a spec may contain at most \(maxSchedulers) schedulers"))
            return nil
        }
        guard let type = lookUp(name, at: namePointer, in: family, issues: &issues) else { return nil }
        return decode(
            type,
            params: params,
            pointer: pointer,
            family: family,
            groups: groups,
            context: &context,
            issues: &issues
        )
    }

    /// Decodes the `params` (at `pointer`) of scheduler `type` of `family`. Records every problem;
    /// nil if any.
    static func decode(
        _ type: any SchedulerDefinition.Type,
        params: JSONValue?,
        pointer: JSONPointer,
        family: Family,
        groups: Int,
        context: inout DecodingContext,
        issues: inout [FieldIssue]
    ) -> SchedulerSpec? {
        var reader = ParamsReader(
            ObjectReader(value: params, at: pointer, issues: &issues),
            family: family,
            groups: groups,
            context: context
        )
        let definition = type.init(decoding: &reader)
        Hints.parameters(&reader, family: family, scheduler: type.name)
        reader.object.rejectUnknownKeys()
        context = reader.context
        issues.append(contentsOf: reader.object.issues)
        guard let definition, !reader.hasIssues else { return nil }
        return SchedulerSpec(
            family: family,
            definition: definition,
            paramsPointer: pointer,
            options: context.options
        )
    }

    /// Decodes a composite's `key` list of child specs of the same family, refusing children that
    /// step on a metric (`parent` cannot give them one).
    static func decodeChildren(_ key: String, of parent: String, in params: inout ParamsReader) -> [SchedulerSpec]? {
        let pointer = params.pointer.appending(key)
        guard let value = params.raw(key) else {
            params.record(key, "is required: a list of {\"scheduler\": ..., \"params\": {...}} objects")
            return nil
        }
        guard case .array(let items) = value, !items.isEmpty else {
            params.record(
                key,
                "must be a non-empty list of {\"scheduler\": ..., \"params\": {...}} objects, got \(value.shortDescription)"
            )
            return nil
        }
        let family = params.family
        var children: [SchedulerSpec] = []
        var issues: [FieldIssue] = []
        var ok = true
        var context = params.context
        context.depth += 1
        for (i, item) in items.enumerated() {
            let itemPointer = pointer.appending(i)
            guard case .object(let object) = item else {
                issues.append(
                    FieldIssue(
                        itemPointer,
                        "must be an object {\"scheduler\": ..., \"params\": {...}}, got \(item.shortDescription)"
                    )
                )
                ok = false
                continue
            }
            for key in object.keys where key != "scheduler" && key != "params" {
                issues.append(
                    FieldIssue(
                        itemPointer.appending(key),
                        "is not a known field (a child has only `scheduler` and `params`)"
                    )
                )
                ok = false
            }
            if case .string(let name)? = object["scheduler"], let type = family.scheduler(named: name),
                type.takesMetrics
            {
                issues.append(
                    FieldIssue(
                        itemPointer.appending("scheduler"),
                        "\(parent) does not support \(name): it needs a metric on every step (\(family.name) refuses it too)"
                    )
                )
                ok = false
                continue
            }
            guard
                let child = decode(
                    name: object["scheduler"],
                    namePointer: itemPointer.appending("scheduler"),
                    params: object["params"],
                    pointer: itemPointer.appending("params"),
                    family: family,
                    groups: params.groups,
                    context: &context,
                    issues: &issues
                )
            else {
                ok = false
                continue
            }
            children.append(child)
        }
        context.depth -= 1
        params.context = context
        for issue in issues { params.record(issue) }
        return ok ? children : nil
    }

    /// Decodes `{"scheduler": ..., "params": {...}}` (optionally with `"framework"`) found at
    /// `pointer`, as in a training-run request, for an optimizer with `groups` parameter groups.
    public static func decode(
        _ json: JSONValue,
        at pointer: JSONPointer,
        groups: Int = 1
    ) throws(ScheduleError)
        -> SchedulerSpec
    {
        var issues: [FieldIssue] = []
        guard case .object(let object) = json else {
            throw .invalidSpec([
                FieldIssue(
                    pointer,
                    "must be an object {\"scheduler\": ..., \"params\": {...}}, got \(json.shortDescription)"
                )
            ])
        }
        let familyOptions =
            (object["framework"]?.stringValue).flatMap(Registry.family(named:))?.options.map(\.name) ?? []
        let fields = ["framework", "scheduler", "params"] + familyOptions
        for key in object.keys where !fields.contains(key) {
            let hint = closestMatch(to: key, in: fields).map { "; did you mean \"\($0)\"?" } ?? ""
            issues.append(FieldIssue(pointer.appending(key), "is not a known field\(hint)"))
        }
        guard let family = decodeFamily(object["framework"], at: pointer.appending("framework"), issues: &issues) else {
            throw .invalidSpec(issues)
        }
        var context = DecodingContext()
        context.options = decodeOptions(of: family, in: object, at: pointer, issues: &issues)
        let spec = decode(
            name: object["scheduler"],
            namePointer: pointer.appending("scheduler"),
            params: object["params"],
            pointer: pointer.appending("params"),
            family: family,
            groups: groups,
            context: &context,
            issues: &issues
        )
        guard let spec, issues.isEmpty else { throw .invalidSpec(issues) }
        return spec
    }

    /// Reads the family's options (`Family.options`) from a request object; records a problem
    /// for a value outside an option's choices.
    static func decodeOptions(
        of family: Family,
        in object: JSONObject,
        at pointer: JSONPointer,
        issues: inout [FieldIssue]
    ) -> [String: String] {
        var chosen: [String: String] = [:]
        for option in family.options {
            guard let value = object[option.name], value != .null else { continue }
            if case .string(let name) = value, option.choices.contains(name) {
                chosen[option.name] = name
            } else {
                let choices = option.choices.map { "\"\($0)\"" }.joined(separator: ", ")
                issues.append(
                    FieldIssue(
                        pointer.appending(option.name),
                        "must be one of \(choices), got \(value.shortDescription)"
                    )
                )
            }
        }
        return chosen
    }

    /// The family a `framework` member names (absent or null: torch).
    static func decodeFamily(_ value: JSONValue?, at pointer: JSONPointer, issues: inout [FieldIssue]) -> Family? {
        guard let value, value != .null else { return Registry.defaultFamily }
        let names = Registry.families.map(\.name)
        guard case .string(let name) = value, let family = Registry.family(named: name) else {
            let hint =
                value.stringValue.flatMap { Hints.frameworks[$0.lowercased()] ?? closestMatch(to: $0, in: names) }
                .map { "; did you mean \"\($0)\"?" } ?? ""
            issues.append(
                FieldIssue(
                    pointer,
                    "must be one of \(names.map { "\"\($0)\"" }.joined(separator: ", ")), got \(value.shortDescription)\(hint)"
                )
            )
            return nil
        }
        return family
    }
}
