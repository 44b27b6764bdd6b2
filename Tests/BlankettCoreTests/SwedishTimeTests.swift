import Foundation
import Testing
@testable import BlankettCore

@Suite struct SwedishTimeTests {
    /// UTC text → Swedish local time, around both changes of 2021 and midnight.
    @Test(arguments: [
        ("2021-01-04T09:15:00Z", "2021-01-04 kl. 10:15"),
        // Summer time starts 2021-03-28 01:00 UTC: 02:00 CET becomes 03:00 CEST.
        ("2021-03-28T00:59:00Z", "2021-03-28 kl. 01:59"),
        ("2021-03-28T01:00:00Z", "2021-03-28 kl. 03:00"),
        ("2021-03-28T01:30:00Z", "2021-03-28 kl. 03:30"),
        ("2021-06-01T09:15:00Z", "2021-06-01 kl. 11:15"),
        // It ends 2021-10-31 01:00 UTC: 03:00 CEST becomes 02:00 CET, so 02:xx happens twice.
        ("2021-10-31T00:59:00Z", "2021-10-31 kl. 02:59"),
        ("2021-10-31T01:00:00Z", "2021-10-31 kl. 02:00"),
        // Past midnight in Sweden while still the day before in UTC.
        ("2021-06-30T23:30:00Z", "2021-07-01 kl. 01:30"),
        ("2020-12-31T23:30:00Z", "2021-01-01 kl. 00:30"),
        ("2021-06-30T21:59:59Z", "2021-06-30 kl. 23:59"),
    ])
    func localTime(utc: String, swedish: String) throws {
        #expect(try #require(SwedishTime(iso: utc)).description == swedish)
    }

    @Test func offsetFollowsTheEURule() throws {
        #expect(try #require(SwedishTime(iso: "2021-03-28T00:59:59Z")).utcOffsetMinutes == 60)
        #expect(try #require(SwedishTime(iso: "2021-03-28T01:00:00Z")).utcOffsetMinutes == 120)
        #expect(try #require(SwedishTime(iso: "2021-10-31T00:59:59Z")).utcOffsetMinutes == 120)
        #expect(try #require(SwedishTime(iso: "2021-10-31T01:00:00Z")).utcOffsetMinutes == 60)
        // The last Sunday of March 2020 was the 29th.
        #expect(try #require(SwedishTime(iso: "2020-03-28T12:00:00Z")).isSummerTime == false)
        #expect(try #require(SwedishTime(iso: "2020-03-29T01:00:00Z")).isSummerTime)
    }

    @Test func theLongFormNamesUTCAndItsDateWhenItDiffers() throws {
        #expect(try #require(SwedishTime(iso: "2021-03-28T01:30:00Z")).descriptionWithUTC == "2021-03-28 kl. 03:30 svensk tid (01:30 UTC)")
        #expect(try #require(SwedishTime(iso: "2021-01-04T09:15:00Z")).descriptionWithUTC == "2021-01-04 kl. 10:15 svensk tid (09:15 UTC)")
        #expect(try #require(SwedishTime(iso: "2021-06-30T23:30:00Z")).descriptionWithUTC == "2021-07-01 kl. 01:30 svensk tid (2021-06-30 23:30 UTC)")
    }

    @Test(arguments: ["2021-01-04T09:15:00Z", "2021-01-04 09:15:00Z", "2021-01-04T09:15Z", "2021-01-04T09:15:00.123456Z"])
    func readsTheStoredForms(text: String) throws {
        #expect(try #require(SwedishTime(iso: text)).description == "2021-01-04 kl. 10:15")
    }

    @Test(arguments: ["igår", "", "2021-01-04T09:15:00", "2021-01-04T09:15:00+01:00", "2021-01-04T24:00:00Z", "2021-01-04T09:60Z",
                      "2021-02-30T09:15:00Z", "2021-01-04T09:15:0Z", "2021-01-04T09:15:00.Z", "2021-01-04T09:15:00xZ"])
    func refusesAnythingElse(text: String) {
        #expect(SwedishTime(iso: text) == nil)
    }

    @Test func todayIsTheSwedishDate() throws {
        // 23:30 UTC on 30 June is already 1 July in Sweden.
        #expect(try #require(FixedClock(iso: "2021-06-30T23:30:00Z")).swedishToday() == LocalDate(year: 2021, month: 7, day: 1))
        #expect(try #require(FixedClock(iso: "2021-06-30T21:59:00Z")).swedishToday() == LocalDate(year: 2021, month: 6, day: 30))
        // New Year's Eve, 23:00 UTC: the next year has begun.
        #expect(try #require(FixedClock(iso: "2020-12-31T23:00:00Z")).swedishToday() == LocalDate(year: 2021, month: 1, day: 1))
    }

    @Test func instantsBeforeTheEpochAndFractionsOfSeconds() {
        #expect(SwedishTime(Date(timeIntervalSince1970: -1)).description == "1970-01-01 kl. 00:59")
        #expect(SwedishTime(Date(timeIntervalSince1970: 1_616_895_000.9)).description == "2021-03-28 kl. 03:30")
    }
}
