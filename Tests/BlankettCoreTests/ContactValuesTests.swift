import Testing
@testable import BlankettCore

/// Telephone numbers and e-mail addresses.
@Suite struct ContactValuesTests {
    // MARK: Phone numbers

    @Test(arguments: [
        ("08-530 610 00", "08-530 610 00"),
        ("0853061000", "08-530 610 00"),
        ("08 - 530 610 00", "08-530 610 00"),
        ("(08) 530 610 00", "08-530 610 00"),
        ("08/530 610 00", "08-530 610 00"),
        ("08.530.610.00", "08-530 610 00"),
        ("+46 8 530 610 00", "08-530 610 00"),
        ("+46853061000", "08-530 610 00"),
        ("0046 8 530 610 00", "08-530 610 00"),
        ("+46 (0)8 530 610 00", "08-530 610 00"),
        ("+46 08 530 610 00", "08-530 610 00"),
        ("0734218522", "073-421 85 22"),
        ("073-421 85 22", "073-421 85 22"),
        ("+46 73 421 85 22", "073-421 85 22"),
        ("070\u{2013}123\u{00A0}45\u{00A0}67", "070-123 45 67"),
        ("010-223 17 61", "010-223 17 61"),
        ("010-223 10 00", "010-223 10 00"),
        ("08-12 34 56", "08-12 34 56"),
        ("08-123 45 67", "08-123 45 67"),
        ("031-123 45", "031-123 45"),
        ("031-123 45 67", "031-123 45 67"),
        ("020-12 34 56", "020-12 34 56"),
        ("0520-49 40 00", "0520-49 40 00"),
        ("0980-123 45", "0980-123 45"),
        ("0771-567 567", "0771-56 75 67"),
        (" 018-727 00 00 ", "018-727 00 00"),
    ])
    func phoneAccepted(text: String, formatted: String) throws {
        let phone = try PhoneNumber.parse(text).get()
        #expect(phone.formatted == formatted)
        #expect(phone.canonical == formatted)
        #expect(try PhoneNumber.parse(phone.formatted).get() == phone)
        #expect(try PhoneNumber.parse(phone.international).get() == phone)
        #expect(try PhoneNumber.parse(phone.e164).get() == phone)
    }

    @Test func phoneParts() throws {
        let stockholm = try PhoneNumber.parse("08-530 610 00").get()
        #expect(stockholm.national == "0853061000")
        #expect(stockholm.areaCode == "08")
        #expect(stockholm.subscriberNumber == "53061000")
        #expect(stockholm.international == "+46 8 530 610 00")
        #expect(stockholm.e164 == "+46853061000")
        #expect(!stockholm.isMobile)
        let mobile = try PhoneNumber.parse("0734218522").get()
        #expect(mobile.isMobile)
        #expect(mobile.areaCode == "073")
        #expect(mobile.international == "+46 73 421 85 22")
        #expect(try PhoneNumber.parse("0520-49 40 00").get().areaCode == "0520")
    }

    @Test(arguments: [
        "", "530 610 00", "08-530 610 00 vx", "tel 08-530 610 00", "0853061000x", "+45 33 12 34 56", "004533123456",
        "073-421 85 2", "07342185221", "0812345", "00853061000", "+46", "0520-1234", "++46853061000",
        "08 530 610 00 00", "0046", "8-530 610 00", "08-530 610 00#", "08-530+610 00",
    ])
    func phoneRejected(text: String) {
        #expect(PhoneNumber.parse(text) == .failure(ValueError(
            code: "invalid-phone",
            message: "Ange ett svenskt telefonnummer med riktnummer, till exempel 08-530 610 00."
        )))
    }

    // MARK: E-mail

    @Test(arguments: [
        ("kontakt@botkyrka.se", "kontakt@botkyrka.se"),
        (" Anna.Svensson@Botkyrka.SE ", "Anna.Svensson@botkyrka.se"),
        ("a@b.co", "a@b.co"),
        ("x+tag@sub.domain.se", "x+tag@sub.domain.se"),
        ("förnamn.efternamn@ÅRE.SE", "förnamn.efternamn@åre.se"),
        ("o'brien@example.com", "o'brien@example.com"),
        ("info@123.example.se", "info@123.example.se"),
        ("a@b-c.se", "a@b-c.se"),
    ])
    func emailAccepted(text: String, address: String) throws {
        let email = try EmailAddress.parse(text).get()
        #expect(email.address == address)
        #expect(email.formatted == address)
        #expect(email.canonical == address)
        #expect(try EmailAddress.parse(email.address).get() == email)
    }

    @Test func emailParts() throws {
        let email = try EmailAddress.parse("Anna@Botkyrka.se").get()
        #expect(email.localPart == "Anna")
        #expect(email.domain == "botkyrka.se")
    }

    @Test(arguments: [
        "", "kontakt", "kontakt@", "@botkyrka.se", "a@b", "a@@b.se", "a@b@c.se", "a b@c.se", "a@b .se",
        "a@b..se", "a@.b.se", "a@b.se.", ".a@b.se", "a.@b.se", "a..b@c.se", "a@-b.se", "a@b-.se", "a@b.s",
        "a@1.23", "Anna <a@b.se>", "a@b_c.se", "a,b@c.se", "a\u{0}b@c.se", "a@b.se\u{200B}",
        String(repeating: "a", count: 65) + "@b.se",
        "a@" + String(repeating: "b", count: 64) + ".se",
        "a@" + Array(repeating: String(repeating: "b", count: 60), count: 5).joined(separator: ".") + ".se",
    ])
    func emailRejected(text: String) {
        #expect(EmailAddress.parse(text) == .failure(ValueError(
            code: "invalid-email",
            message: "Ange en e-postadress, till exempel namn@kommun.se."
        )))
    }

    @Test func emailAtLengthLimits() throws {
        let local = String(repeating: "a", count: 64)
        #expect(try EmailAddress.parse(local + "@b.se").get().localPart == local)
        // 64 + 1 + 189 = 254 bytes.
        let domain = Array(repeating: String(repeating: "b", count: 60), count: 3).joined(separator: ".") + "." + String(repeating: "c", count: 6)
        #expect(domain.utf8.count == 189)
        #expect(try EmailAddress.parse(local + "@" + domain).get().address.utf8.count == 254)
        #expect(throws: ValueError.self) { try EmailAddress.parse(local + "@" + domain + "c").get() }
    }
}
