/// A strict RFC 8259 JSON parser working directly on UTF-8 bytes.
///
/// Rejected (each with a message and the position of the offending byte): trailing commas,
/// comments, single quotes, `NaN`/`Infinity`, leading zeros, `+1`, `.5`, `1.`, bad escapes,
/// unescaped control characters in strings, invalid UTF-8, lone surrogates in `\u` escapes,
/// anything but whitespace after the value, empty input, duplicate object keys (reported
/// at the second key), nesting deeper than `maxDepth`, and numbers that overflow to
/// infinity. A byte order mark is not accepted.
///
/// Numbers: an integer literal (no fraction, no exponent) that fits in `Int` becomes
/// `.integer` (`-0` becomes `.integer(0)`); every other number becomes a correctly rounded
/// `.double` (the same value as C `strtod` or Python `float()`), keeping the sign of `-0.0`.
///
/// The parser is iterative, so deep input cannot overflow the stack while parsing; `maxDepth`
/// bounds how many arrays and objects may be open at once (`[[1]]` has depth 2). Values are
/// compared, written and freed recursively, so `maxDepth` is capped at ``depthCap``.
public struct JSONParser: Sendable {
    /// The largest effective `maxDepth` (1,000); larger requests are lowered to it. At this depth
    /// freeing or writing a value needs roughly 150 KB of stack in an optimised build and stays
    /// within a 512 KB thread stack (Dispatch and task threads) in a debug build under
    /// AddressSanitizer too.
    public static let depthCap = 1_000

    /// Parses one JSON document from UTF-8 bytes. Contiguous collections (`[UInt8]`,
    /// `ArraySlice<UInt8>`, `UnsafeBufferPointer<UInt8>`, ...) are read in place; others are
    /// copied first. Error offsets are relative to the first byte of `bytes`.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        let direct = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) -> JSONValue in
                try parse(buffer: buffer, maxDepth: maxDepth)
            }
        }
        if let direct {
            return try direct.get()
        }
        return try parse(Array(bytes), maxDepth: maxDepth)
    }

    /// Parses one JSON document from a byte array: ``parse(_:maxDepth:)`` for the common case,
    /// without generic dispatch.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(JSONParseError) -> JSONValue in
                try parse(buffer: buffer, maxDepth: maxDepth)
            }
        }
        return try result.get()
    }

    /// Parses one JSON document from a string (its UTF-8 form).
    public static func parse(_ text: String, maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        try parse(text.utf8, maxDepth: maxDepth)
    }

    static func parse(buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) throws(JSONParseError) -> JSONValue {
        var core = ParserCore(buf: buffer, maxDepth: max(0, min(maxDepth, depthCap)))
        return try core.parseDocument()
    }
}

// MARK: - Byte constants

private enum ASCII {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let comma = UInt8(ascii: ",")
    static let colon = UInt8(ascii: ":")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let lowerE = UInt8(ascii: "e")
    static let upperE = UInt8(ascii: "E")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let singleQuote = UInt8(ascii: "'")
}

/// Exact powers of ten representable as `Double` (10^0 ... 10^22).
private let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// An object under construction: its members so far, the key awaiting its value, and
/// (for larger objects) a set of keys for duplicate detection.
private struct ObjectBuilder {
    var members: [(key: String, value: JSONValue)] = []
    var pendingKey: String
    var keySet: Set<ExactKey>? = nil

    /// Below this many members duplicate keys are found by a linear scan.
    static let linearScanLimit = 12

    init(firstKey: String) {
        pendingKey = firstKey
        // One allocation for the objects requests hold (a handful of members), not one per doubling.
        members.reserveCapacity(8)
    }

    mutating func containsKey(_ key: String) -> Bool {
        if members.count < ObjectBuilder.linearScanLimit {
            for member in members where JSONObject.sameKey(member.key, key) {
                return true
            }
            return false
        }
        if keySet == nil {
            keySet = Set(members.map { ExactKey($0.key) })
        }
        return keySet!.contains(ExactKey(key))
    }

    mutating func completeMember(_ value: JSONValue) {
        members.append((key: pendingKey, value: value))
        keySet?.insert(ExactKey(pendingKey))
    }
}

/// A string hashed and compared by its UTF-8 bytes, without Unicode normalisation.
private struct ExactKey: Hashable {
    let string: String

    init(_ string: String) {
        self.string = string
    }

