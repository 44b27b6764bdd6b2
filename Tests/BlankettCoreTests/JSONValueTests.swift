import Testing
@testable import BlankettCore

/// Reading JSON: JSONValue.parse.
@Suite struct JSONValueTests {
    private func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONValue.parse(text)
    }

    private func error(_ bytes: [UInt8]) -> JSONParseError? {
        do {
            _ = try JSONValue.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    private func error(_ text: String) -> JSONParseError? {
        error(Array(text.utf8))
    }

    // MARK: Documents

    @Test func answersExampleFromTheSpec() throws {
        let text = """
        {
          "kommun": "Botkyrka",
          "postnummer": "147 85",
          "ombud_tjanster": "2,80",
          "ombud_antal": { "antal": { "kvinnor": 1, "man": 2 } },
          "utbildning": false,
          "utbildning_varfor": "På grund av Covid-19 …",
          "klienter": { "totalt": { "kvinnor": { "totalt": 83, "18-29": 14 } } },
          "kontaktorsak_annan": null,
          "ovriga_kommuner": ["Salem"],
          "pandemi_paverkan": ["farre-klienter", "annat"],
          "kompetens": { "socialsekreterare": "samtliga" }
        }
        """
        let answers = try parse(text)
        #expect(answers["kommun"] == "Botkyrka")
        #expect(answers["ombud_antal"]?["antal"]?["man"] == .number("2"))
        #expect(answers["klienter"]?["totalt"]?["kvinnor"]?["18-29"]?.decimalValue == ExactDecimal(14))
        #expect(answers["utbildning"]?.boolValue == false)
        #expect(answers["utbildning_varfor"]?.stringValue == "På grund av Covid-19 …")
        #expect(answers["kontaktorsak_annan"]?.isNull == true)
        #expect(answers["saknas"] == nil)
        #expect(answers["pandemi_paverkan"]?[1] == "annat")
        #expect(answers["pandemi_paverkan"]?[2] == nil)
        #expect(answers.objectValue?.keys == [
            "kommun", "postnummer", "ombud_tjanster", "ombud_antal", "utbildning", "utbildning_varfor",
            "klienter", "kontaktorsak_annan", "ovriga_kommuner", "pandemi_paverkan", "kompetens",
        ])
        let expected: JSONValue = [
            "kommun": "Botkyrka",
            "postnummer": "147 85",
            "ombud_tjanster": "2,80",
            "ombud_antal": ["antal": ["kvinnor": 1, "man": 2]],
            "utbildning": false,
            "utbildning_varfor": "På grund av Covid-19 …",
            "klienter": ["totalt": ["kvinnor": ["totalt": 83, "18-29": 14]]],
            "kontaktorsak_annan": nil,
            "ovriga_kommuner": ["Salem"],
            "pandemi_paverkan": ["farre-klienter", "annat"],
            "kompetens": ["socialsekreterare": "samtliga"],
        ]
        #expect(answers == expected)
    }

    @Test(arguments: [
        ("null", JSONValue.null), ("true", .bool(true)), ("false", .bool(false)), ("0", .number("0")),
        ("\"x\"", .string("x")), (" [ ] ", .array([])), ("{}", .object(JSONObject())),
        ("\t\r\n [1, \"a\" , {\"b\" :null}]\n", [1, "a", ["b": nil]]),
    ] as [(String, JSONValue)])
    func scalarsAndContainers(text: String, value: JSONValue) throws {
        #expect(try parse(text) == value)
    }

    // MARK: Numbers

    @Test(arguments: [
        "0", "-0", "2.80", "1e400", "1E+2", "-0.0e-0", "123456789012345678901234567890", "1e-400", "0.000",
        "-12.5E3", String(repeating: "9", count: 40),
    ])
    func numbersKeepTheirText(text: String) throws {
        #expect(try parse(text) == .number(text))
        #expect(try parse("[\(text)]") == .array([.number(text)]))
        #expect(try parse(text).serialized() == text)
        #expect(JSONValue.isValidNumberLiteral(text))
    }

    @Test(arguments: [
        ("2.80", "2.80"), ("1e3", "1000"), ("25E-2", "0.25"), ("-0", "0"), ("2.80e1", "28.0"), ("0e99999", "0"),
        ("1127386", "1127386"), ("-1.5e-3", "-0.0015"),
    ])
    func decimalValue(text: String, canonical: String) throws {
        let value = try #require(JSONValue.number(text).decimalValue)
        #expect(value.description == canonical)
    }

    @Test func decimalValueKeepsScale() {
        #expect(JSONValue.number("2.80").decimalValue?.scale == 2)
        #expect(JSONValue.number("2.80").decimalValue == ExactDecimal(canonical: "2.8"))
    }

    @Test(arguments: ["1e400", "1e-19", "123456789012345678901234567890123456789012345", "-1e39"])
    func decimalValueOutOfRange(text: String) {
        #expect(JSONValue.number(text).decimalValue == nil)
    }

    @Test func nonNumbersHaveNoDecimalValue() {
        #expect(JSONValue.string("2").decimalValue == nil)
        #expect(JSONValue.number("abc").decimalValue == nil)
    }

    @Test(arguments: [
        ("01", 0, "invalid number, leading zeros are not allowed"),
        ("-01", 1, "invalid number, leading zeros are not allowed"),
        ("-", 1, "invalid number, expected a digit after '-'"),
        ("-a", 1, "invalid number, expected a digit after '-'"),
        ("1.", 2, "invalid number, expected a digit after '.'"),
        ("1.e5", 2, "invalid number, expected a digit after '.'"),
        ("1e", 2, "invalid number, expected a digit in the exponent"),
        ("1e+", 3, "invalid number, expected a digit in the exponent"),
        (".5", 0, "expected a value, found '.'"),
        ("+1", 0, "expected a value, found '+'"),
        ("0x10", 1, "expected end of input, found 'x'"),
        ("NaN", 0, "expected a value, found 'N'"),
        ("Infinity", 0, "expected a value, found 'I'"),
        ("[" + String(repeating: "1", count: 41) + "]", 1, "number longer than 40 characters"),
        ("-" + String(repeating: "1", count: 40), 0, "number longer than 40 characters"),
    ])
    func invalidNumbers(text: String, offset: Int, reason: String) {
        #expect(error(text) == JSONParseError(offset: offset, reason: reason))
    }

    // MARK: Strings

    @Test func escapes() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""\u00e9\u00C5\u0000""#) == .string("éÅ\u{0}"))
        #expect(try parse(#""\ud83d\ude00 \uD83D\uDE00""#) == .string("😀 😀"))
        #expect(try parse(#""\u2028""#) == .string("\u{2028}"))
        #expect(try parse("\"åäö 😀 \u{7F}\"") == .string("åäö 😀 \u{7F}"))
    }

    @Test(arguments: [
        (#""\x""#, 1, "invalid escape sequence"),
        (#""\'""#, 1, "invalid escape sequence"),
        (#""\u12""#, 1, "invalid \\u escape, expected four hex digits"),
        (#""\u12g4""#, 1, "invalid \\u escape, expected four hex digits"),
        (#""\ud800""#, 1, "lone surrogate in \\u escape"),
        (#""\udc00""#, 1, "lone surrogate in \\u escape"),
        (#""a\ud800\u0041""#, 2, "lone surrogate in \\u escape"),
        (#""\ud800x""#, 1, "lone surrogate in \\u escape"),
        (#""\ud800\ud800""#, 1, "lone surrogate in \\u escape"),
        (#""\ud800\u12""#, 7, "invalid \\u escape, expected four hex digits"),
        ("\"a\nb\"", 2, "control character U+000A must be escaped in a string"),
        ("\"\t\"", 1, "control character U+0009 must be escaped in a string"),
        ("\"\u{1F}\"", 1, "control character U+001F must be escaped in a string"),
        ("\"abc", 0, "unterminated string"),
        ("[\"abc\\", 5, "unterminated escape sequence"),
        ("\"", 0, "unterminated string"),
    ])
    func invalidStrings(text: String, offset: Int, reason: String) {
        #expect(error(text) == JSONParseError(offset: offset, reason: reason))
    }

    @Test(arguments: [
        ([0x22, 0xFF, 0x22], 1),                     // never valid in UTF-8
        ([0x22, 0x80, 0x22], 1),                     // lone continuation byte
        ([0x22, 0xC0, 0xAF, 0x22], 1),               // overlong '/'
        ([0x22, 0xC1, 0xBF, 0x22], 1),               // overlong
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], 1),         // overlong three-byte
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),         // UTF-16 surrogate U+D800 encoded
        ([0x22, 0xE2, 0x82, 0x22], 1),               // truncated '€'
        ([0x22, 0x61, 0xC3], 2),                     // truncated at end of input
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),   // above U+10FFFF
        ([0x22, 0xF8, 0x88, 0x80, 0x80, 0x80, 0x22], 1), // five-byte form
        ([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], 2), // in a key
    ] as [([UInt8], Int)])
    func invalidUTF8(bytes: [UInt8], offset: Int) {
        #expect(error(bytes) == JSONParseError(offset: offset, reason: "invalid UTF-8"))
    }

    @Test func validUTF8Bytes() throws {
        // "å€😀" as raw bytes, and the largest scalar U+10FFFF.
        #expect(try JSONValue.parse([0x22, 0xC3, 0xA5, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0x22]) == "å€😀")
        #expect(try JSONValue.parse([0x22, 0xF4, 0x8F, 0xBF, 0xBF, 0x22]) == .string("\u{10FFFF}"))
        #expect(try JSONValue.parse(ArraySlice<UInt8>([0x20, 0x31, 0x20])) == 1)
    }

    @Test func nonASCIIOutsideStrings() {
        #expect(error([0xC3, 0xA5]) == JSONParseError(offset: 0, reason: "expected a value, found byte 0xC3"))
        #expect(error([0xEF, 0xBB, 0xBF, 0x7B, 0x7D]) == JSONParseError(offset: 0, reason: "a byte order mark is not allowed"))
        #expect(error("[1,\u{00A0}2]") == JSONParseError(offset: 3, reason: "expected a value, found byte 0xC2"))
        #expect(error("\u{0C}[]") == JSONParseError(offset: 0, reason: "expected a value, found byte 0x0C"))
    }

    // MARK: Structure

    @Test(arguments: [
        ("", 0, "expected a value, found end of input"),
        ("   ", 3, "expected a value, found end of input"),
        ("[1,]", 3, "expected a value, found ']'"),
        ("[,1]", 1, "expected a value or ']', found ','"),
        ("[1 2]", 3, "expected ',' or ']', found '2'"),
        ("[1", 2, "expected ',' or ']', found end of input"),
        ("[1,", 3, "expected a value, found end of input"),
        ("{\"a\":1,}", 7, "expected a string key, found '}'"),
        ("{a:1}", 1, "expected a string key or '}', found 'a'"),
        ("{\"a\" 1}", 5, "expected ':' after the key, found '1'"),
        ("{\"a\"", 4, "expected ':' after the key, found end of input"),
        ("{\"a\":}", 5, "expected a value, found '}'"),
        ("{\"a\":1 \"b\":2}", 7, "expected ',' or '}', found '\"'"),
        ("{\"a\":1]", 6, "expected ',' or '}', found ']'"),
        ("{\"a\":1,\"a\":2}", 7, "duplicate key \"a\""),
        ("{\"x\":{\"k\\n\":1,\"k\\n\":2}}", 14, "duplicate key \"k\\n\""),
        ("{} x", 3, "expected end of input, found 'x'"),
        ("[] []", 3, "expected end of input, found '['"),
        ("1 2", 2, "expected end of input, found '2'"),
        ("tru", 0, "invalid literal, expected 'true'"),
        ("[nul]", 1, "invalid literal, expected 'null'"),
        ("falsy", 0, "invalid literal, expected 'false'"),
        ("True", 0, "expected a value, found 'T'"),
        ("'a'", 0, "expected a value, found '''"),
        ("[1]\n\n ]", 6, "expected end of input, found ']'"),
    ])
    func invalidStructure(text: String, offset: Int, reason: String) {
        #expect(error(text) == JSONParseError(offset: offset, reason: reason))
    }

    @Test func errorMessageNamesTheByte() {
        let failure = error("{\"a\":1]")
        #expect(failure?.message == "expected ',' or '}', found ']' at byte 6")
        #expect(failure?.description == "expected ',' or '}', found ']' at byte 6")
    }

    @Test func duplicateKeyInErrorIsCut() {
        let key = String(repeating: "k", count: 100)
        let failure = error("{\"\(key)\":1,\"\(key)\":2}")
        #expect(failure?.reason == "duplicate key \"\(String(repeating: "k", count: 40))…\"")
    }

    /// Objects of more than a dozen members are indexed by key; the index
    /// must agree with the order after every change.
    @Test func largeObjectsFindRepeatedKeysAndKeepTheirIndex() throws {
        let members = (0..<20).map { "\"k\($0)\":\($0)" }
        #expect(error("{" + (members + ["\"k15\":0"]).joined(separator: ",") + "}")?.reason == "duplicate key \"k15\"")
        #expect(error("{" + (members + ["\"k3\":0"]).joined(separator: ",") + "}")?.reason == "duplicate key \"k3\"")
        // "é" precomposed and decomposed are one key, small object or large.
        #expect(error("{\"\u{e9}\":1,\"e\u{301}\":2}")?.reason.hasPrefix("duplicate key") == true)
        #expect(error("{" + (members + ["\"\u{e9}\":1,\"e\u{301}\":2"]).joined(separator: ",") + "}")?.reason.hasPrefix("duplicate key") == true)

        guard case .object(var object) = try parse("{" + members.joined(separator: ",") + "}") else {
            Issue.record("not an object")
            return
        }
        #expect(object["k19"] == 19)
        object.removeValue(forKey: "k4")
        #expect(object["k4"] == nil)
        #expect(object["k5"] == 5 && object.index(forKey: "k5") == 4)
        object["k20"] = 20
        object["k0"] = 100
        #expect(object.keys.first == "k0" && object.keys.last == "k20" && object["k0"] == 100 && object.count == 20)
        for (position, key) in object.keys.enumerated() { #expect(object.index(forKey: key) == position) }
        var small = JSONObject()
        for number in 0..<30 { small["n\(number)"] = JSONValue(number) }
        for number in 0..<30 { #expect(small.index(forKey: "n\(number)") == number) }
    }

    @Test func keysAreCaseSensitive() throws {
        let value = try parse("{\"a\":1,\"A\":2}")
        #expect(value["a"] == 1)
        #expect(value["A"] == 2)
    }

    // MARK: Nesting

    @Test func nestingUpToTheLimitIsAccepted() throws {
        let arrays = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONValue.parse(arrays) }
        let objects = String(repeating: "{\"a\":", count: 63) + "[]" + String(repeating: "}", count: 63)
        #expect(throws: Never.self) { try JSONValue.parse(objects) }
    }

    @Test func nestingBeyondTheLimitIsRejected() {
        let arrays = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(error(arrays) == JSONParseError(offset: 64, reason: "nesting deeper than 64 levels"))
        let objects = String(repeating: "{\"a\":", count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(error(objects) == JSONParseError(offset: 64 * 5, reason: "nesting deeper than 64 levels"))
        // Far deeper input fails just as fast, without exhausting the stack.
        let hostile = String(repeating: "[", count: 1_000_000)
        #expect(error(hostile) == JSONParseError(offset: 64, reason: "nesting deeper than 64 levels"))
    }

    @Test func siblingsDoNotCountAsDepth() throws {
        let inner = String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
        let wide = "[" + Array(repeating: inner, count: 100).joined(separator: ",") + "]"
        #expect(try parse(wide).arrayValue?.count == 100)
    }
}
