import JSON
import Testing

/// One input the parser must reject, with the expected message fragment and position.
struct Rejection: CustomTestStringConvertible, Sendable {
    let name: String
    let input: [UInt8]
    let message: String
    let line: Int
    let column: Int
    let offset: Int
    let maxDepth: Int

    init(
        _ name: String,
        _ input: String,
        _ message: String,
        line: Int = 1,
        column: Int,
        offset: Int? = nil,
        maxDepth: Int = 64
    ) {
        self.init(
            name,
            bytes: Array(input.utf8),
            message,
            line: line,
            column: column,
            offset: offset,
            maxDepth: maxDepth
        )
    }

    init(
        _ name: String,
        bytes: [UInt8],
        _ message: String,
        line: Int = 1,
        column: Int,
        offset: Int? = nil,
        maxDepth: Int = 64
    ) {
        self.name = name
        self.input = bytes
        self.message = message
        self.line = line
        self.column = column
        // On line 1 the offset is column - 1.
        self.offset = offset ?? (column - 1)
        self.maxDepth = maxDepth
    }

    var testDescription: String { name }

    /// The input for messages: text when valid UTF-8, else its bytes.
    var shown: String {
        if let s = String(validating: input, as: UTF8.self) {
            return s.debugDescription
        }
        return "bytes " + input.map { String($0, radix: 16) }.joined(separator: " ")
    }
}