    static func == (lhs: ExactKey, rhs: ExactKey) -> Bool {
        JSONObject.sameKey(lhs.string, rhs.string)
    }

    func hash(into hasher: inout Hasher) {
        var s = string
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// The parsing state over one contiguous buffer.
private struct ParserCore {
    let buf: UnsafeBufferPointer<UInt8>
    let count: Int
    let maxDepth: Int
    var pos = 0

    init(buf: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.buf = buf
        self.count = buf.count
        self.maxDepth = maxDepth
    }

    // MARK: Errors

    /// Builds an error at `offset`, computing its line and byte column.
    func error(_ message: String, at offset: Int) -> JSONParseError {
        var line = 1
        var lineStart = 0
        var j = 0
        let limit = min(offset, count)
        while j < limit {
            if buf[j] == ASCII.newline {
                line += 1
                lineStart = j + 1
            }
            j += 1
        }
        return JSONParseError(message: message, offset: offset, line: line, column: offset - lineStart + 1)
    }

    /// A short description of a byte for messages: `'x'` when printable ASCII, else `byte 0xXX`.
    static func describe(_ b: UInt8) -> String {
        if b >= 0x20 && b < 0x7F {
            return "'" + String(Character(Unicode.Scalar(b))) + "'"
        }
        return "byte 0x" + hex(b)
    }

    static func hex(_ b: UInt8) -> String {
        let digits = String(b, radix: 16, uppercase: true)
        return b < 0x10 ? "0" + digits : digits
    }

    func hasPrefix(_ literal: StaticString, at offset: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard offset + n <= count else { return false }
        let p = literal.utf8Start
        for k in 0..<n where buf[offset + k] != p[k] {
            return false
        }
        return true
    }

    /// The error for byte `b` at `offset` where `expected` was required, with specific
    /// messages for common non-JSON syntax.
    func unexpected(_ b: UInt8, at offset: Int, expected: String) -> JSONParseError {
        switch b {
        case ASCII.slash:
            return error("comments are not allowed", at: offset)
        case ASCII.singleQuote:
            return error("single-quoted strings are not allowed", at: offset)
        default:
            return error("unexpected \(Self.describe(b)), expected \(expected)", at: offset)
        }
    }

    /// The error for a byte that cannot start a value.
    func badValueStart(_ b: UInt8, at offset: Int) -> JSONParseError {
        switch b {
        case ASCII.plus:
            return error("'+' is not allowed before a number", at: offset)
        case ASCII.dot:
            return error("a number must start with a digit, not '.'", at: offset)
        case UInt8(ascii: "N") where hasPrefix("NaN", at: offset):
            return error("NaN is not allowed in JSON", at: offset)
        case UInt8(ascii: "I") where hasPrefix("Infinity", at: offset):
            return error("Infinity is not allowed in JSON", at: offset)
        default:
            return unexpected(b, at: offset, expected: "a JSON value")
        }
    }

    func endOfInput(expected: String) -> JSONParseError {
        error("unexpected end of input, expected \(expected)", at: count)
    }

    // MARK: Structure

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < count {
            let b = buf[pos]
            if b == ASCII.space || b == ASCII.newline || b == ASCII.carriageReturn || b == ASCII.tab {
                pos += 1
            } else {
                return
            }
        }
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if pos < count {
            let b = buf[pos]
            if b == ASCII.slash {
                throw error("comments are not allowed", at: pos)
            }
            throw error("unexpected \(Self.describe(b)) after the JSON value", at: pos)
        }
        return value
    }

    /// Parses an object key (a string) at `pos`, whitespace already skipped.
    mutating func parseKey() throws(JSONParseError) -> String {
        guard pos < count else { throw endOfInput(expected: "a string key") }
        let b = buf[pos]
        guard b == ASCII.quote else {
            throw unexpected(b, at: pos, expected: "a string key in double quotes")
        }
        return try parseString()
    }

    /// Consumes optional whitespace, a colon and more optional whitespace.
    mutating func expectColon() throws(JSONParseError) {
        skipWhitespace()
        guard pos < count else { throw endOfInput(expected: "':' after object key") }
        let b = buf[pos]
        guard b == ASCII.colon else {
            throw unexpected(b, at: pos, expected: "':' after object key")
        }
        pos += 1
        skipWhitespace()
    }

    /// Parses one value with an explicit stack of open containers.
    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        var containerIsObject: [Bool] = []
        var arrays: [[JSONValue]] = []
        var objects: [ObjectBuilder] = []
        // Requests nest a few levels: room for those up front.
        containerIsObject.reserveCapacity(8)
        objects.reserveCapacity(4)
        var value: JSONValue

        parseLoop: while true {
            // At the start of a value; whitespace already skipped.
            guard pos < count else { throw endOfInput(expected: "a JSON value") }
            let b = buf[pos]
            switch b {
            case ASCII.openBrace:
                if containerIsObject.count >= maxDepth {
                    throw error("nesting deeper than \(maxDepth) levels", at: pos)
                }
                pos += 1
                skipWhitespace()
                if pos < count && buf[pos] == ASCII.closeBrace {
                    pos += 1
                    value = .object(JSONObject())
                } else {
                    guard pos < count else { throw endOfInput(expected: "a string key or '}'") }
                    guard buf[pos] == ASCII.quote else {
                        throw unexpected(buf[pos], at: pos, expected: "a string key in double quotes or '}'")
                    }
                    let key = try parseString()
                    try expectColon()
                    containerIsObject.append(true)
                    objects.append(ObjectBuilder(firstKey: key))
                    continue parseLoop
                }
            case ASCII.openBracket:
                if containerIsObject.count >= maxDepth {
                    throw error("nesting deeper than \(maxDepth) levels", at: pos)
                }
                pos += 1
                skipWhitespace()
                if pos < count && buf[pos] == ASCII.closeBracket {
                    pos += 1
                    value = .array([])
                } else {
                    containerIsObject.append(false)
                    arrays.append([])
                    continue parseLoop
                }
            case ASCII.quote:
                value = .string(try parseString())
            case ASCII.minus, ASCII.zero...ASCII.nine:
                value = try parseNumber()
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            default:
                throw badValueStart(b, at: pos)
            }

            // A value is complete: hand it to the innermost open container.
            while let isObject = containerIsObject.last {
                skipWhitespace()
                if isObject {
                    let top = objects.count - 1
                    objects[top].completeMember(value)
                    guard pos < count else { throw endOfInput(expected: "',' or '}' after object member") }
                    let c = buf[pos]
                    if c == ASCII.comma {
                        let commaOffset = pos
                        pos += 1
                        skipWhitespace()
                        if pos < count && buf[pos] == ASCII.closeBrace {
                            throw error("trailing comma in object", at: commaOffset)
                        }
                        let keyOffset = pos
                        let key = try parseKey()
                        if objects[top].containsKey(key) {
                            throw error("duplicate key \(Self.quoted(key))", at: keyOffset)
                        }
                        objects[top].pendingKey = key
                        try expectColon()
                        continue parseLoop
                    } else if c == ASCII.closeBrace {
                        pos += 1
                        containerIsObject.removeLast()
                        value = .object(JSONObject(uniqueMembers: objects.removeLast().members))
                    } else {
                        throw unexpected(c, at: pos, expected: "',' or '}' after object member")
                    }
                } else {
                    let top = arrays.count - 1
                    arrays[top].append(value)
                    guard pos < count else { throw endOfInput(expected: "',' or ']' after array element") }
                    let c = buf[pos]
                    if c == ASCII.comma {
                        let commaOffset = pos
                        pos += 1
                        skipWhitespace()
                        if pos < count && buf[pos] == ASCII.closeBracket {
                            throw error("trailing comma in array", at: commaOffset)
                        }
                        continue parseLoop
                    } else if c == ASCII.closeBracket {
                        pos += 1
                        containerIsObject.removeLast()
                        value = .array(arrays.removeLast())
                    } else {
                        throw unexpected(c, at: pos, expected: "',' or ']' after array element")
                    }
                }
            }
            return value
        }
    }

