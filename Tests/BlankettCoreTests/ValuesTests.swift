import Testing
@testable import BlankettCore

/// Numbers as people type them: SwedishNumber, Kronor, DecimalNumber.
@Suite struct SwedishNumberTests {
    // MARK: Kronor

    @Test(arguments: [
        ("1127386", 1_127_386),
        ("1 127 386", 1_127_386),
        ("1 127 386 kr", 1_127_386),
        ("1\u{00A0}127\u{00A0}386", 1_127_386),
        ("1\u{202F}127\u{202F}386", 1_127_386),
        ("1\u{2009}127\u{2009}386", 1_127_386),
        ("1\u{00A0}127 386\u{2009}kr", 1_127_386),
        ("  1 127 386  ", 1_127_386),
        ("\t1127386\n", 1_127_386),
        ("1127386kr", 1_127_386),
        ("1 127 386 KR", 1_127_386),
        ("1 127 386 Kronor", 1_127_386),
        ("1 127 386 kr.", 1_127_386),
        ("1 127 386 SEK", 1_127_386),
        ("1127386:-", 1_127_386),
        ("1 127 386 :-", 1_127_386),
        ("500,-", 500),
        ("1 127 386,00", 1_127_386),
        ("1127386.00", 1_127_386),
        ("1127386,0", 1_127_386),
        ("0", 0),
        ("007", 7),
        ("-500", -500),
        ("\u{2212}1 000", -1000),
        ("-0", 0),
        ("999 999", 999_999),
        ("12 345", 12345),
        ("9223372036854775807", Int64.max),
    ] as [(String, Int64)])
    func kronorAccepted(text: String, amount: Int64) throws {
        let kronor = try Kronor.parse(text).get()
        #expect(kronor.amount == amount)
    }

