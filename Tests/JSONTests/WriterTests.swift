import Foundation
import JSON
import Testing

/// The text a writer produced.
func text(_ writer: JSONWriter) -> String {
    String(decoding: writer.bytes, as: UTF8.self)
}

/// The JSON text of one double as the writer writes it.
func written(_ d: Double) -> String {
    var w = JSONWriter()
    w.double(d)
    return text(w)
}

/// One case of the `repr` fixture file.
struct ReprCase: Sendable {
    let bits: UInt64
    let repr: String
}

/// Loads `Fixtures/repr.json`, located next to this source file.
func loadReprFixtures() throws -> [ReprCase] {
    let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
        .appendingPathComponent("repr.json")
    let data = try Data(contentsOf: url)
    let root = try JSONParser.parse([UInt8](data))
    let cases = try #require(root["cases"]?.arrayValue, "repr.json has no \"cases\" array")
    return try cases.map { item in
        let hex = try #require(item["bits"]?.stringValue, "case without bits: \(item)")
        let repr = try #require(item["repr"]?.stringValue, "case without repr: \(item)")
        let bits = try #require(UInt64(hex, radix: 16), "bad hex \(hex)")
        return ReprCase(bits: bits, repr: repr)
    }
}

@Suite("Writer")
struct WriterTests {
    @Test(
        "doubles are written as Python repr",
        arguments: [
            (0.1, "0.1"),
            (0.07290000000000002, "0.07290000000000002"),
            (1e-05, "1e-05"),
            (1e16, "1e+16"),
            (100.0, "100.0"),
            (1.5e-07, "1.5e-07"),
            (-0.0, "-0.0"),
            (0.0, "0.0"),
            (Double(bitPattern: 1), "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (0.0001, "0.0001"),
            (0.00012, "0.00012"),
            (9999999999999998.0, "9999999999999998.0"),
            (1234567890123456.0, "1234567890123456.0"),
            (12345678901234567.0, "1.2345678901234568e+16"),
            (1e15, "1000000000000000.0"),
            (9007199254740992.0, "9007199254740992.0"),
            (1e22, "1e+22"),
            (1e100, "1e+100"),
            (-2.5, "-2.5"),
            (123456.789, "123456.789"),
            (1.0 / 3.0, "0.3333333333333333"),
        ]
    )
    func pythonRepr(_ value: Double, _ expected: String) {
        let got = written(value)
        #expect(got == expected, "write(\(value.bitPattern.hex)): got \(got), expected \(expected)")
    }

    @Test("repr fixtures from Python are reproduced exactly and parse back bit-exactly")
    func reprFixtures() throws {
        let cases = try loadReprFixtures()
        #expect(cases.count >= 2000, "expected at least 2000 fixture cases, found \(cases.count)")
        var writeMismatches: [String] = []
        var parseMismatches: [String] = []
        for c in cases {
            let d = Double(bitPattern: c.bits)
            let got = written(d)
            if got != c.repr {
                writeMismatches.append("bits \(c.bits.hex): wrote \(got), Python repr \(c.repr)")
            }
            switch try? JSONParser.parse(c.repr) {
            case .double(let back)? where back.bitPattern == c.bits:
                break
            case let other:
                parseMismatches.append(
                    "parse(\(c.repr)): got \(String(describing: other)), expected bits \(c.bits.hex)"
                )
            }
        }
        #expect(
            writeMismatches.isEmpty,
            "\(writeMismatches.count) of \(cases.count) differ: \(writeMismatches.prefix(20))"
        )
        #expect(
            parseMismatches.isEmpty,
            "\(parseMismatches.count) of \(cases.count) differ: \(parseMismatches.prefix(20))"
        )
    }

    @Test("non-finite doubles are written as null", arguments: [Double.nan, .infinity, -.infinity, .signalingNaN])
    func nonFinite(_ value: Double) {
        #expect(written(value) == "null", "write(\(value)): got \(written(value)), expected null")
        var w = JSONWriter()
        w.doubles([1, value, 2])
        #expect(text(w) == "[1.0,null,2.0]")
    }

    @Test("commas are placed automatically in nested documents")
    func commaHandling() {
        var w = JSONWriter()
        w.beginObject()
        w.key("name")
        w.string("step")
        w.key("empty_array")
        w.beginArray()
        w.endArray()
        w.key("empty_object")
        w.beginObject()
        w.endObject()
        w.key("values")
        w.doubles([0.1, 0.05])
        w.key("nested")
        w.beginArray()
        w.int(1)
        w.beginObject()
        w.key("a")
        w.null()
        w.key("b")
        w.bool(true)
        w.endObject()
        w.beginArray()
        w.bool(false)
        w.endArray()
        w.double(2.5)
        w.endArray()
        w.key("n")
        w.int(-3)
        w.endObject()
        let expected =
            #"{"name":"step","empty_array":[],"empty_object":{},"values":[0.1,0.05],"nested":[1,{"a":null,"b":true},[false],2.5],"n":-3}"#
        #expect(text(w) == expected, "got \(text(w)), expected \(expected)")
        #expect((try? JSONParser.parse(w.bytes)) != nil)
    }

    @Test("runs of equal doubles, non-finite values among them and signed zeros are each written as alone")
    func repeatedDoubles() {
        let values: [Double] = [
            .nan, .nan, 0.1, 0.1, 0.1, 0.09000000000000001, 0.09000000000000001, -0.0, 0.0, 0.0, .infinity,
            0.0, -Double.leastNormalMagnitude, -Double.leastNormalMagnitude, Double(bitPattern: 0x7FF8_0000_0000_0000),
            .leastNonzeroMagnitude, .leastNonzeroMagnitude,
            // The longest text (24 bytes), repeated last: its copies end at the edge of the room.
            -.greatestFiniteMagnitude, -.greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        ]
        var w = JSONWriter()
        w.doubles(values)
        let expected =
            "[" + values.map { $0.isFinite ? JSONWriter.pythonRepr($0) : "null" }.joined(separator: ",") + "]"
        #expect(text(w) == expected, "got \(text(w)), expected \(expected)")
    }

    @Test("doubles and ints arrays")
    func arrays() {
        var w = JSONWriter()
        w.beginArray()
        w.doubles([Double]())
        w.doubles([1.0, 1e-05])
        w.doubles((0..<3).lazy.map { Double($0) / 4 })
        w.ints([Int]())
        w.ints([1, -2, Int.max])
        w.endArray()
        let expected = "[[],[1.0,1e-05],[0.0,0.25,0.5],[],[1,-2,9223372036854775807]]"
        #expect(text(w) == expected, "got \(text(w)), expected \(expected)")
    }

    @Test(
        "integers",
        arguments: [
            (0, "0"), (7, "7"), (10, "10"), (-1, "-1"), (1_234_567_890, "1234567890"),
            (Int.max, "9223372036854775807"), (Int.min, "-9223372036854775808"),
        ]
    )
    func integers(_ value: Int, _ expected: String) {
        var w = JSONWriter()
        w.int(value)
        #expect(text(w) == expected, "int(\(value)): got \(text(w)), expected \(expected)")
    }

    @Test(
        "strings are escaped like Python json.dumps(ensure_ascii=False)",
        arguments: [
            ("plain", #""plain""#),
            ("", #""""#),
            ("quote \" backslash \\ slash /", #""quote \" backslash \\ slash /""#),
            ("\n\r\t\u{8}\u{c}", #""\n\r\t\b\f""#),
            ("\u{0}\u{1}\u{1f}", #""\u0000\u0001\u001f""#),
            ("\u{7f} é € 😀", "\"\u{7f} é € 😀\""),
            ("a\u{1b}[0m", #""a\u001b[0m""#),
        ]
    )
    func strings(_ value: String, _ expected: String) {
        var w = JSONWriter()
        w.string(value)
        #expect(text(w) == expected, "string(\(value.debugDescription)): got \(text(w)), expected \(expected)")
        // Keys use the same escaping.
        var k = JSONWriter()
        k.beginObject()
        k.key(value)
        k.int(1)
        k.endObject()
        #expect(text(k) == "{\(expected):1}")
    }

    @Test("write(_:) serialises whole values compactly, in member order")
    func wholeValues() {
        let value: JSONValue = [
            "z": 1, "a": [1.5, "x", .null, true], "o": ["k": -0.0], "e": [:], "f": [],
        ]
        let expected = #"{"z":1,"a":[1.5,"x",null,true],"o":{"k":-0.0},"e":{},"f":[]}"#
        #expect(value.description == expected, "got \(value.description), expected \(expected)")
        #expect(String(decoding: JSONWriter.encode(value), as: UTF8.self) == expected)
    }

    @Test(
        "pythonRepr matches repr() including non-finite values",
        arguments: [
            (0.1, "0.1"), (1e16, "1e+16"), (-0.0, "-0.0"), (Double.nan, "nan"), (.infinity, "inf"),
            (-.infinity, "-inf"),
        ]
    )
    func pythonReprString(_ value: Double, _ expected: String) {
        #expect(
            JSONWriter.pythonRepr(value) == expected,
            "pythonRepr(\(value)): got \(JSONWriter.pythonRepr(value)), expected \(expected)"
        )
    }

    @Test("reset clears the buffer and comma state")
    func reset() {
        var w = JSONWriter()
        w.int(1)
        w.reset()
        w.int(2)
        #expect(text(w) == "2")
        #expect(w.text == "2")
    }

    @Test("rawValue inserts pre-serialised text as one value")
    func rawValue() {
        var w = JSONWriter()
        w.beginArray()
        w.int(1)
        w.rawValue(Array(#"{"x":2}"#.utf8))
        w.endArray()
        #expect(text(w) == #"[1,{"x":2}]"#)
    }
}

@Suite("Round trips")
struct RoundTripTests {
    @Test(
        "parse → write → parse is stable",
        arguments: [
            "null", "true", "0", "-7", "0.1", "-0.0", "1e-05", "[]", "{}",
            #"{"params":{"step_size":10,"gamma":0.1,"milestones":[1,2,3]},"name":"StepLR"}"#,
            #"[1,2.5,"a\"b\\c\n","é😀",{"":null},[[[]]],-9223372036854775808,9223372036854775808]"#,
            #"{"s":"\u0000\u001f"}"#,
        ]
    )
    func stable(_ input: String) throws {
        let first = try JSONParser.parse(input)
        let text = first.description
        let second = try JSONParser.parse(text)
        #expect(first == second, "input \(input): first parse \(first), reparse of \(text) gave \(second)")
        #expect(second.description == text, "input \(input): rewrite \(second.description) differs from \(text)")
    }

    @Test("compact input is reproduced byte for byte")
    func byteForByte() throws {
        let input = #"{"lr":[0.1,0.05,0.025,1e-05],"steps":3,"ok":true,"note":null,"name":"cosine\tannealing"}"#
        let output = try JSONParser.parse(input).description
        #expect(output == input, "got \(output), expected \(input)")
    }

    @Test("random doubles round-trip through writer and parser")
    func randomDoubles() throws {
        var rng = SplitMix64(seed: 42)
        var values: [Double] = []
        while values.count < 5000 {
            let d = Double(bitPattern: rng.next())
            if d.isFinite { values.append(d) }
        }
        var w = JSONWriter()
        w.doubles(values)
        let back = try #require(try JSONParser.parse(w.bytes).arrayValue)
        #expect(back.count == values.count)
        for (d, v) in zip(values, back) {
            guard case .double(let e) = v, e.bitPattern == d.bitPattern else {
                Issue.record("\(d.bitPattern.hex) wrote \(written(d)), read back \(v)")
                return
            }
        }
    }
}

extension UInt64 {
    /// 16 lower-case hex digits.
    var hex: String {
        let s = String(self, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

/// An independent `repr` reference: the standard library's shortest round-trip digits
/// (`Double.description`), re-laid-out with Python's rule using plain string operations.
func pythonReprReference(_ d: Double) -> String {
    var text = d.description
    var sign = ""
    if text.hasPrefix("-") {
        sign = "-"
        text.removeFirst()
    }
    let parts = text.split(separator: "e")
    let exponent = parts.count > 1 ? Int(parts[1])! : 0
    let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
    let integerPart = String(mantissa[0])
    let fractionPart = mantissa.count > 1 ? String(mantissa[1]) : ""
    var digits = Array(integerPart + fractionPart)
    var decimalPoint = integerPart.count + exponent
    while let first = digits.first, first == "0" {
        digits.removeFirst()
        decimalPoint -= 1
    }
    while let last = digits.last, last == "0" {
        digits.removeLast()
    }
    if digits.isEmpty {
        return sign + "0.0"
    }
    let n = digits.count
    if decimalPoint <= -4 || decimalPoint > 16 {
        let e = decimalPoint - 1
        let body = n > 1 ? String(digits[0]) + "." + String(digits[1...]) : String(digits[0])
        let magnitude = String(abs(e))
        return sign + body + "e" + (e < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
    }
    if decimalPoint <= 0 {
        return sign + "0." + String(repeating: "0", count: -decimalPoint) + String(digits)
    }
    if decimalPoint >= n {
        return sign + String(digits) + String(repeating: "0", count: decimalPoint - n) + ".0"
    }
    return sign + String(digits[..<decimalPoint]) + "." + String(digits[decimalPoint...])
}

@Suite("Writer cross-check")
struct WriterCrossCheckTests {
    @Test("repr of random doubles matches the standard library's digits in Python layout")
    func randomAgainstStdlib() {
        var rng = SplitMix64(seed: 2024)
        var mismatches: [String] = []
        var checked = 0
        func check(_ d: Double) {
            guard d.isFinite else { return }
            checked += 1
            let got = written(d)
            let expected = pythonReprReference(d)
            if got != expected && mismatches.count < 20 {
                mismatches.append("bits \(d.bitPattern.hex): wrote \(got), reference \(expected)")
            }
        }
        for _ in 0..<100_000 {
            check(Double(bitPattern: rng.next()))
        }
        // Short decimals and schedule-like values, where layout switches matter most.
        for _ in 0..<50_000 {
            let exponent = Int(rng.next() % 40) - 20
            check(Double(rng.next() % 100_000) * pow10(exponent))
        }
        // The smallest subnormals, where the shortest digits are one or two long.
        for bits in UInt64(1)...2_000 {
            check(Double(bitPattern: bits))
        }
        // Every power of two (whose lower neighbour is twice as close as its upper one) and the
        // doubles next to it.
        for exponent in UInt64(0)...2046 {
            for delta: Int64 in -2...2 {
                check(Double(bitPattern: UInt64(bitPattern: Int64(bitPattern: exponent << 52) &+ delta)))
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches among \(checked) doubles: \(mismatches)")
    }
}

/// 10^e as a double (exact for |e| <= 22).
func pow10(_ e: Int) -> Double {
    var x = 1.0
    for _ in 0..<abs(e) { x *= 10 }
    return e < 0 ? 1 / x : x
}
