import Testing
@testable import BlankettCore

/// Luhn-checked numbers and postnummer.
@Suite struct IdentifierValuesTests {
    // MARK: Luhn

    @Test(arguments: ["2120002882", "6241061", "4123451", "50501055", "5560360793", "79927398713", "0", "18"])
    func luhnValid(digits: String) {
        #expect(Luhn.isValid(digits.utf8.map { $0 - 0x30 }))
    }

    @Test(arguments: ["2120002883", "6241062", "4123456", "2120002828", "79927398710", "1"])
    func luhnInvalid(digits: String) {
        #expect(!Luhn.isValid(digits.utf8.map { $0 - 0x30 }))
    }

    @Test func luhnCheckDigit() {
        #expect(Luhn.checkDigit(for: [2, 1, 2, 0, 0, 0, 2, 8, 8]) == 2)
        #expect(Luhn.checkDigit(for: [6, 2, 4, 1, 0, 6]) == 1)
        #expect(Luhn.checkDigit(for: [4, 1, 2, 3, 4, 5]) == 1)
        #expect(!Luhn.isValid([UInt8]()))
    }

    // MARK: Organisationsnummer

    @Test(arguments: [
        "212000-2882", "2120002882", " 212000-2882 ", "212000 2882", "212000 - 2882", "212000\u{2013}2882",
        "16212000-2882", "162120002882", "16 212000-2882", "556036-0793",
    ])
    func organisationsnummerAccepted(text: String) throws {
        let number = try Organisationsnummer.parse(text).get()
        #expect(number.formatted == (text.contains("556") ? "556036-0793" : "212000-2882"))
        #expect(number.canonical == number.formatted)
        #expect(try Organisationsnummer.parse(number.formatted).get() == number)
    }

    @Test func botkyrkaOrganisationsnummer() throws {
        let number = try Organisationsnummer.parse("212000-2882").get()
        #expect(number.digits == "2120002882")
        #expect(number.description == "212000-2882")
    }

    @Test(arguments: [
        "", "21200-2882", "2120002-882", "212000-28822", "21200028", "212000--2882", "212000-2882-1",
        "19212000-2882", "20212000-2882", "1621200-02882", "SE2120002882", "212000/2882", "abc",
        "2120002882012",
    ])
    func organisationsnummerMalformed(text: String) {
        #expect(Organisationsnummer.parse(text) == .failure(ValueError(
            code: "invalid-organisationsnummer",
            message: "Ange organisationsnumret med tio siffror, till exempel 212000-2882."
        )))
    }

    @Test(arguments: ["212000-2883", "212000-2828", "2120002880", "16212000-2881", "556036-0794"])
    func organisationsnummerChecksum(text: String) {
        #expect(Organisationsnummer.parse(text) == .failure(ValueError(
            code: "checksum",
            message: "Kontrollsiffran stämmer inte. Kontrollera organisationsnumret (till exempel 212000-2882)."
        )))
    }

    // MARK: Bankgiro

    @Test(arguments: [
        ("624-1061", "624-1061"), ("6241061", "624-1061"), (" 624 1061 ", "624-1061"), ("624\u{2013}1061", "624-1061"),
        ("5050-1055", "5050-1055"), ("50501055", "5050-1055"), ("5050 - 1055", "5050-1055"),
    ])
    func bankgiroAccepted(text: String, formatted: String) throws {
        let bankgiro = try Bankgiro.parse(text).get()
        #expect(bankgiro.formatted == formatted)
        #expect(bankgiro.canonical == formatted)
        #expect(try Bankgiro.parse(bankgiro.formatted).get() == bankgiro)
    }

    @Test func botkyrkaBankgiroPassesLuhn() throws {
        #expect(try Bankgiro.parse("624-1061").get().digits == "6241061")
    }

    @Test(arguments: ["", "624-106", "62-41061", "6241-061", "624106", "505010555", "624-1061-1", "bg 624-1061", "624.1061"])
    func bankgiroMalformed(text: String) {
        guard case .failure(let error) = Bankgiro.parse(text) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(error.code == "invalid-bankgiro")
    }

    @Test(arguments: ["624-1062", "624-1060", "5050-1056", "642-1061"])
    func bankgiroChecksum(text: String) {
        #expect(Bankgiro.parse(text) == .failure(ValueError(
            code: "checksum",
            message: "Kontrollsiffran stämmer inte. Kontrollera bankgironumret (till exempel 624-1061)."
        )))
    }

    // MARK: Plusgiro

    @Test(arguments: [
        ("412345-1", "412345-1"), ("4123451", "412345-1"), ("41 23 45-1", "412345-1"), ("90 01 22-3", "900122-3"),
        ("1-8", "1-8"), ("18", "1-8"), ("1234567-4", "1234567-4"),
    ])
    func plusgiroAccepted(text: String, formatted: String) throws {
        let plusgiro = try Plusgiro.parse(text).get()
        #expect(plusgiro.formatted == formatted)
        #expect(try Plusgiro.parse(plusgiro.formatted).get() == plusgiro)
    }

    @Test(arguments: ["", "1", "123456789-7", "41234-51", "4123-451", "pg 412345-1", "41234a-1"])
    func plusgiroMalformed(text: String) {
        guard case .failure(let error) = Plusgiro.parse(text) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(error.code == "invalid-plusgiro")
    }

    @Test(arguments: ["412345-6", "412345-0", "19", "900122-4"])
    func plusgiroChecksum(text: String) {
        guard case .failure(let error) = Plusgiro.parse(text) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(error.code == "checksum")
    }

    // MARK: Postnummer

    @Test(arguments: [
        "147 85", "14785", "SE-147 85", "se-14785", "SE 147 85", "SE14785", "S-147 85", " 147 85 ",
        "147\u{00A0}85", "147\u{2009}85",
    ])
    func postnummerAccepted(text: String) throws {
        let postnummer = try Postnummer.parse(text).get()
        #expect(postnummer.formatted == "147 85")
        #expect(postnummer.digits == "14785")
        #expect(try Postnummer.parse(postnummer.formatted).get() == postnummer)
    }

    @Test(arguments: ["", "1478", "147855", "047 85", "1478 5", "14 785", "147  85", "147-85", "DK-147 85", "abcde", "147 8S"])
    func postnummerRejected(text: String) {
        #expect(Postnummer.parse(text) == .failure(ValueError(
            code: "invalid-postnummer",
            message: "Ange postnumret med fem siffror, till exempel 147 85."
        )))
    }
}
