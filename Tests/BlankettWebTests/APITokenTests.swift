import BlankettCore
import BlankettPostgres
import BlankettTestSupport
@testable import BlankettWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// API tokens expire (default 90 days), can be listed without their secret,
/// and a revoked or expired one is refused at once.
@Suite struct APITokenTests {
    @Test func aNewTokenLivesNinetyDaysByDefault() async throws {
        let site = try await WebPageTests.site()
        let editorID = try await APITests.userID(site, .editor)
        let issued = try await site.services.sessions.issueAPIToken(userID: editorID, name: "ekonomisystemet")
        let days = try await site.pool.query("SELECT extract(day FROM expires_at - created_at)::int FROM api_tokens WHERE id = \(issued.id)::uuid").single().decode(Int.self, at: 0)
        #expect(days == 90)
        let listed = try await site.services.sessions.apiTokens(userID: editorID)
        #expect(listed.map(\.id) == [issued.id])
        #expect(listed.first?.isActive == true && listed.first?.lastUsedAt == nil && listed.first?.expiresAt == issued.expiresAt)
        await #expect(throws: CaseError.self) { try await site.services.sessions.issueAPIToken(userID: editorID, name: "x", lifetimeDays: 0) }
        await #expect(throws: CaseError.self) { try await site.services.sessions.issueAPIToken(userID: editorID, name: "x", lifetimeDays: 10_000) }
    }

    @Test func anExpiredTokenIsRefused() async throws {
        let site = try await WebPageTests.site()
        let editorID = try await APITests.userID(site, .editor)
        let fresh = try await site.services.sessions.issueAPIToken(userID: editorID, name: "ny")
        let old = try await site.services.sessions.issueAPIToken(userID: editorID, name: "gammal", lifetimeDays: 1)
        try await site.pool.query("UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = \(old.id)::uuid")
        try await site.application().test(.router) { client async throws in
            #expect(try await APITests.Caller.token(fresh.token, client: client).call(.get, "/api/v1/me").status == .ok)
            let expired = try await APITests.Caller.token(old.token, client: client).call(.get, "/api/v1/me")
            #expect(expired.status == .unauthorized)
            #expect(expired.code == "unauthenticated")
            let listed = try await site.services.sessions.apiTokens(userID: editorID)
            #expect(listed.first { $0.id == old.id }?.isActive == false, "listed as no longer active")
            #expect(listed.first { $0.id == fresh.id }?.lastUsedAt != nil, "the last use is shown")
        }
    }

    @Test func aTokenRevokedFromTheCommandLineIsRefusedAtOnce() async throws {
        let site = try await WebPageTests.site()
        let editorID = try await APITests.userID(site, .editor)
        let issued = try await site.services.sessions.issueAPIToken(userID: editorID, name: "ekonomisystemet")
        try await site.application().test(.router) { client async throws in
            let caller = APITests.Caller.token(issued.token, client: client)
            #expect(try await caller.call(.get, "/api/v1/me").status == .ok)
            #expect(try await site.services.sessions.revokeAPIToken(id: issued.id.uppercased()), "any person's token, by id")
            #expect(try await caller.call(.get, "/api/v1/me").status == .unauthorized)
            #expect(try await site.services.sessions.revokeAPIToken(id: issued.id) == false, "already revoked")
            #expect(try await site.services.sessions.revokeAPIToken(id: "inte-ett-id'; --") == false, "a malformed id is no such token")
            #expect(try await site.services.sessions.apiTokens().first { $0.id == issued.id }?.revokedAt != nil)
        }
    }

