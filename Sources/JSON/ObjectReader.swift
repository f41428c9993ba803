/// Reads the members of one JSON object as typed parameters, collecting one `FieldIssue` per
/// problem (wrong type, out of range, missing, unknown key) instead of stopping at the first.
///
/// JSON `null` counts as absent (Python's `None`). Every key read counts as known; call
/// `rejectUnknownKeys()` last so that a typo such as `stepsize` is reported, with a suggestion.
public struct ObjectReader {
    /// The object being read.
    public let object: JSONObject
    /// Where the object is in the document.
    public let pointer: JSONPointer
    /// The problems found so far.
    public private(set) var issues: [FieldIssue] = []
    /// The keys asked for, present or not: the known keys for suggestions.
    private var askedFor: [String] = []
    /// Which members have been read: bit i for member i below 64, then `readBeyond`.
    private var readMask: UInt64 = 0
    private var readBeyond: Set<Int> = []

    /// A reader of `object`, located at `pointer`.
    public init(_ object: JSONObject, at pointer: JSONPointer) {
        self.object = object
        self.pointer = pointer
        // One allocation for the keys a reader is usually asked for, not one per doubling.
        askedFor.reserveCapacity(16)
    }

    /// Reads `value` as an object, or records an issue and returns an empty reader.
    public init(value: JSONValue?, at pointer: JSONPointer, issues: inout [FieldIssue]) {
        switch value {
        case .object(let object)?:
            self.init(object, at: pointer)
        case nil:
            self.init(JSONObject([]), at: pointer)
        case let other?:
            issues.append(FieldIssue(pointer, "must be an object, got \(other.typeDescription)"))
            self.init(JSONObject([]), at: pointer)
        }
    }

    /// The keys asked for so far, present or not (the known keys).
    public var readKeys: Set<String> { Set(askedFor) }

    /// Whether `key` has been asked for, present or not (a known key); no set is built.
    public func wasAskedFor(_ key: String) -> Bool { askedFor.contains(key) }

    /// Whether some member has not been read (what `rejectUnknownKeys` reports and hints explain).
    public var hasUnreadMembers: Bool {
        let count = object.members.count
        if count < 64 { return readMask != (1 << UInt64(count)) &- 1 }
        return object.members.indices.contains { !wasRead($0) }
    }

    private func wasRead(_ index: Int) -> Bool {
        index < 64 ? readMask & (1 << UInt64(index)) != 0 : readBeyond.contains(index)
    }

    /// Records a problem with member `key`.
    public mutating func record(_ key: String, _ detail: String) {
        issues.append(FieldIssue(pointer.appending(key), detail))
    }

    /// Records a problem anywhere.
    public mutating func record(_ issue: FieldIssue) { issues.append(issue) }

    /// Whether member `key` is present and not null (does not mark it as read).
    public func contains(_ key: String) -> Bool {
        object[key] != nil && object[key] != .null
    }

    /// The raw member, marking it as read. JSON `null` counts as absent (Python's `None`).
    public mutating func raw(_ key: String) -> JSONValue? {
        askedFor.append(key)
        let members = object.members
        for index in members.indices where JSONObject.sameKey(members[index].key, key) {
            if index < 64 { readMask |= 1 << UInt64(index) } else { readBeyond.insert(index) }
            if case .null = members[index].value { return nil }
            return members[index].value
        }
        return nil
    }

    /// An integer parameter within `range`: a JSON integer, or with `integralFloats` also a number
    /// with no fractional part (`5.0`), as JSON Schema and Python code that only compares and
    /// does arithmetic with it accept.
    public mutating func int(
        _ key: String,
        default defaultValue: Int? = nil,
        in range: ClosedRange<Int>,
        requirement: @autoclosure () -> String,
        integralFloats: Bool = true
    ) -> Int {
        // The requirement is worded only for a problem: valid requests build no text.
        guard let value = raw(key) else {
            if let defaultValue { return defaultValue }
            record(key, "is required (\(requirement()))")
            return range.lowerBound
        }
        guard let i = integralFloats ? value.integralValue : value.intValue else {
            record(key, "\(requirement()), got \(value.shortDescription)")
            return range.lowerBound
        }
        guard range.contains(i) else {
            record(key, "\(requirement()), got \(i)")
            return range.lowerBound
        }
        return i
    }

