import BlankettCore
import BlankettPostgres
import BlankettTestSupport
import BlankettWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every page that takes a post, fed what a broken client or an attacker
/// sends: a clear 4xx, no internals in the answer, and nothing changed.
@Suite struct HardEdgeTests {
    /// Rows of every table a post could change.
    static func fingerprint(_ pool: PostgresConnectionPool) async throws -> [Int] {
        var counts: [Int] = []
        for table in ["cases", "case_events", "case_answer_versions", "case_signatures", "memberships", "users", "namnder", "organisations", "round_prefills", "outbox"] {
            counts.append(try await pool.query("SELECT count(*) FROM \(unsafeSQL: table)").single().decode(Int.self, at: 0))
        }
        return counts
    }

    @Test func everyPostRefusesOversizedAndMalformedBodiesAndChangesNothing() async throws {
        let site = try await WebPageTests.site()
        let editorID = try #require(try await site.services.directory.user(email: site.emails[.editor]!)).user.id
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        let routes = [
            "/cases", "/cases/\(record.id)/steps/kontaktuppgifter", "/cases/\(record.id)/do/mark_ready", "/cases/\(record.id)/do/return",
            "/cases/\(record.id)/messages/1/resend", "/admin/\(site.botkyrka)/users", "/admin/\(site.botkyrka)/users/\(editorID)/roles",
            "/admin/\(site.botkyrka)/namnder", "/admin/\(site.botkyrka)/units", "/admin/\(site.botkyrka)/rounds/\(site.roundID)/prefill", "/logout",
        ]
        // An administrator who is also editor and secretary reaches every route.
        try await site.services.directory.grant([.editor, .secretary], userID: try #require(try await site.services.directory.user(email: site.emails[.admin]!)).user.id, organisationID: site.botkyrka)
        let before = try await Self.fingerprint(site.pool)
        try await site.application().test(.router) { client in
            var browser = WebPageTests.Browser(client: client)
            _ = try await browser.logIn(site.emails[.admin]!)
            let csrf = "csrf=\(browser.csrf)&"
            let bodies: [(String, String, Set<HTTPResponse.Status>)] = [
                ("oversized", csrf + "comment=" + String(repeating: "x", count: 600 * 1024), [.contentTooLarge]),
                ("a broken escape", csrf + "version=1&kommun=%ZZ", [.badRequest]),
                ("invalid UTF-8", csrf + "version=1&kommun=%C3%28", [.badRequest]),
            ]
            for route in routes {
                for (what, body, statuses) in bodies {
                    let response = try await client.execute(uri: route, method: .post, headers: [.cookie: browser.cookie, .contentType: "application/x-www-form-urlencoded"],
                                                            body: ByteBuffer(string: body))
                    let text = String(buffer: response.body)
                    #expect(statuses.contains(response.status), "\(route) \(what): \(response.status) \(text.prefix(200))")
                    #expect(text.contains("har inte sparats"), "\(route) \(what): says nothing was saved")
                    #expect(!text.contains("SELECT") && !text.contains("PostgreSQL") && !text.contains(".swift:"), "\(route) \(what): no internals")
                }
            }
            // Garbage in paths is "not found", never an error page of the server.
            for path in ["/cases/%00", "/cases/'%3B%20DROP%20TABLE%20cases", "/cases/\(record.id)/steps/%3Cscript%3E", "/admin/%27", "/verify/" + String(repeating: "A", count: 5000)] {
                let response = try await browser.get(path)
                #expect(response.0 == .notFound, "\(path): \(response.0)")
            }
            #expect(try await Self.fingerprint(site.pool) == before, "nothing was written")
        }
    }

    @Test func whatPeopleTypeIsEscapedEverywhereItIsShown() async throws {
        let site = try await WebPageTests.site()
        let editorID = try #require(try await site.services.directory.user(email: site.emails[.editor]!)).user.id
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        let script = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"
        _ = try await site.services.cases.saveAnswers(record.id, step: "kontaktuppgifter", answers: .object(["kommun": .string(script), "avdelning": .string(script)]),
                                                      baseVersion: record.answersVersion, by: editorID)
        try await site.application().test(.router) { client in
            var editor = WebPageTests.Browser(client: client)
            _ = try await editor.logIn(site.emails[.editor]!)
            for path in ["/cases/\(record.id)/steps/kontaktuppgifter?kontroll=1", "/cases/\(record.id)/review", "/cases/\(record.id)"] {
                let page = try await editor.get(path)
                #expect(page.0 == .ok, "\(path)")
                #expect(!page.1.contains("<script>alert") && !page.1.contains("<img src=x"), "\(path) shows the answer escaped")
            }
            #expect(try await editor.get("/cases/\(record.id)/steps/kontaktuppgifter").1.contains("&lt;script&gt;"))
        }
    }
}
