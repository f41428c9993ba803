import JSON
import Testing

@Suite("JSON Pointer")
struct PointerTests {
    @Test("root is the empty string")
    func root() {
        #expect(JSONPointer.root.description == "")
        #expect(JSONPointer.root.isRoot)
        #expect(JSONPointer.root.tokens.isEmpty)
    }

    @Test("appending keys and indices")
    func appending() {
        let p = JSONPointer.root.appending("params").appending("schedulers").appending(1).appending("params").appending(
            "gamma"
        )
        #expect(p.description == "/params/schedulers/1/params/gamma")
        #expect(JSONPointer.root.appending("params").appending("step_size").description == "/params/step_size")
        #expect(p.tokens == ["params", "schedulers", "1", "params", "gamma"])
    }

    @Test(
        "~ and / are escaped",
        arguments: [
            ("a/b", "/a~1b"),
            ("m~n", "/m~0n"),
            ("~/", "/~0~1"),
            ("~1", "/~01"),
            ("", "/"),
            ("é x", "/é x"),
        ]
    )
    func escaping(_ key: String, _ expected: String) {
        let p = JSONPointer.root.appending(key)
        #expect(
            p.description == expected,
            "appending(\(key.debugDescription)): got \(p.description), expected \(expected)"
        )
        #expect(
            JSONPointer(expected) == p,
            "JSONPointer(\(expected.debugDescription)) should parse back to [\(key.debugDescription)]"
        )
    }

    @Test("parsing pointer text")
    func parsing() {
        #expect(JSONPointer("") == .root)
        #expect(JSONPointer("/a/0/b~1c")?.tokens == ["a", "0", "b/c"])
        #expect(JSONPointer("//")?.tokens == ["", ""])
        #expect(JSONPointer("a") == nil)
        #expect(JSONPointer("/a~2") == nil)
        #expect(JSONPointer("/a~") == nil)
    }

    @Test("Hashable distinguishes token boundaries")
    func hashable() {
        let a = JSONPointer.root.appending("a/b")
        let b = JSONPointer.root.appending("a").appending("b")
        #expect(a != b)
        #expect(Set([a, b, a]).count == 2)
        #expect(JSONPointer.root.appending(3) == JSONPointer.root.appending("3"))
    }

    @Test("resolving a pointer in a value")
    func resolve() throws {
        let doc = try JSONParser.parse(
            #"{"params": {"schedulers": [{"gamma": 0.5}, {"params": {"gamma": 0.1}}]}, "a/b": 1, "m~n": 2}"#
        )
        let gamma = JSONPointer.root.appending("params").appending("schedulers").appending(1).appending("params")
            .appending("gamma")
        #expect(doc[gamma] == .double(0.1))
        #expect(doc[JSONPointer.root] == doc)
        #expect(doc[JSONPointer("/a~1b")!] == 1)
        #expect(doc[JSONPointer("/m~0n")!] == 2)
        #expect(doc[JSONPointer("/params/schedulers/2")!] == nil)
        #expect(doc[JSONPointer("/params/schedulers/01")!] == nil)
        #expect(doc[JSONPointer("/params/schedulers/-")!] == nil)
        #expect(doc[JSONPointer("/a~1b/x")!] == nil)
    }
}

@Suite("JSONValue and JSONObject")
struct ValueTests {
    @Test("object equality ignores member order but not values")
    func objectEquality() {
        let a = JSONObject([(key: "x", value: 1), (key: "y", value: 2)])
        let b = JSONObject([(key: "y", value: 2), (key: "x", value: 1)])
        let c = JSONObject([(key: "y", value: 2), (key: "x", value: 3)])
        let d = JSONObject([(key: "x", value: 1)])
        #expect(a == b)
        #expect(a != c)
        #expect(a != d)
        #expect(JSONValue.object(a).description == #"{"x":1,"y":2}"#)
        #expect(JSONValue.object(b).description == #"{"y":2,"x":1}"#)
    }

    @Test("integers and doubles are distinct cases")
    func numberCases() {
        #expect(JSONValue.integer(1) != .double(1.0))
        #expect(JSONValue.integer(1).doubleValue == 1.0)
        #expect(JSONValue.double(1.5).intValue == nil)
    }

    @Test(
        "integralValue: an integer, or a double with no fraction inside Int's range",
        arguments: [
            (JSONValue.integer(-3), Int?.some(-3)), (.double(5.0), 5), (.double(-0.0), 0),
            (.double(1e15), 1_000_000_000_000_000),
            (.double(-9_223_372_036_854_775_808.0), nil), (.double(9_223_372_036_854_775_808.0), nil),
            (.double(9_223_372_036_854_774_784.0), 9_223_372_036_854_774_784), (.double(0.5), nil),
            (.double(1e300), nil), (.string("5"), nil), (.bool(true), nil),
        ]
    )
    func integralValue(_ value: JSONValue, _ expected: Int?) {
        #expect(
            value.integralValue == expected,
            "\(value): expected \(String(describing: expected)), got \(String(describing: value.integralValue))"
        )
    }

    @Test("init with repeated keys keeps first position and last value")
    func repeatedKeys() {
        let o = JSONObject([(key: "a", value: 1), (key: "b", value: 2), (key: "a", value: 3)])
        #expect(o.keys == ["a", "b"])
        #expect(o["a"] == 3)
    }

    @Test("subscript setter replaces, appends and removes")
    func subscriptSetter() {
        var o: JSONObject = ["a": 1, "b": 2]
        o["a"] = "x"
        o["c"] = .null
        o["b"] = nil
        #expect(o.keys == ["a", "c"])
        #expect(o["a"] == "x")
        #expect(o["c"] == .null)
        #expect(o.count == 2)
        #expect(!o.isEmpty)
    }

    @Test("accessors")
    func accessors() {
        let v: JSONValue = ["s": "t", "b": false, "n": .null, "arr": [1, 2], "i": 4, "d": 0.5]
        #expect(v["s"]?.stringValue == "t")
        #expect(v["b"]?.boolValue == false)
        #expect(v["n"]?.isNull == true)
        #expect(v["arr"]?[1] == 2)
        #expect(v["arr"]?[2] == nil)
        #expect(v["arr"]?.arrayValue?.count == 2)
        #expect(v["i"]?.intValue == 4)
        #expect(v["d"]?.doubleValue == 0.5)
        #expect(v.objectValue?.keys == ["s", "b", "n", "arr", "i", "d"])
        #expect(v["s"]?["x"] == nil)
        #expect(v["d"]?.kindName == "number")
        #expect(v["i"]?.kindName == "integer")
    }
}
