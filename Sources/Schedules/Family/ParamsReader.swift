import JSON

/// Reads a scheduler's `params` object through its `Parameter` descriptions: defaults,
/// constraints and names come from the description, problems are collected with their JSON
/// pointers, and the number of parameter groups is known so per-group lists can be checked.
public struct ParamsReader {
    /// The underlying object reader (for parameters with irregular shapes).
    public var object: ObjectReader
    /// How many parameter groups the optimizer has (the length of the request's `lr` list).
    public let groups: Int
    /// The family whose scheduler is being decoded (a composite's children belong to it too).
    public let family: Family
    /// The decoding context: nesting depth and the number of schedulers decoded so far.
    var context: DecodingContext

    init(_ object: ObjectReader, family: Family, groups: Int, context: DecodingContext) {
        self.object = object
        self.family = family
        self.groups = groups
        self.context = context
    }

    /// Where the params object is.
    public var pointer: JSONPointer { object.pointer }
    /// Whether `name` is present and not null.
    public func contains(_ name: String) -> Bool { object.contains(name) }
    /// Records a problem with parameter `name`.
    public mutating func record(_ name: String, _ detail: String) { object.record(name, detail) }
    /// Records a problem anywhere.
    public mutating func record(_ issue: FieldIssue) { object.record(issue) }
    /// The raw value of `name` (marks it as read).
    public mutating func raw(_ name: String) -> JSONValue? { object.raw(name) }
    /// Whether any problem has been recorded.
    public var hasIssues: Bool { !object.issues.isEmpty }

    /// An integer parameter within `range`.
    public mutating func int(_ p: Parameter, in range: ClosedRange<Int>) -> Int {
        let fallback: Int? = if case .int(let i) = p.defaultValue { i } else { nil }
        return object.int(
            p.name,
            default: fallback,
            in: range,
            requirement: "must be \(p.constraint)",
            integralFloats: p.acceptsIntegralFloat
        )
    }

    /// An integer parameter whose default is `None`.
    public mutating func optionalInt(_ p: Parameter, in range: ClosedRange<Int>) -> Int? {
        guard contains(p.name) else {
            _ = raw(p.name)
            return nil
        }
        return object.int(
            p.name,
            in: range,
            requirement: "must be \(p.constraint)",
            integralFloats: p.acceptsIntegralFloat
        )
    }

    /// A float parameter accepted by `isValid`.
    public mutating func double(_ p: Parameter, isValid: (Double) -> Bool = { _ in true }) -> Double {
        object.double(p.name, default: p.floatDefault, requirement: "must be \(p.constraint)", isValid: isValid)
    }

    /// A float parameter whose default is `None`.
    public mutating func optionalDouble(_ p: Parameter, isValid: (Double) -> Bool = { _ in true }) -> Double? {
        guard contains(p.name) else {
            _ = raw(p.name)
            return nil
        }
        return object.double(p.name, requirement: "must be \(p.constraint)", isValid: isValid)
    }

    /// A float parameter given once for every group or as a list with one value per group;
    /// returns one value per group.
    public mutating func perGroup(_ p: Parameter, isValid: (Double) -> Bool = { _ in true }) -> [Double] {
        let requirement = "must be \(p.constraint)"
        guard case .array(let items)? = object.object[p.name] else {
            let value = object.double(p.name, default: p.floatDefault, requirement: requirement, isValid: isValid)
            return Array(repeating: value, count: groups)
        }
        _ = raw(p.name)
        guard items.count == groups else {
            let expected =
                groups == 1 ? "a list of one (one parameter group)" : "a list of \(groups) (one per parameter group)"
            record(p.name, "\(requirement), or \(expected), got \(JSONValue.array(items).shortDescription)")
            return Array(repeating: p.floatDefault ?? 0, count: groups)
        }
        var values: [Double] = []
        for (i, item) in items.enumerated() {
            if let d = item.doubleValue, d.isFinite, isValid(d) {
                values.append(d)
            } else {
                record(
                    FieldIssue(pointer.appending(p.name).appending(i), "\(requirement), got \(item.shortDescription)")
                )
                values.append(p.floatDefault ?? 0)
            }
        }
        return values
    }

    /// A boolean parameter.
    public mutating func bool(_ p: Parameter) -> Bool {
        let fallback: Bool = if case .bool(let b) = p.defaultValue { b } else { false }
        return object.bool(p.name, default: fallback)
    }

    /// A string parameter naming one of `E`'s raw values.
    public mutating func choice<E: RawRepresentable & CaseIterable>(_ p: Parameter, default value: E) -> E
    where E.RawValue == String {
        object.choice(p.name, default: value)
    }

    /// A list of finite numbers, at most `maxCount` long.
    public mutating func numberList(_ p: Parameter, maxCount: Int) -> [Double]? {
        guard let value = raw(p.name) else {
            record(p.name, "is required (must be \(p.constraint))")
            return nil
        }
        guard case .array(let items) = value, items.count <= maxCount else {
            record(p.name, "must be \(p.constraint) (at most \(maxCount)), got \(value.shortDescription)")
            return nil
        }
        var result: [Double] = []
        for (i, item) in items.enumerated() {
            guard let d = item.doubleValue, d.isFinite else {
                record(
                    FieldIssue(pointer.appending(p.name).appending(i), "must be a number, got \(item.shortDescription)")
                )
                continue
            }
            result.append(d)
        }
        return result.count == items.count ? result : nil
    }

    /// The value the request chose for the family option `option` (its default when absent).
    public func option(_ option: FamilyOption) -> String {
        context.options[option.name] ?? option.defaultValue
    }

    /// A list of integers, at most `maxCount` long.
    public mutating func intList(_ p: Parameter, maxCount: Int) -> [Int]? {
        object.intList(p.name, maxCount: maxCount, requirement: "must be \(p.constraint)")
    }
}

extension Parameter {
    /// The default as a float, when it is a number.
    var floatDefault: Double? {
        switch defaultValue {
        case .float(let d): d
        case .int(let i): Double(i)
        default: nil
        }
    }
}

/// What decoding a nested spec needs to know about the specs around it.
struct DecodingContext {
    /// How deep the spec being decoded is nested (0 at the top).
    var depth = 0
    /// How many schedulers have been decoded so far in this request (nested ones included).
    var count = 0
    /// The family's options the request chose (`Family.options`), by name.
    var options: [String: String] = [:]
}
