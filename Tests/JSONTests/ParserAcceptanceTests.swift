import JSON
import Testing

/// Parses `text`, recording an issue that names the input when it throws.
func parsed(_ text: String, maxDepth: Int = 64, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue? {
    do {
        return try JSONParser.parse(text, maxDepth: maxDepth)
    } catch {
        Issue.record("parse(\(text.debugDescription)) threw \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Bit-exact comparison for doubles (distinguishes -0.0 from 0.0).
func sameBits(_ a: JSONValue?, _ b: Double) -> Bool {
    guard case .double(let d)? = a else { return false }
    return d.bitPattern == b.bitPattern
}

@Suite("Parser acceptance")
struct ParserAcceptanceTests {
    @Test(
        "scalars",
        arguments: [
            ("null", JSONValue.null),
            ("true", .bool(true)),
            ("false", .bool(false)),
            ("0", .integer(0)),
            ("-0", .integer(0)),
            ("42", .integer(42)),
            ("-17", .integer(-17)),
            ("\"\"", .string("")),
            ("\"hi\"", .string("hi")),
            (" \t\r\n 7 \n", .integer(7)),
        ]
    )
    func scalars(_ text: String, _ expected: JSONValue) {
        let value = parsed(text)
        #expect(
            value == expected,
            "parse(\(text.debugDescription)): got \(String(describing: value)), expected \(expected)"
        )
    }

    @Test(
        "integers and doubles stay distinct",
        arguments: [
            ("1", JSONValue.integer(1)),
            ("1.0", .double(1.0)),
            ("1e0", .double(1.0)),
            ("1E2", .double(100.0)),
            ("9223372036854775807", .integer(Int.max)),
            ("-9223372036854775808", .integer(Int.min)),
            ("9223372036854775808", .double(9223372036854775808.0)),
            ("-9223372036854775809", .double(-9223372036854775809.0)),
            ("18446744073709551616", .double(18446744073709551616.0)),
            ("123456789012345678901234567890", .double(1.2345678901234568e29)),
            ("0.1", .double(0.1)),
            ("-0.5", .double(-0.5)),
            ("1.5e-07", .double(1.5e-07)),
            ("1e-5", .double(1e-05)),
            ("2.5E+3", .double(2500.0)),
            ("0.07290000000000002", .double(0.07290000000000002)),
            ("1.7976931348623157e308", .double(1.7976931348623157e308)),
            ("1e-400", .double(0.0)),
            ("0e999999999999999999999", .double(0.0)),
            ("1e-99999999999999999999", .double(0.0)),
            ("0.000000000000000000000000000001", .double(1e-30)),
            ("3.14159265358979323846264338327950288", .double(3.141592653589793)),
        ]
    )
    func numbers(_ text: String, _ expected: JSONValue) {
        let value = parsed(text)
        #expect(
            value == expected,
            "parse(\(text.debugDescription)): got \(String(describing: value)), expected \(expected)"
        )
    }

    @Test("-0.0 keeps its sign; -0 is integer zero")
    func negativeZero() {
        #expect(
            sameBits(parsed("-0.0"), -0.0),
            "parse(\"-0.0\") should be .double(-0.0), got \(String(describing: parsed("-0.0")))"
        )
        #expect(sameBits(parsed("-0e5"), -0.0))
        #expect(sameBits(parsed("0.0"), 0.0))
        #expect(parsed("-0") == .integer(0))
    }

    @Test(
        "hard rounding cases match strtod",
        arguments: [
            // Exactly halfway between 1.0 and its successor: ties to even.
            ("1.00000000000000011102230246251565404236316680908203125", 1.0),
            // Just above halfway: rounds up.
            ("1.00000000000000011102230246251565404236316680908203126", 1.0.nextUp),
            ("9007199254740993.0", 9007199254740992.0),
            ("9007199254740995.0", 9007199254740996.0),
            ("9007199254740993e0", 9007199254740992.0),
            ("2.2250738585072011e-308", Double(bitPattern: 0x000F_FFFF_FFFF_FFFF)),
            ("2.2250738585072012e-308", 2.2250738585072014e-308),
            ("4.9406564584124654e-324", Double(bitPattern: 1)),
            ("2.4703282292062328e-324", Double(bitPattern: 1)),
            ("2.4703282292062327e-324", 0.0),
            ("1.7976931348623158e308", 1.7976931348623157e308),
            ("123456789012345678e-10", 12345678.9012345678),
            ("1e22", 1e22),
            ("1e23", 1e23),
            ("8.988465674311579e307", 8.988465674311579e307),
        ]
    )
    func hardRounding(_ text: String, _ expected: Double) {
        let value = parsed(text)
        #expect(
            sameBits(value, expected),
            "parse(\(text.debugDescription)): got \(String(describing: value)), expected \(expected)"
        )
    }

    @Test("fast number path agrees with the standard library on random literals")
    func randomNumbersAgreeWithStdlib() {
        var rng = SplitMix64(seed: 0x5EED)
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            let digits = Int(rng.next() % 17) + 1
            var mantissa = ""
            for k in 0..<digits {
                mantissa += String(rng.next() % 10)
                if k == 0 && mantissa == "0" && digits > 1 { mantissa = String(rng.next() % 9 + 1) }
            }
            let pointAt = Int(rng.next() % UInt64(digits + 1))
            var text = String(mantissa.prefix(pointAt))
            if text.isEmpty { text = "0" }
            if pointAt < digits { text += "." + mantissa.dropFirst(pointAt) }
            if rng.next() % 2 == 0 { text += "e" + String(Int(rng.next() % 61) - 30) }
            if rng.next() % 2 == 0 { text = "-" + text }
            guard let expected = Double(text) else { continue }
            let value: JSONValue
            do {
                value = try JSONParser.parse(text)
            } catch {
                mismatches.append("\(text): threw \(error)")
                continue
            }
            switch value {
            case .integer(let i):
                if Double(i) != expected { mismatches.append("\(text): got .integer(\(i)), expected \(expected)") }
            case .double(let d):
                if d.bitPattern != expected.bitPattern { mismatches.append("\(text): got \(d), expected \(expected)") }
            default:
                mismatches.append("\(text): got \(value)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, first: \(mismatches.prefix(10))")
    }

    @Test(
        "string escapes and UTF-8",
        arguments: [
            (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{c}\n\r\t"),
            (#""\u0041\u00e9\u20AC""#, "Aé€"),
            (#""\u0000""#, "\u{0}"),
            (#""\uD83D\uDE00""#, "😀"),
            (#""\ud83d\ude00 ok""#, "😀 ok"),
            (#""\uDBFF\uDFFF""#, "\u{10FFFF}"),
            ("\"é€😀\"", "é€😀"),
            ("\"mixed é \\n 😀\"", "mixed é \n 😀"),
            ("\"\u{7F}\"", "\u{7F}"),
        ]
    )
    func strings(_ text: String, _ expected: String) {
        let value = parsed(text)
        #expect(
            value == .string(expected),
            "parse(\(text.debugDescription)): got \(String(describing: value)), expected \(expected.debugDescription)"
        )
    }

    @Test("objects keep member order")
    func objectOrder() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": [true, null], "m": {"x": "y"}}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a", "m"])
        #expect(object["a"] == [true, .null])
        #expect(object["m"]?["x"] == "y")
        #expect(object["missing"] == nil)
        #expect(value["z"]?.intValue == 1)
    }

    @Test("keys that differ only in Unicode normalisation are distinct")
    func keysCompareByBytes() throws {
        let composed = "\u{E9}"
        let decomposed = "e\u{301}"
        #expect(composed == decomposed, "Swift String == uses canonical equivalence")
        let small = try JSONParser.parse(#"{"\#(composed)": 1, "\#(decomposed)": 2}"#)
        #expect(small.objectValue?.count == 2)
        #expect(small[composed] == 1, "lookup of composed key in \(small)")
        #expect(small[decomposed] == 2, "lookup of decomposed key in \(small)")
        // The same through the hashed duplicate check used by larger objects.
        let filler = (0..<20).map { "\"k\($0)\": 0" }.joined(separator: ", ")
        let large = try JSONParser.parse(#"{\#(filler), "\#(composed)": 1, "\#(decomposed)": 2}"#)
        #expect(large.objectValue?.count == 22)
        #expect(throws: JSONParseError.self) {
            try JSONParser.parse(#"{\#(filler), "\#(composed)": 1, "\u00e9": 2}"#)
        }
    }

    @Test("large objects without duplicates parse")
    func largeObject() throws {
        let text = "{" + (0..<500).map { "\"k\($0)\": \($0)" }.joined(separator: ",") + "}"
        let object = try #require(try JSONParser.parse(text).objectValue)
        #expect(object.count == 500)
        #expect(object["k499"] == .integer(499))
    }

    @Test("nesting up to maxDepth is accepted")
    func depthLimit() {
        let deep = String(repeating: "[", count: 64) + "1" + String(repeating: "]", count: 64)
        #expect(parsed(deep) != nil)
        let objects = String(repeating: #"{"a":"#, count: 64) + "1" + String(repeating: "}", count: 64)
        #expect(parsed(objects) != nil)
        #expect(parsed("[[1]]", maxDepth: 2) == [[1]])
        #expect(parsed("1", maxDepth: 0) == 1)
    }

    @Test("parses the same from every input collection type")
    func inputTypes() throws {
        let text = #"{"a": [1, 2.5, "x"]}"#
        let expected: JSONValue = ["a": [1, 2.5, "x"]]
        #expect(try JSONParser.parse(text) == expected)
        #expect(try JSONParser.parse(Array(text.utf8)) == expected)
        #expect(try JSONParser.parse(Array(text.utf8)[...]) == expected)
        #expect(try JSONParser.parse(text.utf8) == expected)
        #expect(try JSONParser.parse(Substring(text).utf8) == expected)
        #expect(try JSONParser.parse(text.utf8.lazy.map { $0 }) == expected)
        #expect(try JSONParser.parse(ContiguousArray(text.utf8)) == expected)
    }

    @Test("a 100 KB array of numbers parses quickly")
    func performanceSmoke() throws {
        var text = "["
        var rng = SplitMix64(seed: 7)
        while text.utf8.count < 100_000 {
            text += String(Double(rng.next() % 1_000_000) / 1000.0) + ","
        }
        text += "0]"
        let bytes = Array(text.utf8)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<10 {
                _ = try JSONParser.parse(bytes)
            }
        }
        // A generous bound that still catches accidental quadratic behaviour,
        // even in debug builds: 10 parses of 100 KB.
        #expect(elapsed < .seconds(5), "10 parses of a 100 KB number array took \(elapsed)")
    }
}

/// A small deterministic generator for reproducible test inputs.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