    /// A float parameter (any finite JSON number) accepted by `isValid`. (Per-group lists are
    /// read by the schedules' `ParamsReader.perGroup`.)
    public mutating func double(
        _ key: String,
        default defaultValue: Double? = nil,
        requirement: @autoclosure () -> String,
        isValid: (Double) -> Bool = { _ in true }
    ) -> Double {
        guard let value = raw(key) else {
            if let defaultValue { return defaultValue }
            record(key, "is required (\(requirement()))")
            return 0
        }
        guard let d = value.doubleValue else {
            record(key, "\(requirement()), got \(value.shortDescription)")
            return defaultValue ?? 0
        }
        guard d.isFinite, isValid(d) else {
            record(key, "\(requirement()), got \(value.shortDescription)")
            return defaultValue ?? 0
        }
        return d
    }

    /// A boolean parameter.
    public mutating func bool(_ key: String, default defaultValue: Bool) -> Bool {
        guard let value = raw(key) else { return defaultValue }
        guard case .bool(let b) = value else {
            record(key, "must be true or false, got \(value.shortDescription)")
            return defaultValue
        }
        return b
    }

    /// A string parameter that must name one of `E`'s raw values.
    public mutating func choice<E: RawRepresentable & CaseIterable>(_ key: String, default defaultValue: E) -> E
    where E.RawValue == String {
        guard let value = raw(key) else { return defaultValue }
        guard case .string(let s) = value, let e = E(rawValue: s) else {
            let allowed = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            record(key, "must be one of \(allowed), got \(value.shortDescription)")
            return defaultValue
        }
        return e
    }

    /// A list of integers, at most `maxCount` long (integral floats such as `5.0` count as integers).
    public mutating func intList(_ key: String, maxCount: Int, requirement: @autoclosure () -> String) -> [Int]? {
        guard let value = raw(key) else {
            record(key, "is required (\(requirement()))")
            return nil
        }
        guard case .array(let items) = value else {
            record(key, "\(requirement()), got \(value.shortDescription)")
            return nil
        }
        guard items.count <= maxCount else {
            record(key, "must have at most \(maxCount) entries, got \(items.count)")
            return nil
        }
        var result: [Int] = []
        result.reserveCapacity(items.count)
        var ok = true
        for (i, item) in items.enumerated() {
            if let n = item.integralValue {
                result.append(n)
            } else {
                issues.append(
                    FieldIssue(
                        pointer.appending(key).appending(i),
                        "must be an integer, got \(item.shortDescription)"
                    )
                )
                ok = false
            }
        }
        return ok ? result : nil
    }

    /// Records every member that no reader asked for: unknown keys are errors, never ignored.
    /// The keys already read serve as the known keys for "did you mean" suggestions.
    public mutating func rejectUnknownKeys() {
        var known: [String]?
        for (index, member) in object.members.enumerated() where !wasRead(index) {
            let key = member.key
            if known == nil { known = Set(askedFor).sorted() }
            let suggestion = closestMatch(to: key, in: known!).map { "; did you mean \"\($0)\"?" } ?? ""
            record(key, "is not a known field\(suggestion)")
        }
    }
}

extension JSONValue {
    /// "a string", "an array", ... for error messages.
    public var typeDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as the user wrote it (short), for error messages.
    public var shortDescription: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .integer(let i): String(i)
        case .double(let d): d.description
        case .string(let s): s.count > 40 ? "\"\(s.prefix(40))…\"" : "\"\(s)\""
        case .array(let a): "an array of \(a.count)"
        case .object: "an object"
        }
    }
}

/// The closest candidate by edit distance, if it is close enough to be a likely typo.
public func closestMatch(to word: String, in candidates: some Sequence<String>) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, cb) in b.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
    let w = Array(word.lowercased())
    var best: (String, Int)?
    for candidate in candidates {
        let d = distance(w, Array(candidate.lowercased()))
        if d <= Swift.max(1, w.count / 3), best == nil || d < best!.1 { best = (candidate, d) }
    }
    return best?.0
}
