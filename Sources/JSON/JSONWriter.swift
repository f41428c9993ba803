/// Appends compact JSON text (no insignificant whitespace) to a byte buffer.
///
/// Doubles are written as Python's `repr(float)` writes them (`0.1`, `1e-05`, `1e+16`,
/// `100.0`). Non-finite doubles cannot be represented in JSON and are written as `null`;
/// callers that must not silently lose them have to reject non-finite values before writing.
///
/// Two ways to use it:
/// - ``write(_:)`` serialises a whole ``JSONValue``.
/// - The low-level API builds a document by hand without intermediate values:
///   ```swift
///   var w = JSONWriter()
///   w.beginObject()
///   w.key("lr"); w.doubles([0.1, 0.05])
///   w.key("steps"); w.int(2)
///   w.endObject()
///   // w.bytes == Array(#"{"lr":[0.1,0.05],"steps":2}"#.utf8)
///   ```
///   Commas are inserted automatically: every value (scalar or container) written after
///   another value in the same container is preceded by `,`; ``key(_:)`` writes the key and
///   colon, and the next value call writes that member's value. Nesting is not validated:
///   write a key before each value inside an object, none inside an array, and exactly one
///   top-level value per document.
public struct JSONWriter: Sendable {
    /// The UTF-8 JSON text written so far.
    public var bytes: [UInt8]

    /// Whether the next value or key must be preceded by a comma.
    var needsComma = false

    /// The spare capacity ``doubles(_:)`` wants for `count` values: with it, the array is
    /// written without growing the buffer.
    public static func capacity(forDoubles count: Int) -> Int {
        count * 25 + PythonRepr.maxLength
    }

    /// Creates a writer with an empty buffer of at least `reservingCapacity` bytes.
    public init(reservingCapacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(reservingCapacity)
    }

    /// The text written so far as a `String`.
    public var text: String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Empties the buffer (keeping its capacity) to start a new document.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    // MARK: Whole values

