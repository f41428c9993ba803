/// A parsed JSON value. Objects keep member order; integers and non-integers are distinct.
///
/// Equality is structural. Numbers compare by case: `.integer(1)` is not equal to
/// `.double(1.0)`. Objects compare as unordered maps (see ``JSONObject``).
public enum JSONValue: Sendable, Equatable {
    /// The literal `null`.
    case null
    /// The literals `true` and `false`.
    case bool(Bool)
    /// A number literal with no fraction and no exponent whose value fits in `Int`.
    case integer(Int)
    /// Any other number: one with a fraction or exponent, or an integer literal too big for `Int`.
    case double(Double)
    /// A string, with escapes decoded.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object with ordered, unique keys.
    case object(JSONObject)
}

extension JSONValue {
    /// `true` when the value is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The boolean, when the value is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// The integer, when the value is `.integer`.
    public var intValue: Int? {
        if case .integer(let i) = self { return i }
        return nil
    }

    /// The integer an `.integer`, or a `.double` with no fractional part within `Int`'s range
    /// (`5.0`), stands for: JSON Schema, and Python's `int`-accepting code, count both as integers.
    public var integralValue: Int? {
        switch self {
        case .integer(let i): return i
        case .double(let d):
            // 2^63 itself is out of range; every double below it in magnitude converts exactly.
            guard d.rounded(.towardZero) == d, abs(d) < 9_223_372_036_854_775_808.0 else { return nil }
            return Int(d)
        default: return nil
        }
    }

    /// The numeric value as a `Double`, when the value is `.integer` or `.double`.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The string, when the value is `.string`.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The elements, when the value is `.array`.
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The object, when the value is `.object`.
    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The member named `key`, when the value is an object that has it.
    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// The element at `index`, when the value is an array and `index` is in range.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return nil
    }

    /// The value that `pointer` refers to, or `nil` when a token does not resolve.
    ///
    /// Array tokens must be canonical decimal indices (`0`, `12`, not `012` or `-`).
    public subscript(pointer: JSONPointer) -> JSONValue? {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object(let o):
                guard let next = o[token] else { return nil }
                current = next
            case .array(let a):
                guard let index = JSONPointer.arrayIndex(token), index < a.count else { return nil }
                current = a[index]
            default:
                return nil
            }
        }
        return current
    }

    /// A short name for the kind of value: `"null"`, `"boolean"`, `"integer"`, `"number"`,
    /// `"string"`, `"array"` or `"object"`. Useful in error messages.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of the value, as ``JSONWriter`` writes it.
    public var description: String {
        var writer = JSONWriter()
        writer.write(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// Creates `.bool(value)`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// Creates `.integer(value)`.
    public init(integerLiteral value: Int) { self = .integer(value) }
}

extension JSONValue: ExpressibleByFloatLiteral {
    /// Creates `.double(value)`.
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension JSONValue: ExpressibleByStringLiteral {
    /// Creates `.string(value)`.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// Creates `.array(elements)`.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Creates an object with the members in literal order (a repeated key keeps its
    /// first position and its last value).
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
}

/// A JSON object: members in their original order, with unique keys.
///
/// Keys are matched by their exact UTF-8 bytes, as JSON (and Python) compare names: `"é"`
/// and `"e\u0301"` are different keys even though Swift's `==` finds the strings equal.
/// Lookup by key is a linear scan, which is the fastest choice for the small objects
/// typical of request bodies. Equality ignores member order: two objects are equal when
/// they have the same keys with equal values.
public struct JSONObject: Sendable, Equatable {
    /// The members in order. Keep keys unique when mutating this directly; lookups
    /// return the first member with a matching key.
    public var members: [(key: String, value: JSONValue)]

    /// Creates an object from ordered members. A repeated key keeps the position of its
    /// first occurrence and the value of its last.
    public init(_ members: [(key: String, value: JSONValue)]) {
        self.members = []
        self.members.reserveCapacity(members.count)
        for member in members {
            self[member.key] = member.value
        }
    }

    /// Creates an object from members already known to have unique keys.
    init(uniqueMembers members: [(key: String, value: JSONValue)]) {
        self.members = members
    }

    /// Creates an empty object.
    public init() {
        self.members = []
    }

    /// The value for `key`. Setting a value replaces an existing member in place or
    /// appends a new one; setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            for member in members where JSONObject.sameKey(member.key, key) {
                return member.value
            }
            return nil
        }
        set {
            if let index = members.firstIndex(where: { JSONObject.sameKey($0.key, key) }) {
                if let newValue {
                    members[index].value = newValue
                } else {
                    members.remove(at: index)
                }
            } else if let newValue {
                members.append((key: key, value: newValue))
            }
        }
    }

    /// `true` when two keys have the same UTF-8 bytes (no Unicode normalisation).
    @inline(__always)
    static func sameKey(_ a: String, _ b: String) -> Bool {
        let x = a.utf8
        let y = b.utf8
        guard x.count == y.count else { return false }
        // Both are contiguous for native strings: compare the buffers directly.
        let same = x.withContiguousStorageIfAvailable { p in
            y.withContiguousStorageIfAvailable { q in
                for i in 0..<p.count where p[i] != q[i] { return false }
                return true
            }
        }
        return (same ?? nil) ?? x.elementsEqual(y)
    }

    /// The keys in member order.
    public var keys: [String] {
        members.map(\.key)
    }

    /// The number of members.
    public var count: Int { members.count }

    /// `true` when the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// Order-insensitive equality: same number of members and every key of `lhs` maps to an
    /// equal value in `rhs`.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        // Fast path: identical order.
        var sameOrder = true
        for i in lhs.members.indices {
            let l = lhs.members[i]
            let r = rhs.members[i]
            if !sameKey(l.key, r.key) {
                sameOrder = false
                break
            }
            if l.value != r.value { return false }
        }
        if sameOrder { return true }
        for member in lhs.members {
            guard let other = rhs[member.key], other == member.value else { return false }
        }
        return true
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Creates an object with the members in literal order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }
}

extension JSONObject: CustomStringConvertible {
    /// The compact JSON text of the object.
    public var description: String {
        JSONValue.object(self).description
    }
}
