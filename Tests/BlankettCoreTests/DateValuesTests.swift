import Testing
@testable import BlankettCore

@Suite struct DateValuesTests {
    @Test(arguments: [
        "2021-01-04", "2021-1-4", "2021-01-4", "2021-1-04", "20210104", " 2021-01-04 ", "2021\u{2013}01\u{2013}04",
    ])
    func accepted(text: String) throws {
        #expect(try LocalDate.parse(text).get() == LocalDate(year: 2021, month: 1, day: 4)!)
    }

    @Test func leapDays() throws {
        #expect(try LocalDate.parse("2020-02-29").get() == LocalDate(year: 2020, month: 2, day: 29)!)
        #expect(try LocalDate.parse("20000229").get().description == "2000-02-29")
    }

    @Test(arguments: [
        "", "4/1 2021", "21-01-04", "2021/01/04", "2021.01.04", "2021-01", "2021-001-04", "2021-01-004", "202101041",
        "2021014", "2021-01-04T00:00", "4 januari 2021", "2021-01-04-", "-2021-01-04", "2021--01-04", "2021-01-04 12:00",
        "２０２１-01-04",
    ])
    func rejected(text: String) {
        #expect(LocalDate.parse(text) == .failure(ValueError(
            code: "invalid-date",
            message: "Ange datum som ÅÅÅÅ-MM-DD, till exempel 2021-01-04."
        )))
    }

    @Test(arguments: ["2021-02-29", "2021-13-01", "2021-00-10", "2021-04-31", "20210230", "0000-01-01", "2100-02-29"])
    func nonexistent(text: String) {
        #expect(LocalDate.parse(text) == .failure(ValueError(
            code: "invalid-date",
            message: "Datumet finns inte. Ange datum som ÅÅÅÅ-MM-DD, till exempel 2021-01-04."
        )))
    }

    @Test(arguments: [
        (2021, 1, 4, "4 januari 2021"), (2020, 12, 31, "31 december 2020"), (2021, 5, 1, "1 maj 2021"),
        (2021, 3, 15, "15 mars 2021"), (2019, 8, 9, "9 augusti 2019"),
    ])
    func swedishLongFormat(year: Int, month: Int, day: Int, text: String) {
        #expect(LocalDate(year: year, month: month, day: day)!.swedishLongFormat == text)
    }

    @Test(arguments: ["2021-01-04", "2020-12-31", "1999-07-15"])
    func roundTrip(text: String) throws {
        let date = try LocalDate.parse(text).get()
        #expect(date.description == text)
        #expect(LocalDate(iso: text) == date)
    }

    /// Years outside 0…9999 only come from day arithmetic; they are written padded as before.
    @Test func descriptionPadsEveryYear() {
        #expect(LocalDate(year: 7, month: 3, day: 9)!.description == "0007-03-09")
        #expect(LocalDate(daysSinceEpoch: -719_528).description == "0000-01-01")
        #expect(LocalDate(daysSinceEpoch: -719_893).description == "00-1-01-01")
        #expect(LocalDate(daysSinceEpoch: 2_932_897).description == "10000-01-01")
    }
}