    /// Writes `value` as one value (preceded by a comma when needed).
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .integer(let i): int(i)
        case .double(let d): double(d)
        case .string(let s): string(s)
        case .array(let elements):
            beginArray()
            for element in elements {
                write(element)
            }
            endArray()
        case .object(let object):
            beginObject()
            for member in object.members {
                key(member.key)
                write(member.value)
            }
            endObject()
        }
    }

    // MARK: Structure

    @inline(__always)
    mutating func separator() {
        if needsComma {
            bytes.append(UInt8(ascii: ","))
        }
        needsComma = true
    }

    /// Writes `{` (preceded by a comma when needed).
    public mutating func beginObject() {
        separator()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Writes `}`.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes `[` (preceded by a comma when needed).
    public mutating func beginArray() {
        separator()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Writes `]`.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes an object key and `:` (preceded by a comma when needed); write its value next.
    public mutating func key(_ k: String) {
        if needsComma {
            bytes.append(UInt8(ascii: ","))
        }
        appendQuoted(k)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: Scalars

    /// Writes a string value with `"`, `\` and control characters escaped.
    public mutating func string(_ s: String) {
        separator()
        appendQuoted(s)
    }

    /// Writes an integer value.
    public mutating func int(_ i: Int) {
        separator()
        appendInt(i)
    }

    /// Writes a double as Python's `repr` does, or `null` when it is not finite.
    public mutating func double(_ d: Double) {
        separator()
        appendDouble(d)
    }

    /// Appends a double as Python's `repr` does (`null` when not finite) with no separator and
    /// no effect on the JSON state: for other text formats (CSV) that share the number form.
    public mutating func appendBareDouble(_ d: Double) {
        appendDouble(d)
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ b: Bool) {
        separator()
        if b {
            appendLiteral("true")
        } else {
            appendLiteral("false")
        }
    }

    /// Writes `null`.
    public mutating func null() {
        separator()
        appendLiteral("null")
    }

    /// Writes a whole array of doubles (each as ``double(_:)`` writes it). Contiguous
    /// collections (`[Double]`, `ArraySlice<Double>`, buffers) take a fast path.
    public mutating func doubles(_ values: some Sequence<Double>) {
        beginArray()
        let done: Void? = values.withContiguousStorageIfAvailable { buffer in
            appendDoubleElements(buffer)
        }
        if done == nil {
            var first = true
            for d in values {
                if first {
                    first = false
                } else {
                    bytes.append(UInt8(ascii: ","))
                }
                appendDouble(d)
            }
        }
        endArray()
    }

    /// Writes a whole array of doubles: ``doubles(_:)`` for the common case, without generic
    /// dispatch.
    public mutating func doubles(_ values: [Double]) {
        beginArray()
        values.withUnsafeBufferPointer { appendDoubleElements($0) }
        endArray()
    }

    /// Appends comma-separated doubles with capacity reserved up front.
    mutating func appendDoubleElements(_ buffer: UnsafeBufferPointer<Double>) {
        guard !buffer.isEmpty else { return }
        #if compiler(>=6.2) && os(Linux)
        // Everything through one pointer into the spare capacity: a value takes at most 24 bytes
        // (`-1.2345678901234567e-308`) and a comma, and `format` wants `maxLength` bytes of room.
        // A value equal to the one before it (a schedule's constant stretch) copies that one's text.
        bytes.append(addingCapacity: buffer.count * 25 + PythonRepr.maxLength) { span in
            span.withUnsafeMutableBufferPointer { out, initialized in
                let start = out.baseAddress! + initialized
                var p = start
                // previousCount stays 0 until a finite value has been written.
                var previousBits: UInt64 = 0
                var previous = p
                var previousCount = 0
                for i in 0..<buffer.count {
                    if i > 0 {
                        p[0] = UInt8(ascii: ",")
                        p += 1
                    }
                    let d = buffer[i]
                    if previousCount != 0 && d.bitPattern == previousBits {
                        // A text is at most 24 bytes: copied as three words, all read before
                        // any is written (after a short text the target overlaps the source).
                        // They land within the room made above, and the bytes past the text
                        // are overwritten next or lie past the end.
                        let source = UnsafeRawPointer(previous)
                        let a = source.loadUnaligned(as: UInt64.self)
                        let b = source.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                        let c = source.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
                        let target = UnsafeMutableRawPointer(p)
                        target.storeBytes(of: a, as: UInt64.self)
                        target.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
                        target.storeBytes(of: c, toByteOffset: 16, as: UInt64.self)
                        p += previousCount
                    } else if d.isFinite {
                        previousCount = PythonRepr.format(d, into: p)
                        previousBits = d.bitPattern
                        previous = p
                        p += previousCount
                    } else {
                        for byte in "null".utf8 {
                            p[0] = byte
                            p += 1
                        }
                    }
                }
                initialized += p - start
            }
        }
        #else
        // Most values need at most 24 bytes plus a comma.
        bytes.reserveCapacity(bytes.count + buffer.count * 25)
        appendDouble(buffer[0])
        for i in 1..<buffer.count {
            bytes.append(UInt8(ascii: ","))
            appendDouble(buffer[i])
        }
        #endif
    }

    /// Writes a whole array of integers.
    public mutating func ints(_ values: some Sequence<Int>) {
        beginArray()
        var first = true
        for i in values {
            if first {
                first = false
            } else {
                bytes.append(UInt8(ascii: ","))
            }
            appendInt(i)
        }
        endArray()
    }

    /// Appends pre-serialised JSON text as one value (preceded by a comma when needed).
    /// The text is not checked.
    public mutating func rawValue(_ json: some Sequence<UInt8>) {
        separator()
        bytes.append(contentsOf: json)
    }

    // MARK: Encoding helpers

    @inline(__always)
    mutating func appendLiteral(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func appendInt(_ value: Int) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(truncatingIfNeeded: value) &+ UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
        }
        // 20 digits suffice for UInt64.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var n = 20
            repeat {
                n -= 1
                let (q, r) = magnitude.quotientAndRemainder(dividingBy: 10)
                digits[n] = UInt8(truncatingIfNeeded: r) &+ UInt8(ascii: "0")
                magnitude = q
            } while magnitude != 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[n..<20]))
        }
    }

    mutating func appendDouble(_ d: Double) {
        guard d.isFinite else {
            appendLiteral("null")
            return
        }
        PythonRepr.append(d, to: &bytes)
    }

    /// Appends `s` in double quotes, escaping as needed.
    mutating func appendQuoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            var i = 0
            let n = utf8.count
            while i < n {
                let b = utf8[i]
                if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                    i += 1
                    continue
                }
                if runStart < i {
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                }
                appendEscape(b)
                i += 1
                runStart = i
            }
            if runStart < n {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<n]))
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func appendEscape(_ b: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch b {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
            let hexDigits: StaticString = "0123456789abcdef"
            bytes.append(UInt8(ascii: "u"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(hexDigits.utf8Start[Int(b >> 4)])
            bytes.append(hexDigits.utf8Start[Int(b & 0xF)])
        }
    }
}

extension JSONWriter {
    /// Python's `repr(d)`: the text ``double(_:)`` writes for finite values, and `nan`,
    /// `inf` or `-inf` otherwise. Handy for messages that quote a number as Python would.
    public static func pythonRepr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        var out: [UInt8] = []
        PythonRepr.append(d, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The compact JSON bytes of `value`.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value)
        return writer.bytes
    }
}