    /// A key quoted for an error message, with `"` and `\` escaped and long keys shortened.
    static func quoted(_ key: String) -> String {
        var out = "\""
        var n = 0
        for ch in key.unicodeScalars {
            if n == 64 {
                out += "..."
                break
            }
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where ch.value < 0x20: out += "\\u00" + hex(UInt8(ch.value))
            default: out.unicodeScalars.append(ch)
            }
            n += 1
        }
        return out + "\""
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        if hasPrefix(literal, at: pos) {
            pos += literal.utf8CodeUnitCount
            return
        }
        throw error("invalid literal, expected '\(literal)'", at: pos)
    }

    // MARK: Strings

    /// Parses a string starting at the opening quote at `pos`.
    mutating func parseString() throws(JSONParseError) -> String {
        let open = pos
        let start = pos + 1
        var i = start
        while i < count {
            let b = buf[i]
            if b == ASCII.quote {
                pos = i + 1
                return String(decoding: UnsafeBufferPointer(rebasing: buf[start..<i]), as: UTF8.self)
            }
            if b == ASCII.backslash {
                return try parseEscapedString(open: open, start: start, firstEscape: i)
            }
            if b < 0x20 {
                throw controlCharacter(b, at: i)
            }
            if b < 0x80 {
                i += 1
            } else {
                i = try validateUTF8(at: i)
            }
        }
        throw error("unterminated string", at: open)
    }

    func controlCharacter(_ b: UInt8, at offset: Int) -> JSONParseError {
        error("unescaped control character U+00\(Self.hex(b)) in string", at: offset)
    }

    /// Checks the multi-byte UTF-8 sequence starting at `i` and returns the index after it.
    func validateUTF8(at i: Int) throws(JSONParseError) -> Int {
        let lead = buf[i]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default:
            throw error("invalid UTF-8 byte 0x\(Self.hex(lead)) in string", at: i)
        }
        for k in 1..<length {
            let j = i + k
            guard j < count else {
                throw error("unexpected end of input in UTF-8 sequence", at: j)
            }
            let c = buf[j]
            let lo: UInt8 = k == 1 ? low : 0x80
            let hi: UInt8 = k == 1 ? high : 0xBF
            guard c >= lo && c <= hi else {
                throw error("invalid UTF-8 byte 0x\(Self.hex(c)) in string", at: j)
            }
        }
        return i + length
    }

    /// The slow path for strings containing escapes: decodes into a byte buffer.
    mutating func parseEscapedString(open: Int, start: Int, firstEscape: Int) throws(JSONParseError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(firstEscape - start + 16)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<firstEscape]))
        var i = firstEscape
        while i < count {
            let b = buf[i]
            if b == ASCII.quote {
                pos = i + 1
                return String(decoding: out, as: UTF8.self)
            }
            if b == ASCII.backslash {
                i = try decodeEscape(at: i, into: &out)
            } else if b < 0x20 {
                throw controlCharacter(b, at: i)
            } else if b < 0x80 {
                out.append(b)
                i += 1
            } else {
                let next = try validateUTF8(at: i)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<next]))
                i = next
            }
        }
        throw error("unterminated string", at: open)
    }

    /// Decodes the escape whose backslash is at `i`, appending UTF-8; returns the index after it.
    func decodeEscape(at i: Int, into out: inout [UInt8]) throws(JSONParseError) -> Int {
        guard i + 1 < count else { throw endOfInput(expected: "an escape character after '\\'") }
        let e = buf[i + 1]
        switch e {
        case ASCII.quote: out.append(ASCII.quote)
        case ASCII.backslash: out.append(ASCII.backslash)
        case ASCII.slash: out.append(ASCII.slash)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hex4(at: i)
            if unit >= 0xD800 && unit <= 0xDBFF {
                // A high surrogate must be followed by an escaped low surrogate.
                let j = i + 6
                if j + 1 < count && buf[j] == ASCII.backslash && buf[j + 1] == UInt8(ascii: "u") {
                    let low = try hex4(at: j)
                    if low >= 0xDC00 && low <= 0xDFFF {
                        let scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                        appendUTF8(scalar, to: &out)
                        return i + 12
                    }
                }
                throw error(
                    "lone surrogate \\u\(Self.hex16(unit)) (high surrogate not followed by a low surrogate escape)",
                    at: i
                )
            }
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw error(
                    "lone surrogate \\u\(Self.hex16(unit)) (low surrogate without a preceding high surrogate)",
                    at: i
                )
            }
            appendUTF8(UInt32(unit), to: &out)
            return i + 6
        default:
            if e < 0x20 || e >= 0x7F {
                throw error("invalid escape: '\\' followed by \(Self.describe(e))", at: i)
            }
            throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: i)
        }
        return i + 2
    }

    static func hex16(_ v: UInt16) -> String {
        hex(UInt8(v >> 8)) + hex(UInt8(v & 0xFF))
    }

    /// Reads the four hex digits of the `\u` escape whose backslash is at `i`.
    func hex4(at i: Int) throws(JSONParseError) -> UInt16 {
        var v: UInt16 = 0
        for k in 2..<6 {
            let j = i + k
            guard j < count else {
                throw error("invalid \\u escape: expected 4 hex digits", at: i)
            }
            let c = buf[j]
            let d: UInt8
            switch c {
            case ASCII.zero...ASCII.nine: d = c - ASCII.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default:
                throw error("invalid \\u escape: expected 4 hex digits", at: i)
            }
            v = v << 4 | UInt16(d)
        }
        return v
    }

    func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (scalar >> 6)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (scalar >> 12)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    // MARK: Numbers

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool {
        b &- ASCII.zero < 10
    }

    /// Parses a number starting at `pos` (a '-' or a digit).
    mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = pos
        var i = pos
        var negative = false
        if buf[i] == ASCII.minus {
            negative = true
            i += 1
            guard i < count else { throw endOfInput(expected: "a digit after '-'") }
        }

        // Up to 19 significant digits accumulate exactly; more set `truncated`.
        var mantissa: UInt64 = 0
        var significant = 0
        var truncated = false

        let intStart = i
        let first = buf[i]
        if first == ASCII.zero {
            i += 1
            if i < count && Self.isDigit(buf[i]) {
                throw error("leading zeros are not allowed", at: intStart)
            }
        } else if Self.isDigit(first) {
            while i < count {
                let d = buf[i] &- ASCII.zero
                if d >= 10 { break }
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    significant += 1
                } else {
                    truncated = true
                }
                i += 1
            }
        } else if first == UInt8(ascii: "I") && hasPrefix("Infinity", at: i) {
            throw error("-Infinity is not allowed in JSON", at: start)
        } else {
            if i < count {
                throw error("expected a digit after '-', found \(Self.describe(first))", at: i)
            }
            throw endOfInput(expected: "a digit after '-'")
        }
        let integerDigits = i - intStart

        var isInteger = true
        var fractionDigits = 0
        if i < count && buf[i] == ASCII.dot {
            isInteger = false
            i += 1
            let fracStart = i
            while i < count {
                let d = buf[i] &- ASCII.zero
                if d >= 10 { break }
                if significant == 0 && d == 0 {
                    // Leading zeros of the fraction only shift the exponent.
                } else if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    significant += 1
                } else {
                    truncated = true
                }
                i += 1
            }
            if i == fracStart {
                if i < count {
                    throw error("expected a digit after the decimal point, found \(Self.describe(buf[i]))", at: i)
                }
                throw endOfInput(expected: "a digit after the decimal point")
            }
            fractionDigits = i - fracStart
        }

        var exponent = 0
        if i < count && (buf[i] == ASCII.lowerE || buf[i] == ASCII.upperE) {
            isInteger = false
            i += 1
            var exponentNegative = false
            if i < count && (buf[i] == ASCII.plus || buf[i] == ASCII.minus) {
                exponentNegative = buf[i] == ASCII.minus
                i += 1
            }
            let expStart = i
            while i < count {
                let d = buf[i] &- ASCII.zero
                if d >= 10 { break }
                if exponent < 1_000_000 {
                    exponent = exponent * 10 + Int(d)
                }
                i += 1
            }
            if i == expStart {
                if i < count {
                    throw error("expected a digit in the exponent, found \(Self.describe(buf[i]))", at: i)
                }
                throw endOfInput(expected: "a digit in the exponent")
            }
            if exponentNegative { exponent = -exponent }
        }
        pos = i

        if isInteger && !truncated && integerDigits <= 19 {
            if negative {
                if mantissa <= UInt64(Int.max) + 1 {
                    return .integer(Int(truncatingIfNeeded: 0 &- mantissa))
                }
            } else if mantissa <= UInt64(Int.max) {
                return .integer(Int(mantissa))
            }
        }

        if !truncated {
            // The leading zeros of a fraction were not accumulated but still count in
            // `fractionDigits`, which is what places the decimal point.
            let power = exponent - fractionDigits
            if mantissa == 0 {
                return .double(negative ? -0.0 : 0.0)
            }
            if mantissa <= 1 << 53 && power >= -22 && power <= 22 {
                // Both operands are exact, so one IEEE operation rounds correctly.
                var d = Double(mantissa)
                if power < 0 {
                    d /= exactPowersOfTen[-power]
                } else {
                    d *= exactPowersOfTen[power]
                }
                return .double(negative ? -d : d)
            }
        }

        let text = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<i]), as: UTF8.self)
        guard let d = Double(text), d.isFinite else {
            throw error("number out of range", at: start)
        }
        return .double(d)
    }
}
