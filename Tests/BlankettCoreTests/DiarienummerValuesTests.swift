import Testing
@testable import BlankettCore

@Suite struct DiarienummerValuesTests {
    @Test(arguments: [
        ("SN 2021:1", Diarienummer.Dialect.namnd, "SN 2021:1", 2021),
        ("KS 2020:15", .namnd, "KS 2020:15", 2020),
        ("SN 2021:00001", .namnd, "SN 2021:1", 2021),
        ("SN 2020:00501", .namnd, "SN 2020:501", 2020),
        ("sn 2021:8", .namnd, "SN 2021:8", 2021),
        ("SN2021:8", .namnd, "SN 2021:8", 2021),
        ("SN\u{00A0}2021:8", .namnd, "SN 2021:8", 2021),
        ("Dnr SN 2021:8", .namnd, "SN 2021:8", 2021),
        ("dnr. SN 2020:548", .namnd, "SN 2020:548", 2020),
        ("HSL 2017:30", .namnd, "HSL 2017:30", 2017),
        ("än 2019:3", .namnd, "ÄN 2019:3", 2019),
        ("821-12345-2020", .lansstyrelsen, "821-12345-2020", 2020),
        ("821-12345-2020/2021", .lansstyrelsen, "821-12345-2020/2021", 2020),
        ("821\u{2013}12345\u{2013}2019/2020", .lansstyrelsen, "821-12345-2019/2020", 2019),
        ("Dnr: 821-1-2020", .lansstyrelsen, "821-1-2020", 2020),
        ("16570/2020", .socialstyrelsen, "16570/2020", 2020),
        (" 16571/2020 ", .socialstyrelsen, "16571/2020", 2020),
        ("Dnr 36062/2018", .socialstyrelsen, "36062/2018", 2018),
    ])
    func accepted(text: String, dialect: Diarienummer.Dialect, formatted: String, year: Int) throws {
        let number = try Diarienummer.parse(text).get()
        #expect(number.dialect == dialect)
        #expect(number.formatted == formatted)
        #expect(number.canonical == formatted)
        #expect(number.year == year)
        #expect(try Diarienummer.parse(formatted).get() == number)
        #expect(try Diarienummer.parse(text, dialect: dialect).get() == number)
    }

    @Test(arguments: [
        "", "SN", "SN 2021", "SN 2021:", "SN 2021:0", "SN 21:1", "SN 2021:1a", "SN-2021:1", "S N 2021:1",
        "SN 2021 :1", "SN 1899:1", "ABCDEFG 2021:1", "SN 2021:1234567890", "Dnr", "DnrSN 2021:1",
        "821-________-2019/2020", "821-12345-20", "82-12345-2020", "821-12345-2020/2019", "821-12345-2020/",
        "821-12345-2020/2021/2022", "821-12345678-2020", "16570/20", "16570-2020", "12345678/2020", "16570/2020/2021",
        "3.5.1-52009/2020-1", "52009/2020-1", "16570 / 2020",
    ])
    func rejected(text: String) {
        #expect(Diarienummer.parse(text) == .failure(ValueError(
            code: "invalid-diarienummer",
            message: "Ange diarienumret som till exempel SN 2021:1, 821-12345-2020 eller 16570/2020."
        )))
    }

    @Test(arguments: [
        ("SN 2021:1", Diarienummer.Dialect.socialstyrelsen, "Ange diarienumret som till exempel 16570/2020."),
        ("16570/2020", .lansstyrelsen, "Ange diarienumret som till exempel 821-12345-2020."),
        ("821-12345-2020", .namnd, "Ange diarienumret som till exempel SN 2021:1."),
    ])
    func wrongDialect(text: String, dialect: Diarienummer.Dialect, message: String) {
        #expect(Diarienummer.parse(text, dialect: dialect) == .failure(ValueError(code: "invalid-diarienummer", message: message)))
    }

    @Test func sameCaseWrittenTwoWaysIsEqual() throws {
        #expect(try Diarienummer.parse("SN 2021:1").get() == Diarienummer.parse("SN 2021:00001").get())
    }
}
