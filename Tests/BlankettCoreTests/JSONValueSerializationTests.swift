import Testing
@testable import BlankettCore

/// Writing JSON, round trips, JSONObject and the convenience API.
@Suite struct JSONValueSerializationTests {
    @Test func canonicalKeepsStoredOrderAndNoWhitespace() throws {
        let value: JSONValue = ["b": 1, "a": [true, false, nil], "c": "x", "d": [:], "e": []]
        #expect(value.serialized() == #"{"b":1,"a":[true,false,null],"c":"x","d":{},"e":[]}"#)
    }

    @Test func escaping() {
        let value = JSONValue.string("\"\\/\u{8}\u{C}\n\r\t\u{0}\u{1}\u{1F}\u{7F} åé😀\u{2028}")
        #expect(value.serialized() == "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f\u{7F} åé😀\u{2028}\"")
        let key: JSONValue = ["a\"b\n": 1]
        #expect(key.serialized() == #"{"a\"b\n":1}"#)
    }

    @Test(arguments: [
        #"{"b":1,"a":[true,false,null],"c":"x"}"#,
        #"[1e400,-0,2.80,1E+2,-0.0e-0]"#,
        #"{"kommun":"Botkyrka","ombud_tjanster":"2.80","klienter":{"totalt":{"kvinnor":{"totalt":83,"18-29":14}}}}"#,
        #""\u0000\u001f\"\\\n\t""#,
        #"[[],{},[[]],{"":{"":""}}]"#,
        "\"åäö 😀 \u{2028}\"",
        "null", "true", "false", "0", #""""#,
    ])
    func canonicalTextRoundTrips(text: String) throws {
        #expect(try JSONValue.parse(text).serialized() == text)
    }

    @Test(arguments: [
        JSONValue.null, true, 0, "", "text with \"quotes\" and \\ and \n and \u{1}",
        [1, "two", [3], ["four": 4]],
        ["z": 1, "a": ["y": nil, "b": [true]], "m": .number("2.80"), "n": .number("-1.5E-7")],
        .string("\u{10FFFF}\u{0}"),
        .array([]), .object(JSONObject()),
    ] as [JSONValue])
    func valuesRoundTrip(value: JSONValue) throws {
        #expect(try JSONValue.parse(value.serialized()) == value)
        #expect(try JSONValue.parse(value.prettyPrinted()) == value)
        #expect(try JSONValue.parse(value.serialized()).serialized() == value.serialized())
    }

    @Test func prettyPrintedSortsKeysAndIndents() {
        let value: JSONValue = ["b": [1, ["d": nil, "c": true]], "a": "x", "e": [], "f": [:], "Z": 2]
        #expect(value.prettyPrinted() == """
        {
          "Z": 2,
          "a": "x",
          "b": [
            1,
            {
              "c": true,
              "d": null
            }
          ],
          "e": [],
          "f": {}
        }
        """)
        #expect(JSONValue.number("1").prettyPrinted() == "1")
    }

    // MARK: JSONObject

    @Test func objectEqualityIgnoresOrder() {
        let a: JSONValue = ["x": 1, "y": [2, 3], "z": ["p": true, "q": false]]
        let b: JSONValue = ["z": ["q": false, "p": true], "y": [2, 3], "x": 1]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.serialized() != b.serialized())
        #expect(Set([a, b]).count == 1)
        let c: JSONValue = ["x": 1, "y": [3, 2], "z": ["p": true, "q": false]]
        #expect(a != c)
        let d: JSONValue = ["x": 1, "y": [2, 3]]
        #expect(a != d)
    }

    @Test func numbersCompareByText() {
        #expect(JSONValue.number("2.8") != JSONValue.number("2.80"))
        #expect(JSONValue.number("2.8").decimalValue == JSONValue.number("2.80").decimalValue)
    }

    @Test func objectMutationKeepsOrder() {
        var object: JSONObject = ["a": 1, "b": 2, "c": 3]
        object["b"] = 20
        #expect(object.keys == ["a", "b", "c"])
        #expect(object["b"] == 20)
        object["d"] = 4
        #expect(object.keys == ["a", "b", "c", "d"])
        #expect(object.removeValue(forKey: "a") == 1)
        #expect(object.keys == ["b", "c", "d"])
        #expect(object.index(forKey: "d") == 2)
        object["c"] = nil
        #expect(object.keys == ["b", "d"])
        #expect(object["c"] == nil)
        #expect(object.removeValue(forKey: "missing") == nil)
        #expect(object.updateValue(40, forKey: "d") == 4)
        #expect(object.updateValue(5, forKey: "e") == nil)
        #expect(object.map(\.key) == ["b", "d", "e"])
        #expect(object.values == [20, 40, 5])
        #expect(object[0].key == "b")
        #expect(object.count == 3)
        #expect(JSONValue.object(object).serialized() == #"{"b":20,"d":40,"e":5}"#)
    }

    @Test func objectFromPairs() {
        let object = JSONObject(uniqueKeysWithValues: [("x", JSONValue(1)), ("y", JSONValue("två"))])
        #expect(object.keys == ["x", "y"])
        #expect(object["y"]?.stringValue == "två")
        #expect(JSONObject().isEmpty)
    }

    // MARK: Convenience

    @Test func initialisersAndAccessors() {
        #expect(JSONValue(ExactDecimal(canonical: "2.80")!) == .number("2.80"))
        #expect(JSONValue(Int64(1_127_386)) == .number("1127386"))
        #expect(JSONValue(-5) == .number("-5"))
        #expect(JSONValue(true) == .bool(true))
        #expect(JSONValue("x") == .string("x"))
        #expect(JSONValue.number("12").numberText == "12")
        #expect(JSONValue.string("12").numberText == nil)
        #expect(JSONValue.string("12").boolValue == nil)
        #expect(JSONValue.bool(true).stringValue == nil)
        #expect(JSONValue.null.isNull)
        #expect(!JSONValue.bool(false).isNull)
        #expect(JSONValue.array([1]).objectValue == nil)
        #expect(JSONValue.object(JSONObject()).arrayValue == nil)
        #expect(JSONValue.string("x")["key"] == nil)
        #expect(JSONValue.string("x")[0] == nil)
        let list: JSONValue = [1, 2]
        #expect(list[-1] == nil)
        #expect(list[1] == 2)
    }

    @Test(arguments: [
        ("0", true), ("-0", true), ("10", true), ("1.5", true), ("1e5", true), ("1E-5", true), ("-1.0e+5", true),
        ("", false), ("-", false), ("01", false), ("1.", false), (".1", false), ("+1", false), ("1e", false),
        ("0x1", false), (" 1", false), ("1 ", false), ("NaN", false), ("1,5", false), ("١", false),
    ])
    func numberLiteralValidity(text: String, valid: Bool) {
        #expect(JSONValue.isValidNumberLiteral(text) == valid)
    }
}
