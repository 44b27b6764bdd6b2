import BlankettCore
import BlankettPostgres
import BlankettTestSupport
@testable import BlankettWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// One's own password against a real PostgreSQL: changing it with the
/// current one, and resetting it by a one-time link through the outbox.
@Suite struct OwnPasswordTests {
    static let newPassword = "ett helt nytt lösenord"

    typealias Browser = WebPageTests.Browser

    /// A page form post without a session, as a browser sends it.
    static func post(_ client: any TestClientProtocol, _ uri: String, _ fields: [(String, String)]) async throws -> (status: HTTPResponse.Status, body: String, location: String?) {
        let body = fields.map { "\(Browser.encode($0.0))=\(Browser.encode($0.1))" }.joined(separator: "&")
        let response = try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
        return (response.status, String(buffer: response.body), response.headers[.location])
    }

    static func get(_ client: any TestClientProtocol, _ uri: String) async throws -> (status: HTTPResponse.Status, body: String) {
        let response = try await client.execute(uri: uri, method: .get)
        return (response.status, String(buffer: response.body))
    }

    /// The queued reset mails: recipient and the parsed message.
    static func resetMails(_ pool: PostgresConnectionPool) async throws -> [(recipient: String, mail: ParsedMail)] {
        let rows = try await pool.query("SELECT recipient, message FROM outbox WHERE kind = 'password_reset' ORDER BY id").map { row in
            (try row.decode(String.self, at: 0), try row.decode(PostgresBytes.self, at: 1).bytes)
        }
        return try rows.map { recipient, bytes in
            let file = ((try? TestCluster.workFolder) ?? NSTemporaryDirectory()) + "/reset-\(UUID().uuidString).eml"
            defer { try? FileManager.default.removeItem(atPath: file) }
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            return (recipient, try ParsedMail.parse(file: file))
        }
    }

