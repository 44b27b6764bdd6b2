import BlankettCore
import BlankettPostgres
import BlankettWeb
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The pages count days and show times the Swedish way, whatever the
/// server's zone: the case page's audit trail across the change to summer
/// time, deadlines and a diarienummer's year around midnight UTC.
@Suite struct SwedishTimeWebTests {
    typealias Browser = WebPageTests.Browser

    /// The site's application with its clock stopped at `iso`.
    static func application(_ site: WebPageTests.Site, at iso: String) throws -> some ApplicationProtocol {
        var services = site.services
        services.clock = try #require(FixedClock(iso: iso))
        return buildApplication(configuration: WebConfiguration(port: 0), pool: site.pool, migrator: site.migrator, services: services, logger: Logger(label: "test"))
    }

    /// Summer time began 2021-03-28 at 01:00 UTC (02:00 CET became 03:00
    /// CEST): events a minute before and half an hour after show as 01:59 and 03:30.
    @Test func theAuditTrailShowsSwedishTimeAcrossTheChangeToSummerTime() async throws {
        let site = try await WebPageTests.site()
        let editorID = try await CaseMailTests.userID(site, .editor)
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        // Events take their time from PostgreSQL's now(); these are written as if made then (the table refuses only changes).
        for at in ["2021-03-28T00:59:00Z", "2021-03-28T01:30:00Z"] {
            try await site.pool.query("""
                INSERT INTO case_events (case_id, organisation_id, actor_id, actor_name, at, kind)
                VALUES (\(record.id)::uuid, \(site.botkyrka)::uuid, \(editorID)::uuid, 'Person editor', \(at)::timestamptz, 'recall')
                """)
        }
        try await site.application().test(.router) { client in
            var editor = Browser(client: client)
            _ = try await editor.logIn(site.emails[.editor]!)
            let page = try await editor.get("/cases/\(record.id)")
            #expect(page.1.contains("2021-03-28 kl. 01:59 – Person editor"))
            #expect(page.1.contains("2021-03-28 kl. 03:30 – Person editor"))
            #expect(!page.1.contains("UTC"))
        }
    }

    /// The round's last day is 2021-01-15. At 23:30 UTC on the 14th it is
    /// already the 15th in Sweden: no days left, not one.
    @Test func deadlinesCountSwedishDays() async throws {
        let site = try await WebPageTests.site()
        _ = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: try await CaseMailTests.userID(site, .editor))
        try await Self.application(site, at: "2021-01-14T23:30:00Z").test(.router) { client in
            var editor = Browser(client: client)
            _ = try await editor.logIn(site.emails[.editor]!)
            let dashboard = try await editor.get("/")
            #expect(dashboard.1.contains("2021-01-15 (0 dagar kvar)"))
        }
    }

    /// Registered at 00:30 on New Year's Day in Sweden (23:30 UTC the day
    /// before): the automatic diarienummer has the new year.
    @Test func anAutomaticDiarienummerHasTheSwedishYear() async throws {
        let site = try await WebPageTests.site()
        let record = try await CaseMailTests.signedCase(site)
        try await Self.application(site, at: "2020-12-31T23:30:00Z").test(.router) { client in
            var secretary = Browser(client: client)
            _ = try await secretary.logIn(site.emails[.secretary]!)
            let result = try await secretary.post("/cases/\(record.id)/do/register", [("diarienummer", ""), ("confirm", "ja")])
            #expect(result.0 == .seeOther, "\(result.1.prefix(2000))")
            let secretaryID = try await CaseMailTests.userID(site, .secretary)
            #expect(try await site.services.cases.find(record.id, for: secretaryID).workflow.namndDiarienummer?.formatted == "SN 2021:1")
        }
    }
}