let rejections: [Rejection] = [
    // Trailing commas.
    Rejection("trailing comma in array", "[1,2,]", "trailing comma in array", column: 5),
    Rejection("trailing comma in object", #"{"a":1,}"#, "trailing comma in object", column: 7),
    Rejection(
        "trailing comma, multi-line",
        "{\n  \"a\": [1,\n    2,\n  ]\n}",
        "trailing comma in array",
        line: 3,
        column: 6,
        offset: 18
    ),
    Rejection("empty element", "[1,,2]", "unexpected ','", column: 4),
    Rejection("leading comma", "[,1]", "unexpected ','", column: 2),

    // Comments.
    Rejection("line comment inside array", "[1, // c\n2]", "comments are not allowed", column: 5),
    Rejection("block comment before value", "/* c */ 1", "comments are not allowed", column: 1),
    Rejection("comment after value", "1 // c", "comments are not allowed", column: 3),
    Rejection("comment after element", "[1 /* c */]", "comments are not allowed", column: 4),

    // Single quotes.
    Rejection("single-quoted key", "{'a': 1}", "single-quoted strings are not allowed", column: 2),
    Rejection("single-quoted value", "['a']", "single-quoted strings are not allowed", column: 2),

    // Non-finite literals.
    Rejection("NaN", "NaN", "NaN is not allowed", column: 1),
    Rejection("Infinity in array", "[Infinity]", "Infinity is not allowed", column: 2),
    Rejection("-Infinity", "-Infinity", "-Infinity is not allowed", column: 1),
    Rejection("nan lowercase", "nan", "invalid literal, expected 'null'", column: 1),

    // Number grammar.
    Rejection("leading zero", "01", "leading zeros are not allowed", column: 1),
    Rejection("negative leading zero", "[-012]", "leading zeros are not allowed", column: 3),
    Rejection("leading zero with fraction", "00.5", "leading zeros are not allowed", column: 1),
    Rejection("plus sign", "+1", "'+' is not allowed before a number", column: 1),
    Rejection("plus sign in array", "[1, +2]", "'+' is not allowed before a number", column: 5),
    Rejection("leading dot", ".5", "must start with a digit", column: 1),
    Rejection("minus dot", "-.5", "expected a digit after '-', found '.'", column: 2),
    Rejection("trailing dot at end", "1.", "digit after the decimal point", column: 3),
    Rejection("trailing dot in array", "[1.]", "expected a digit after the decimal point, found ']'", column: 4),
    Rejection("dot exponent", "1.e5", "expected a digit after the decimal point, found 'e'", column: 3),
    Rejection("empty exponent", "1e", "digit in the exponent", column: 3),
    Rejection("signed empty exponent", "[1e+]", "expected a digit in the exponent, found ']'", column: 5),
    Rejection("lone minus", "-", "unexpected end of input, expected a digit after '-'", column: 2),
    Rejection("hex number", "0x10", "unexpected 'x' after the JSON value", column: 2),
    Rejection("overflow", "1e400", "number out of range", column: 1),
    Rejection("negative overflow in array", "[0, -1e400]", "number out of range", column: 5),
    Rejection("long overflow", "1" + String(repeating: "0", count: 400) + ".0", "number out of range", column: 1),

    // Escapes.
    Rejection("bad escape", #""\x""#, #"invalid escape '\x'"#, column: 2),
    Rejection("bad escape after text", #""abc\'""#, #"invalid escape '\'"#, column: 5),
    Rejection("short unicode escape", #""\u12""#, "expected 4 hex digits", column: 2),
    Rejection("non-hex unicode escape", #""\u12G4""#, "expected 4 hex digits", column: 2),
    Rejection("uppercase U escape", #""\U0041""#, #"invalid escape '\U'"#, column: 2),

    // Control characters.
    Rejection("raw newline in string", "\"a\nb\"", "unescaped control character U+000A", column: 3),
    Rejection("raw tab in string", "\"\t\"", "unescaped control character U+0009", column: 2),
    Rejection("raw NUL after escape", "\"\\n\u{0}\"", "unescaped control character U+0000", column: 4),
    Rejection("control char outside string", "[1,\u{0C}2]", "unexpected byte 0x0C", column: 4),

    // Invalid UTF-8.
    Rejection("invalid byte 0xFF", bytes: [0x22, 0xFF, 0x22], "invalid UTF-8 byte 0xFF", column: 2),
    Rejection("bad continuation", bytes: [0x22, 0xC3, 0x28, 0x22], "invalid UTF-8 byte 0x28", column: 3),
    Rejection("overlong encoding", bytes: [0x22, 0xC0, 0xAF, 0x22], "invalid UTF-8 byte 0xC0", column: 2),
    Rejection("encoded surrogate", bytes: [0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8 byte 0xA0", column: 3),
    Rejection("above U+10FFFF", bytes: [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid UTF-8 byte 0x90", column: 3),
    Rejection("lone continuation", bytes: [0x22, 0x61, 0x80, 0x22], "invalid UTF-8 byte 0x80", column: 3),
    Rejection("truncated sequence", bytes: [0x22, 0xE2, 0x82], "unexpected end of input in UTF-8 sequence", column: 4),
    Rejection(
        "invalid UTF-8 after escape",
        bytes: [0x22, 0x5C, 0x6E, 0xFE, 0x22],
        "invalid UTF-8 byte 0xFE",
        column: 4
    ),
    Rejection("byte order mark", bytes: [0xEF, 0xBB, 0xBF, 0x31], "unexpected byte 0xEF", column: 1),
    Rejection("non-ASCII outside string", "[é]", "unexpected byte 0xC3", column: 2),

    // Surrogates in escapes.
    Rejection("lone high surrogate", #""\uD800""#, #"lone surrogate \uD800"#, column: 2),
    Rejection("high surrogate then text", #""ab\uDBFFx""#, #"lone surrogate \uDBFF"#, column: 4),
    Rejection("high surrogate then non-surrogate escape", #""\uD800\u0041""#, #"lone surrogate \uD800"#, column: 2),
    Rejection("two high surrogates", #""\uD800\uD800""#, #"lone surrogate \uD800"#, column: 2),
    Rejection("lone low surrogate", #""\uDC00""#, #"lone surrogate \uDC00"#, column: 2),
    Rejection("reversed pair", #""\uDE00\uD83D""#, #"lone surrogate \uDE00"#, column: 2),

    // Trailing content.
    Rejection("two values", "1 2", "unexpected '2' after the JSON value", column: 3),
    Rejection("extra bracket", "[1]]", "unexpected ']' after the JSON value", column: 4),
    Rejection("text after object", "{} x", "unexpected 'x' after the JSON value", column: 4),
    Rejection("trailing on later line", "[1]\n\n  x", "after the JSON value", line: 3, column: 3, offset: 7),

    // Empty input.
    Rejection("empty", "", "unexpected end of input, expected a JSON value", column: 1),
    Rejection("only spaces", "   ", "unexpected end of input", column: 4),
    Rejection("only newlines", "\n\n", "unexpected end of input", line: 3, column: 1, offset: 2),

    // Duplicate keys: reported at the second key.
    Rejection("duplicate key", #"{"lr": 1, "lr": 2}"#, #"duplicate key "lr""#, column: 11),
    Rejection(
        "duplicate key, multi-line",
        "{\n  \"a\": 1,\n  \"a\": 2\n}",
        #"duplicate key "a""#,
        line: 3,
        column: 3,
        offset: 14
    ),
    Rejection("duplicate key, nested", #"{"a": {"b": 1, "c": 2, "b": 3}}"#, #"duplicate key "b""#, column: 24),
    Rejection(
        "duplicate key in a large object",
        "{" + (0..<30).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + ", \"k17\": 0}",
        #"duplicate key "k17""#,
        column: 1 + (0..<30).map { "\"k\($0)\": \($0)" }.joined(separator: ", ").utf8.count + 3
    ),
    Rejection("duplicate escaped key", #"{"a/b": 1, "a\/b": 2}"#, #"duplicate key "a/b""#, column: 12),

    // Depth.
    Rejection(
        "65 nested arrays",
        String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
        "nesting deeper than 64 levels",
        column: 65
    ),
    Rejection(
        "100k nested arrays",
        String(repeating: "[", count: 100_000),
        "nesting deeper than 64 levels",
        column: 65
    ),
    Rejection(
        "100k nested objects",
        String(repeating: #"{"a":"#, count: 100_000),
        "nesting deeper than 64 levels",
        column: 64 * 5 + 1
    ),
    Rejection("custom depth, arrays", "[[[[1]]]]", "nesting deeper than 3 levels", column: 4, maxDepth: 3),
    Rejection(
        "custom depth, objects",
        #"{"a":{"a":{"a":{}}}}"#,
        "nesting deeper than 3 levels",
        column: 16,
        maxDepth: 3
    ),
    Rejection("depth zero", "[]", "nesting deeper than 0 levels", column: 1, maxDepth: 0),
    Rejection("negative depth acts as zero", "{}", "nesting deeper than 0 levels", column: 1, maxDepth: -5),

    // Other structural errors.
    Rejection("missing colon", #"{"a" 1}"#, "expected ':' after object key", column: 6),
    Rejection("missing comma in array", "[1 2]", "expected ',' or ']' after array element", column: 4),
    Rejection("missing comma in object", #"{"a":1 "b":2}"#, "expected ',' or '}' after object member", column: 8),
    Rejection("unquoted key", "{a:1}", "expected a string key in double quotes", column: 2),
    Rejection("numeric key", #"{"a":1, 2:3}"#, "expected a string key in double quotes", column: 9),
    Rejection("unterminated string", #""abc"#, "unterminated string", column: 1),
    Rejection("unterminated key", #"{"abc"#, "unterminated string", column: 2),
    Rejection("unterminated array", "[1,2", "unexpected end of input, expected ',' or ']'", column: 5),
    Rejection("unterminated object", #"{"a":1"#, "unexpected end of input, expected ',' or '}'", column: 7),
    Rejection("missing value", #"{"a":}"#, "unexpected '}', expected a JSON value", column: 6),
    Rejection("mismatched bracket", "[1}", "expected ',' or ']' after array element", column: 3),
    Rejection("truncated literal", "tru", "invalid literal, expected 'true'", column: 1),
    Rejection("misspelt literal", "[nul]", "invalid literal, expected 'null'", column: 2),
    Rejection("capitalised literal", "True", "unexpected 'T', expected a JSON value", column: 1),
    Rejection("column counts bytes", "[\"é\" x]", "expected ',' or ']' after array element", column: 7),
]

@Suite("Parser rejections")
struct ParserRejectionTests {
    @Test("rejects with message and position", arguments: rejections)
    func rejects(_ case_: Rejection) {
        do {
            let value = try JSONParser.parse(case_.input, maxDepth: case_.maxDepth)
            Issue.record("parse(\(case_.shown)) succeeded with \(value), expected error \"\(case_.message)\"")
        } catch {
            #expect(
                error.message.contains(case_.message),
                "parse(\(case_.shown)): message \"\(error.message)\", expected it to contain \"\(case_.message)\""
            )
            #expect(
                error.line == case_.line && error.column == case_.column && error.offset == case_.offset,
                "parse(\(case_.shown)): got line \(error.line) column \(error.column) offset \(error.offset), expected line \(case_.line) column \(case_.column) offset \(case_.offset)"
            )
        }
    }

    @Test("the same errors come from String, [UInt8], ArraySlice and non-contiguous input")
    func sameErrorForEveryInputType() throws {
        let text = "{\n  \"lr\": 0.1,\n  \"lr\": 0.2\n}"
        let expected = JSONParseError(message: #"duplicate key "lr""#, offset: 17, line: 3, column: 3)
        #expect(throws: expected) { try JSONParser.parse(text) }
        #expect(throws: expected) { try JSONParser.parse(Array(text.utf8)) }
        #expect(throws: expected) { try JSONParser.parse(text.utf8) }
        // Offsets are relative to the start of the slice.
        let padded = Array("xxxx".utf8) + Array(text.utf8)
        #expect(throws: expected) { try JSONParser.parse(padded[4...]) }
        // A non-contiguous collection is copied first.
        #expect(throws: expected) { try JSONParser.parse(text.utf8.lazy.map { $0 }) }
    }

    @Test("description includes message and position")
    func errorDescription() {
        let error = JSONParseError(message: "trailing comma in array", offset: 4, line: 1, column: 5)
        #expect(error.description == "trailing comma in array at line 1, column 5 (byte offset 4)")
    }

    @Test("maxDepth is capped, so 100k nested arrays fail at the cap without a stack overflow")
    func deepInputWithLargeLimit() {
        let input = Array(String(repeating: "[", count: 100_000).utf8)
        let cap = JSONParser.depthCap
        #expect(
            throws: JSONParseError(message: "nesting deeper than \(cap) levels", offset: cap, line: 1, column: cap + 1)
        ) {
            try JSONParser.parse(input, maxDepth: 1_000_000)
        }
    }

    @Test("a value nested to the cap parses, writes, compares and frees")
    func deepestAcceptedValue() throws {
        let depth = JSONParser.depthCap
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let value = try JSONParser.parse(text, maxDepth: depth)
        #expect(value.description == text)
        #expect(value == value)
    }
}