    /// The token of the link in a reset mail's body.
    static func token(in body: String) throws -> String {
        let range = try #require(body.range(of: "http://127.0.0.1:8080/password/reset/"))
        return String(body[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    /// Asks for a link for the editor and returns its token.
    static func requestLink(_ site: WebPageTests.Site, _ client: any TestClientProtocol) async throws -> String {
        let answer = try await post(client, "/password/forgot", [("email", site.emails[.editor]!)])
        #expect(answer.status == .ok)
        let mail = try #require(try await resetMails(site.pool).last)
        return try token(in: mail.mail.body)
    }

    // MARK: Changing

    @Test func aWrongCurrentPasswordIs422AndCountsAsAFailedSignIn() async throws {
        let site = try await WebPageTests.site()
        try await site.application().test(.router) { client async throws in
            var browser = Browser(client: client)
            #expect(try await browser.logIn(site.emails[.editor]!) == .seeOther)
            let answer = try await browser.post("/account/password", [("current", "fel lösenord"), ("new", Self.newPassword), ("repeat", Self.newPassword)])
            #expect(answer.0 == .unprocessableContent)
            #expect(answer.1.contains("Det nuvarande lösenordet stämmer inte"))
            let failed = try await site.pool.query("SELECT attempts FROM login_throttle WHERE scope = 'address-client'").single().decode(Int.self, at: 0)
            #expect(failed == 1, "the wrong password counts in the sign-in limits")
            var other = Browser(client: client)
            #expect(try await other.logIn(site.emails[.editor]!) == .seeOther, "the old password still works")
        }
    }

    @Test func aNewPasswordMustBeLongRepeatedAndNew() async throws {
        let site = try await WebPageTests.site()
        try await site.application().test(.router) { client async throws in
            var browser = Browser(client: client)
            #expect(try await browser.logIn(site.emails[.editor]!) == .seeOther)
            let short = try await browser.post("/account/password", [("current", WebPageTests.password), ("new", "kort lösen"), ("repeat", "kort lösen")])
            #expect(short.0 == .unprocessableContent)
            #expect(short.1.contains("minst 12 tecken"))
            let different = try await browser.post("/account/password", [("current", WebPageTests.password), ("new", Self.newPassword), ("repeat", Self.newPassword + "x")])
            #expect(different.0 == .unprocessableContent)
            let same = try await browser.post("/account/password", [("current", WebPageTests.password), ("new", WebPageTests.password), ("repeat", WebPageTests.password)])
            #expect(same.0 == .unprocessableContent)
            let overlong = String(repeating: "x", count: 1_025)
            #expect(try await browser.post("/account/password", [("current", WebPageTests.password), ("new", overlong), ("repeat", overlong)]).0 == .unprocessableContent)
        }
    }

    @Test func aChangeSignsOutTheOtherSessionsButNotThisOne() async throws {
        let site = try await WebPageTests.site()
        try await site.application().test(.router) { client async throws in
            var browser = Browser(client: client)
            var elsewhere = Browser(client: client)
            #expect(try await browser.logIn(site.emails[.editor]!) == .seeOther)
            #expect(try await elsewhere.logIn(site.emails[.editor]!) == .seeOther)
            var colleague = Browser(client: client)
            #expect(try await colleague.logIn(site.emails[.signatory]!) == .seeOther)
            let page = try await browser.get("/account/password")
            #expect(page.0 == .ok && page.1.contains("Nuvarande lösenord"))
            let answer = try await browser.post("/account/password", [("current", WebPageTests.password), ("new", Self.newPassword), ("repeat", Self.newPassword)])
            #expect(answer.0 == .ok)
            #expect(answer.1.contains("Lösenordet är bytt"))
            #expect(try await browser.get("/").0 == .ok, "this session stays")
            #expect(try await elsewhere.get("/").2 == "/login", "the other session is signed out")
            #expect(try await colleague.get("/").0 == .ok, "someone else's session is untouched")
            var later = Browser(client: client)
            #expect(try await later.logIn(site.emails[.editor]!) == .unauthorized, "the old password is refused")
            #expect(try await later.logIn(site.emails[.editor]!, password: Self.newPassword) == .seeOther, "the new one works")
        }
    }

    @Test func aChangeWithoutTheCSRFTokenIsRefused() async throws {
        let site = try await WebPageTests.site()
        try await site.application().test(.router) { client async throws in
            var browser = Browser(client: client)
            #expect(try await browser.logIn(site.emails[.editor]!) == .seeOther)
            let forged = try await browser.post("/account/password", [("current", WebPageTests.password), ("new", Self.newPassword), ("repeat", Self.newPassword)], csrf: "forged")
            #expect(forged.0 == .forbidden)
            let crossSite = try await client.execute(uri: "/account/password", method: .post,
                                                     headers: [.cookie: browser.cookie, .contentType: "application/x-www-form-urlencoded", HTTPField.Name("Origin")!: "https://elak.example"],
                                                     body: ByteBuffer(string: "csrf=\(browser.csrf)&current=x&new=y&repeat=y"))
            #expect(crossSite.status == .forbidden)
            let forgot = try await client.execute(uri: "/password/forgot", method: .post,
                                                  headers: [.contentType: "application/x-www-form-urlencoded", HTTPField.Name("Origin")!: "https://elak.example"],
                                                  body: ByteBuffer(string: "email=\(Browser.encode(site.emails[.editor]!))"))
            #expect(forgot.status == .forbidden, "the forgot form is behind the Origin check too")
            var later = Browser(client: client)
            #expect(try await later.logIn(site.emails[.editor]!) == .seeOther, "the password is unchanged")
        }
    }

    @Test func theHeaderAndTheLoginPageLinkThePasswordPages() async throws {
        let site = try await WebPageTests.site()
        try await site.application().test(.router) { client async throws in
            #expect(try await Self.get(client, "/login").body.contains("href=\"/password/forgot\""))
            var browser = Browser(client: client)
            #expect(try await browser.logIn(site.emails[.editor]!) == .seeOther)
            #expect(try await browser.get("/").1.contains("href=\"/account/password\""))
        }
    }

    // MARK: Resetting

    @Test func forgotGivesTheSameAnswerForAnyAddressAndMailsOnlyTheAccount() async throws {
        let site = try await WebPageTests.site()
        try await site.application().test(.router) { client async throws in
            let unknown = try await Self.post(client, "/password/forgot", [("email", "ingen@botkyrka.example")])
            let known = try await Self.post(client, "/password/forgot", [("email", site.emails[.editor]!)])
            #expect(unknown.status == .ok)
            #expect(known.status == .ok)
            #expect(unknown.body == known.body, "the page tells no one which addresses exist")
            let mails = try await Self.resetMails(site.pool)
            #expect(mails.count == 1)
            #expect(mails.first?.recipient == site.emails[.editor]!)
            let token = try Self.token(in: try #require(mails.first).mail.body)
            #expect(token.count == 43, "32 random bytes, base64url")
            let stored = try await site.pool.query("SELECT token_sha256 FROM password_resets").single().decode(String.self, at: 0)
            #expect(stored == Digest.sha256Hex(token.utf8), "only the digest is stored")
        }
    }

    @Test func atMostThreeLinksAnHour() async throws {
        let site = try await WebPageTests.site()
        try await site.application().test(.router) { client async throws in
            var bodies: Set<String> = []
            for _ in 0..<4 { bodies.insert(try await Self.post(client, "/password/forgot", [("email", site.emails[.editor]!)]).body) }
            #expect(bodies.count == 1, "the fourth gets the same answer")
            #expect(try await Self.resetMails(site.pool).count == 3)
        }
    }

    @Test func theForgotFormCountsInTheClientsSignInLimit() async throws {
        var site = try await WebPageTests.site()
        var sessions = SessionStore(pool: site.pool)
        sessions.throttle.perClient = 2
        site.services = try WebServices(directory: site.services.directory, cases: site.services.cases, sessions: sessions)
        let (pool, editor) = (site.pool, site.emails[.editor]!)
        try await site.application().test(.router) { client async throws in
            for _ in 0..<2 { #expect(try await Self.post(client, "/password/forgot", [("email", "ingen@botkyrka.example")]).status == .ok) }
            let refused = try await Self.post(client, "/password/forgot", [("email", editor)])
            #expect(refused.status == .tooManyRequests)
            #expect(try await Self.resetMails(pool).isEmpty, "nothing is queued past the limit")
        }
    }

    @Test func theLinkSetsThePasswordOnceAndSignsOutEverySession() async throws {
        let site = try await WebPageTests.site()
        try await site.application().test(.router) { client async throws in
            var browser = Browser(client: client)
            #expect(try await browser.logIn(site.emails[.editor]!) == .seeOther)
            let token = try await Self.requestLink(site, client)
            let form = try await Self.get(client, "/password/reset/\(token)")
            #expect(form.status == .ok && form.body.contains("Välj ett nytt lösenord"))
            let mismatch = try await Self.post(client, "/password/reset/\(token)", [("new", Self.newPassword), ("repeat", "något annat lösenord")])
            #expect(mismatch.status == .unprocessableContent, "a refused form does not use up the link")
            let used = try await Self.post(client, "/password/reset/\(token)", [("new", Self.newPassword), ("repeat", Self.newPassword)])
            #expect(used.status == .seeOther)
            #expect(used.location == "/login?klart=losenord")
            #expect(try await Self.get(client, "/login?klart=losenord").body.contains("Lösenordet är bytt"))
            #expect(try await browser.get("/").2 == "/login", "every session is signed out")
            var later = Browser(client: client)
            #expect(try await later.logIn(site.emails[.editor]!) == .unauthorized)
            #expect(try await later.logIn(site.emails[.editor]!, password: Self.newPassword) == .seeOther)
            let again = try await Self.post(client, "/password/reset/\(token)", [("new", "ännu ett nytt lösenord"), ("repeat", "ännu ett nytt lösenord")])
            #expect(again.status == .gone)
            #expect(again.body.contains("Länken fungerar inte längre"))
            #expect(try await Self.get(client, "/password/reset/\(token)").status == .gone)
            var last = Browser(client: client)
            #expect(try await last.logIn(site.emails[.editor]!, password: Self.newPassword) == .seeOther, "the second use changed nothing")
        }
    }

    @Test func anExpiredOrUnknownLinkNoLongerWorks() async throws {
        let site = try await WebPageTests.site()
        try await site.application().test(.router) { client async throws in
            let token = try await Self.requestLink(site, client)
            try await site.pool.query("UPDATE password_resets SET expires_at = now() - interval '1 minute'")
            let page = try await Self.get(client, "/password/reset/\(token)")
            #expect(page.status == .gone)
            #expect(page.body.contains("Länken fungerar inte längre"))
            let post = try await Self.post(client, "/password/reset/\(token)", [("new", Self.newPassword), ("repeat", Self.newPassword)])
            #expect(post.status == .gone)
            for unknown in ["okand", String(repeating: "A", count: 43), String(repeating: "x", count: 5_000)] {
                #expect(try await Self.get(client, "/password/reset/\(unknown)").status == .gone, "\(unknown.prefix(10))")
            }
            var browser = Browser(client: client)
            #expect(try await browser.logIn(site.emails[.editor]!) == .seeOther, "the password is unchanged")
        }
    }

    @Test func theLogShowsNoResetToken() {
        #expect(RequestLogMiddleware<BlankettRequestContext>.loggedPath("/password/reset/abcDEF123") == "/password/reset/…")
        #expect(RequestLogMiddleware<BlankettRequestContext>.loggedPath("/cases/1") == "/cases/1")
    }
}