    @Test(arguments: [
        "", "   ", "kr", "abc", "12a", "1 127 386,50", "1127386.5", "1,5",
        "1.127.386", "1,127,386", "1,127.50", "1.000", "1,000", "1,000.00",
        "11 27 386", "1 1273 86", "1234 567", "1  127", "1 127 386 kr kr",
        ",5", "5,", "5.", "--5", "- 5", "+5", "5 st", "1e3", "0x10", "١٢٣",
        "9223372036854775808", "99999999999999999999999999999999999999999999",
    ])
    func kronorRejected(text: String) {
        let result = Kronor.parse(text)
        #expect(throws: ValueError.self) { try result.get() }
        if case .failure(let error) = result {
            #expect(error.code == "invalid-kronor")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func kronorMessageSaysWholeKronor() {
        guard case .failure(let error) = Kronor.parse("1 127 386,50") else {
            Issue.record("accepted öre")
            return
        }
        #expect(error == ValueError(code: "invalid-kronor", message: "Ange beloppet i hela kronor, till exempel 1 127 386."))
    }

    @Test func kronorTooLargeSaysSo() throws {
        guard case .failure(let error) = Kronor.parse("9223372036854775808") else {
            Issue.record("accepted an amount beyond Int64")
            return
        }
        #expect(error.code == "invalid-kronor")
        #expect(error.message.contains("för stort"))
    }

    @Test func kronorFormatting() {
        let kronor = Kronor(1_127_386)
        #expect(kronor.formatted == "1 127 386 kr")
        #expect(kronor.formatted(unit: false) == "1 127 386")
        #expect(kronor.formatted(groupSeparator: "\u{00A0}") == "1\u{00A0}127\u{00A0}386\u{00A0}kr")
        #expect(kronor.canonical == "1127386")
        #expect(kronor.description == "1127386")
        #expect(Kronor(-5000).formatted == "-5 000 kr")
        #expect(Kronor(0).formatted == "0 kr")
        #expect(Kronor(999).formatted(unit: false) == "999")
        #expect(Kronor(1000).formatted(unit: false) == "1 000")
        #expect(Kronor(Int64.min).formatted(unit: false) == "-9 223 372 036 854 775 808")
    }

    @Test(arguments: ["1127386", "1 127 386 kr", "0", "-42", "12 000 000"])
    func kronorRoundTrip(text: String) throws {
        let kronor = try Kronor.parse(text).get()
        #expect(try Kronor.parse(kronor.formatted).get() == kronor)
        #expect(try Kronor.parse(kronor.canonical).get() == kronor)
    }

    @Test func kronorFromExactDecimal() {
        #expect(Kronor(exactly: ExactDecimal(canonical: "1127386.00")!) == Kronor(1_127_386))
        #expect(Kronor(exactly: ExactDecimal(canonical: "1127386.4")!) == nil)
        #expect(Kronor(1_127_386).decimal == ExactDecimal(1_127_386))
        #expect(Kronor(3) < Kronor(5))
    }

    // MARK: Integers

    @Test(arguments: [
        ("12", 12), ("1 200", 1200), ("5 st", 5), ("5st.", 5), (" 83 ", 83), ("0", 0), ("-3", -3),
        ("1\u{00A0}000", 1000),
    ] as [(String, Int64)])
    func integerAccepted(text: String, value: Int64) throws {
        #expect(try SwedishNumber.parseInteger(text).get() == value)
    }

    @Test(arguments: ["5,0", "5.0", "2,80", "", "fem", "5 kr", "1.200", "1,200", "12 00"])
    func integerRejected(text: String) {
        guard case .failure(let error) = SwedishNumber.parseInteger(text) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(error.code == "invalid-integer")
    }

    @Test func integerWithDecimalsMessage() {
        guard case .failure(let error) = SwedishNumber.parseInteger("5,0") else {
            Issue.record("accepted 5,0")
            return
        }
        #expect(error.message == "Ange ett heltal utan decimaler, till exempel 12.")
    }

    @Test func integerFormatting() {
        #expect(SwedishNumber.format(1_127_386) == "1 127 386")
        #expect(SwedishNumber.format(-1_127_386, groupSeparator: "\u{202F}") == "-1\u{202F}127\u{202F}386")
        #expect(SwedishNumber.format(100) == "100")
    }

    // MARK: Decimals

    @Test(arguments: [
        ("2,80", "2.80"), ("2.8", "2.80"), ("2,8", "2.80"), ("2", "2.00"), (" 2,80 ", "2.80"),
        ("0,5", "0.50"), ("1 234,5", "1234.50"), ("1\u{00A0}234.56", "1234.56"), ("-0,25", "-0.25"),
        ("\u{2212}1,5", "-1.50"), ("0", "0.00"), ("12 345 678,9", "12345678.90"),
    ])
    func decimalAccepted(text: String, canonical: String) throws {
        let number = try DecimalNumber.parse(text, decimals: 2).get()
        #expect(number.canonical == canonical)
        #expect(number.decimals == 2)
        #expect(number.value.scale == 2)
    }

    @Test(arguments: ["2,805", "2.805", "2,800", "0,001"])
    func decimalTooManyDecimalsIsNeverRounded(text: String) {
        guard case .failure(let error) = DecimalNumber.parse(text, decimals: 2) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(error == ValueError(code: "too-many-decimals", message: "Ange högst 2 decimaler, till exempel 2,80."))
    }

    @Test func tooManyDecimalsMessagesByPrecision() {
        let one = DecimalNumber.parse("2,85", decimals: 1)
        #expect(one == .failure(ValueError(code: "too-many-decimals", message: "Ange högst 1 decimal, till exempel 2,8.")))
        let none = DecimalNumber.parse("2,5", decimals: 0)
        guard case .failure(let error) = none else {
            Issue.record("accepted a decimal for zero decimals")
            return
        }
        #expect(error.code == "too-many-decimals")
        let three = DecimalNumber.parse("2,8055", decimals: 3)
        #expect(three == .failure(ValueError(code: "too-many-decimals", message: "Ange högst 3 decimaler, till exempel 2,800.")))
    }

    @Test(arguments: [
        "", "två", "2,80 st", "2,80 kr", "2,8,0", "1.127.386", "1,127.5", "2 ,80", "2, 80", ",80", "2,", "2,8e1",
        "2..8", "2,8-", "1 23,4",
    ])
    func decimalRejected(text: String) {
        guard case .failure(let error) = DecimalNumber.parse(text, decimals: 2) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(error.code == "invalid-decimal")
        #expect(error.message == "Ange ett tal med decimalkomma, till exempel 2,80.")
    }

    @Test func decimalFormatting() throws {
        let posts = try DecimalNumber.parse("2.8", decimals: 2).get()
        #expect(posts.formatted == "2,80")
        #expect(posts.canonical == "2.80")
        #expect(posts.description == "2.80")
        let large = try DecimalNumber.parse("1234567,5", decimals: 2).get()
        #expect(large.formatted == "1 234 567,50")
        #expect(large.formatted(groupSeparator: "\u{00A0}") == "1\u{00A0}234\u{00A0}567,50")
        let negative = try DecimalNumber.parse("-1234,5", decimals: 1).get()
        #expect(negative.formatted == "-1 234,5")
        let whole = try DecimalNumber.parse("3", decimals: 0).get()
        #expect(whole.formatted == "3")
        #expect(whole.canonical == "3")
    }

    @Test(arguments: ["2,80", "0,05", "-12 345,67", "100"])
    func decimalRoundTrip(text: String) throws {
        let number = try DecimalNumber.parse(text, decimals: 2).get()
        #expect(try DecimalNumber.parse(number.formatted, decimals: 2).get() == number)
        #expect(try DecimalNumber.parse(number.canonical, decimals: 2).get() == number)
        #expect(DecimalNumber(ExactDecimal(canonical: number.canonical)!, decimals: 2) == number)
    }

    @Test func decimalEqualityIsByValue() throws {
        let a = try DecimalNumber.parse("2,8", decimals: 1).get()
        let b = try DecimalNumber.parse("2,80", decimals: 2).get()
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.decimals == 1 && b.decimals == 2)
        #expect(try DecimalNumber.parse("2,79", decimals: 2).get() < b)
    }

    @Test func decimalInitRefusesToLoseDigits() {
        #expect(DecimalNumber(ExactDecimal(canonical: "2.805")!, decimals: 2) == nil)
        #expect(DecimalNumber(ExactDecimal(canonical: "2.800")!, decimals: 2)?.canonical == "2.80")
        #expect(DecimalNumber(ExactDecimal(1), decimals: 19) == nil)
    }

    @Test func formattingRoundsOnlyForDisplay() {
        #expect(SwedishNumber.format(ExactDecimal(canonical: "2.805")!, decimals: 2) == "2,81")
        #expect(SwedishNumber.format(ExactDecimal(canonical: "-2.805")!, decimals: 2) == "-2,81")
        #expect(SwedishNumber.format(ExactDecimal(canonical: "1127386.4")!, decimals: 0) == "1 127 386")
        #expect(SwedishNumber.format(ExactDecimal(canonical: "-0.001")!, decimals: 2) == "0,00")
        #expect(SwedishNumber.format(ExactDecimal(canonical: "2.8")!, decimals: 3) == "2,800")
    }

    @Test func parseDecimalKeepsTypedScale() throws {
        let value = try SwedishNumber.parseDecimal("2,8", maximumDecimals: 2).get()
        #expect(value.scale == 1)
        #expect(value == ExactDecimal(canonical: "2.80")!)
    }
}
