import BlankettCore
import BlankettDispatch
import BlankettMail
import BlankettPostgres
import BlankettTestSupport
import BlankettWeb
import Testing

/// Reminders at 14, 7 and 1 days before the deadline, each once per case,
/// however often the job runs.
@Suite struct DeadlineReminderTests {
    @Test func eachThresholdIsRemindedOnce() async throws {
        let site = try await WebPageTests.site()
        let editorID = try #require(try await site.services.directory.user(email: site.emails[.editor]!)).user.id
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        let reminders = DeadlineReminders(pool: site.pool, sender: try MailAddress("blankett@botkyrka.example"))
        func day(_ month: Int, _ day: Int, _ year: Int = 2021) -> LocalDate { LocalDate(year: year, month: month, day: day)! }
        // The deadline is 2021-01-15.
        for (today, expected) in [
            (day(12, 31, 2020), 0), (day(1, 1), 1), (day(1, 1), 0), (day(1, 2), 0),
            (day(1, 8), 1), (day(1, 8), 0), (day(1, 14), 1), (day(1, 14), 0), (day(1, 15), 0),
        ] {
            #expect(try await reminders.run(today: today) == expected, "\(today)")
        }
        let messages = try await Outbox(pool: site.pool).messages(caseID: record.id)
        #expect(messages.count == 3)
        #expect(messages.allSatisfy { $0.kind == .reminder })
        #expect(messages.first?.recipient.contains(site.emails[.editor]!) == true)
        #expect(messages.first?.recipient.contains(site.emails[.signatory]!) == true)
        #expect(messages.first?.recipient.contains(site.emails[.secretary]!) == false)
        #expect(try await site.pool.query("SELECT array_agg(days_before ORDER BY days_before DESC)::text FROM case_reminders").single().decode(String.self, at: 0) == "{14,7,1}")
        await site.pool.close()
    }

    /// At 23:30 UTC on 2021-01-07 it is already the 8th in Sweden: seven
    /// days before the deadline, not eight. The message is dated in Swedish time.
    @Test func todayIsTheSwedishDate() async throws {
        let site = try await WebPageTests.site()
        let editorID = try #require(try await site.services.directory.user(email: site.emails[.editor]!)).user.id
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        let clock = try #require(FixedClock(iso: "2021-01-07T23:30:00Z"))
        let reminders = DeadlineReminders(pool: site.pool, sender: try MailAddress("blankett@botkyrka.example"), clock: clock)
        #expect(try await reminders.run(today: clock.swedishToday()) == 1)
        #expect(try await site.pool.query("SELECT days_before FROM case_reminders").single().decode(Int.self, at: 0) == 7)
        let message = try await site.pool.query("SELECT convert_from(message, 'UTF8') FROM outbox WHERE case_id = \(record.id)::uuid").single().decode(String.self, at: 0)
        #expect(message.contains("Date: Fri, 8 Jan 2021 00:30:00 +0100"))
        await site.pool.close()
    }

    @Test func aSentCaseIsNotReminded() async throws {
        let site = try await WebPageTests.site()
        let editorID = try #require(try await site.services.directory.user(email: site.emails[.editor]!)).user.id
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        try await site.pool.query("UPDATE cases SET state = 'sent' WHERE id = \(record.id)::uuid")
        let reminders = DeadlineReminders(pool: site.pool, sender: try MailAddress("blankett@botkyrka.example"))
        #expect(try await reminders.run(today: LocalDate(year: 2021, month: 1, day: 14)!) == 0)
        await site.pool.close()
    }
}
