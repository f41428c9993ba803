/// RFC 6901 JSON Pointer, built by appending tokens; description escapes ~ and / as ~0 and ~1.
///
/// ```swift
/// JSONPointer.root.appending("params").appending("schedulers").appending(1).description
/// // "/params/schedulers/1"
/// ```
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// Every token but the last, outermost first.
    private var outer: [String]
    /// The last token; nil only for the root. Kept apart so that a pointer one level below the
    /// root (most of the ones a request's decoding makes) needs no array.
    private var last: String?

    /// The unescaped reference tokens, outermost first. Array indices are decimal strings.
    public var tokens: [String] {
        guard let last else { return outer }
        return outer + [last]
    }

    /// The pointer to the whole document (`""`).
    public static let root = JSONPointer(tokens: [])

    /// Creates a pointer from unescaped reference tokens.
    public init(tokens: [String]) {
        self.outer = Array(tokens.dropLast())
        self.last = tokens.last
    }

    /// Parses the string form of a pointer (`""` or `/a/b~1c`). Returns `nil` when the text
    /// does not start with `/` (and is not empty) or contains `~` not followed by `0` or `1`.
    public init?(_ text: String) {
        if text.isEmpty {
            self.init(tokens: [])
            return
        }
        guard text.utf8.first == UInt8(ascii: "/") else { return nil }
        var tokens: [String] = []
        for part in text.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(part.count)
            var i = part.startIndex
            while i < part.endIndex {
                let b = part[i]
                if b == UInt8(ascii: "~") {
                    let next = part.index(after: i)
                    guard next < part.endIndex else { return nil }
                    switch part[next] {
                    case UInt8(ascii: "0"): bytes.append(UInt8(ascii: "~"))
                    case UInt8(ascii: "1"): bytes.append(UInt8(ascii: "/"))
                    default: return nil
                    }
                    i = part.index(after: next)
                } else {
                    bytes.append(b)
                    i = part.index(after: i)
                }
            }
            tokens.append(String(decoding: bytes, as: UTF8.self))
        }
        self.init(tokens: tokens)
    }

    /// `true` for the root pointer.
    public var isRoot: Bool { last == nil }

    /// A pointer one level deeper, into the object member `key`.
    public func appending(_ key: String) -> JSONPointer {
        var copy = self
        if let last { copy.outer.append(last) }
        copy.last = key
        return copy
    }

    /// A pointer one level deeper, into the array element at `index`.
    public func appending(_ index: Int) -> JSONPointer {
        appending(String(index))
    }

    /// The string form: `""` for root, otherwise `/`-prefixed tokens with `~` written as
    /// `~0` and `/` as `~1`, e.g. `"/params/schedulers/1/params/gamma"`.
    public var description: String {
        var out: [UInt8] = []
        for token in tokens {
            out.append(UInt8(ascii: "/"))
            for b in token.utf8 {
                switch b {
                case UInt8(ascii: "~"):
                    out.append(UInt8(ascii: "~"))
                    out.append(UInt8(ascii: "0"))
                case UInt8(ascii: "/"):
                    out.append(UInt8(ascii: "~"))
                    out.append(UInt8(ascii: "1"))
                default:
                    out.append(b)
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The array index a token denotes: canonical non-negative decimal, no leading zeros.
    static func arrayIndex(_ token: String) -> Int? {
        let utf8 = token.utf8
        guard let first = utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return nil }
        if first == UInt8(ascii: "0") { return utf8.count == 1 ? 0 : nil }
        var value = 0
        for b in utf8 {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(b - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            value = s
        }
        return value
    }
}
