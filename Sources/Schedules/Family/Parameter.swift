import JSON

/// One constructor keyword of a scheduler: the single description that request decoding reads
/// (name, default, constraint) and that the catalogue (`GET /v1/schedulers`) publishes, so the
/// two cannot drift apart.
public final class Parameter: Sendable {
    /// The value a parameter takes when a request leaves it out.
    public enum Default: Sendable, Equatable {
        /// The parameter must be given.
        case required
        /// Leaving it out is allowed and means Python's `None` (the library picks a behaviour).
        case none
        case int(Int)
        case float(Double)
        case bool(Bool)
        case string(String)
        /// A default that is not a single value (an empty list, "all groups' base LRs", ...).
        case described(String)
    }

    /// The keyword, as the framework spells it (`step_size`, `num_warmup_steps`).
    public let name: String
    /// The JSON type in the catalogue's words: `int`, `float`, `bool`, `string`, `list[int]`, ...
    public let type: String
    /// The default.
    public let defaultValue: Default
    /// What a valid value is, phrased to follow "must be": `a positive integer`.
    public let constraint: String
    /// One line on what the parameter does.
    public let meaning: String
    /// For integers: whether an integral float (`5.0`) is accepted. Most schedulers only compare
    /// and do arithmetic with their integers, so a float computes the same values; the ones
    /// that check `isinstance(x, int)` (or pass it where torch wants a `long`) refuse it, and so
    /// does lrsched.
    public let acceptsIntegralFloat: Bool

    /// A parameter; prefer the typed factories below.
    public init(
        _ name: String,
        type: String,
        default defaultValue: Default,
        constraint: String,
        meaning: String,
        acceptsIntegralFloat: Bool = true
    ) {
        self.name = name
        self.type = type
        self.acceptsIntegralFloat = acceptsIntegralFloat
        self.defaultValue = defaultValue
        self.constraint = constraint
        self.meaning = meaning
    }

    /// An integer keyword (`acceptsIntegralFloat`: whether `5.0` counts, as it does for most).
    public static func int(
        _ name: String,
        default value: Int? = nil,
        _ constraint: String,
        _ meaning: String,
        acceptsIntegralFloat: Bool = true
    ) -> Parameter {
        Parameter(
            name,
            type: "int",
            default: value.map(Default.int) ?? .required,
            constraint: constraint,
            meaning: meaning,
            acceptsIntegralFloat: acceptsIntegralFloat
        )
    }

    /// A float keyword (any JSON number).
    public static func float(
        _ name: String,
        default value: Double? = nil,
        _ constraint: String,
        _ meaning: String
    ) -> Parameter {
        Parameter(
            name,
            type: "float",
            default: value.map(Default.float) ?? .required,
            constraint: constraint,
            meaning: meaning
        )
    }

    /// A float keyword that may also be a list with one value per parameter group.
    public static func perGroup(
        _ name: String,
        default value: Double? = nil,
        _ constraint: String = "a number",
        _ meaning: String
    ) -> Parameter {
        Parameter(
            name,
            type: "float | list[float]",
            default: value.map(Default.float) ?? .required,
            constraint: constraint,
            meaning: meaning
        )
    }

    /// An integer keyword whose constraint is just "an integer".
    public static func int(_ name: String, default value: Int? = nil, _ meaning: String) -> Parameter {
        int(name, default: value, "an integer", meaning)
    }

    /// A float keyword whose constraint is just "a number".
    public static func float(_ name: String, default value: Double? = nil, _ meaning: String) -> Parameter {
        float(name, default: value, "a number", meaning)
    }

    /// A boolean keyword.
    public static func bool(_ name: String, default value: Bool, _ meaning: String) -> Parameter {
        Parameter(name, type: "bool", default: .bool(value), constraint: "true or false", meaning: meaning)
    }

    /// A keyword naming one of `choices`.
    public static func choice(
        _ name: String,
        default value: String?,
        _ choices: [String],
        _ meaning: String
    ) -> Parameter {
        Parameter(
            name,
            type: "string",
            default: value.map(Default.string) ?? .required,
            constraint: "one of " + choices.map { "\"\($0)\"" }.joined(separator: ", "),
            meaning: meaning
        )
    }

    /// The default as JSON for the catalogue (`null` for required and `None` defaults).
    public var defaultJSON: JSONValue {
        switch defaultValue {
        case .required, .none: .null
        case .int(let i): .integer(i)
        case .float(let d): .double(d)
        case .bool(let b): .bool(b)
        case .string(let s): .string(s)
        case .described(let s): .string(s)
        }
    }

    /// Whether a request must give the parameter.
    public var isRequired: Bool { defaultValue == .required }
}