    /// A person's own tokens on a page of their own: made (shown once), listed
    /// with their last use, revoked; nobody else's can be touched.
    @Test func aPersonMakesListsAndRevokesTheirOwnTokensOnAPage() async throws {
        let site = try await WebPageTests.site()
        try await site.application().test(.router) { client async throws in
            var editor = WebPageTests.Browser(client: client)
            _ = try await editor.logIn(site.emails[.editor]!)
            #expect(try await editor.get("/").1.contains("href=\"/account/tokens\""))
            let empty = try await editor.get("/account/tokens")
            #expect(empty.0 == .ok && empty.1.contains("Du har inga API-nycklar."))
            #expect(try await editor.post("/account/tokens", [("name", "lönesystemet"), ("days", "999")]).0 == .unprocessableContent)
            #expect(try await editor.post("/account/tokens", [("name", "eko\u{0}nomi"), ("days", "30")]).0 == .unprocessableContent)
            #expect(try await editor.post("/account/tokens", [("name", "lönesystemet"), ("days", "30")], csrf: "fel").0 == .forbidden)
            let made = try await editor.post("/account/tokens", [("name", "lönesystemet"), ("days", "30")])
            #expect(made.0 == .created)
            let token = try #require(made.1.range(of: #"blk_[A-Za-z0-9_-]+"#, options: .regularExpression).map { String(made.1[$0]) })
            #expect(try await APITests.Caller.token(token, client: client).call(.get, "/api/v1/me").status == .ok)
            let listed = try await editor.get("/account/tokens")
            #expect(listed.1.contains("lönesystemet") && listed.1.contains("giltig") && !listed.1.contains(token), "listed, never shown again")
            #expect(!listed.1.contains(">aldrig<"), "its last use is shown")

            let id = try await site.pool.query("SELECT id::text FROM api_tokens WHERE name = 'lönesystemet'").single().decode(String.self, at: 0)
            var other = WebPageTests.Browser(client: client)
            _ = try await other.logIn(site.emails[.secretary]!)
            #expect(try await other.post("/account/tokens/\(id)/revoke", []).0 == .notFound, "another person's token")
            #expect(!(try await other.get("/account/tokens")).1.contains("lönesystemet"))
            #expect(try await APITests.Caller.token(token, client: client).call(.get, "/api/v1/me").status == .ok)

            // The API lists them too, without the secret; another person cannot revoke it there either.
            let listedByAPI = try await APITests.Caller.token(token, client: client).call(.get, "/api/v1/tokens")
            #expect(listedByAPI.status == .ok && listedByAPI.json.value(atPath: "tokens.0.id") == .string(id) && !listedByAPI.text.contains(token))
            #expect(listedByAPI.json.value(atPath: "tokens.0.active") == .bool(true))
            let secretaryID = try await APITests.userID(site, .secretary)
            let secretaryToken = try await site.services.sessions.issueAPIToken(userID: secretaryID, name: "diariet").token
            #expect(try await APITests.Caller.token(secretaryToken, client: client).call(.delete, "/api/v1/tokens/\(id)").status == .notFound)

            #expect(try await editor.post("/account/tokens/\(id)/revoke", []).0 == .seeOther)
            #expect(try await APITests.Caller.token(token, client: client).call(.get, "/api/v1/me").status == .unauthorized)
            #expect(try await editor.get("/account/tokens").1.contains("borttagen"))
            #expect(try await editor.post("/account/tokens/not-a-token/revoke", []).0 == .notFound)
            // Revoked through the API by its owner: 204, then refused.
            let second = try await site.services.sessions.issueAPIToken(userID: secretaryID, name: "andra")
            #expect(try await APITests.Caller.token(secretaryToken, client: client).call(.delete, "/api/v1/tokens/\(second.id)").status == .noContent)
            #expect(try await APITests.Caller.token(second.token, client: client).call(.get, "/api/v1/me").status == .unauthorized)
        }
    }

    /// An organisation's administrator sees its members' valid tokens and revokes one; another kommun's admin cannot.
    @Test func theAdministratorRevokesAMembersToken() async throws {
        let site = try await WebPageTests.site()
        let editorID = try await APITests.userID(site, .editor)
        let issued = try await site.services.sessions.issueAPIToken(userID: editorID, name: "lönesystemet")
        try await site.application().test(.router) { client async throws in
            var admin = WebPageTests.Browser(client: client)
            _ = try await admin.logIn(site.emails[.admin]!)
            let page = try await admin.get("/admin/\(site.botkyrka)")
            #expect(page.1.contains("lönesystemet") && page.1.contains(site.emails[.editor]!) && !page.1.contains(issued.token))
            var outsider = WebPageTests.Browser(client: client)
            _ = try await outsider.logIn(site.outsider)
            #expect(try await outsider.post("/admin/\(site.botkyrka)/tokens/\(issued.id)/revoke", []).0 == .notFound)
            #expect(try await APITests.Caller.token(issued.token, client: client).call(.get, "/api/v1/me").status == .ok)
            #expect(try await admin.post("/admin/\(site.botkyrka)/tokens/\(issued.id)/revoke", []).0 == .seeOther)
            #expect(try await APITests.Caller.token(issued.token, client: client).call(.get, "/api/v1/me").status == .unauthorized)
            #expect(!(try await admin.get("/admin/\(site.botkyrka)")).1.contains("lönesystemet"))
        }
    }
}
