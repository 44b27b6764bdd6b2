import BlankettCore
import BlankettPostgres
import BlankettTestSupport
@testable import BlankettWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// One input boundary: a NUL, a control character or an overlong text in
/// any input is 422 with a Swedish message (precise problem+json in the
/// API), never a 500 or a 409, and nothing is saved.
@Suite struct InputBoundaryTests {
    static let nul = "a\u{0}b"
    static let decisionTooLong = String(repeating: "x", count: TextRule.decisionText.maximumLength + 1)

    @Test func theRulesThemselves() {
        #expect(TextRule.name().problem("Botkyrka kommun") == nil)
        #expect(TextRule.name().problem(Self.nul)?.contains("NUL") == true)
        #expect(TextRule.name().problem("två\nrader") != nil, "a name is one line")
        #expect(TextRule.comment().problem("två\nrader\tmed tabb") == nil)
        #expect(TextRule.comment().problem("ett \u{1B}[31m escape") != nil)
        #expect(TextRule.decisionText.problem(Self.decisionTooLong)?.contains("20 000") == true)
        #expect(TextRule.email.problem(String(repeating: "a", count: 2_800) + "@example.se") != nil)
        // Counted in Unicode scalars, as JSON Schema's maxLength that the API's document states:
        // 100 letters each with a combining accent are 200 scalars, over a reference's 100.
        #expect(TextRule.reference("Paragrafen").problem(String(repeating: "e\u{301}", count: 100)) != nil)
        #expect(TextRule.reference("Paragrafen").problem(String(repeating: "e\u{301}", count: 50)) == nil)
    }

    @Test func commandTextsAreCheckedOnceForPagesAndTheAPI() async throws {
        let site = try await WebPageTests.site()
        let editorID = try await APITests.userID(site, .editor)
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        let token = try await APITests.token(site, .secretary)
        let before = try await HardEdgeTests.fingerprint(site.pool)
        try await site.application().test(.router) { client in
            let api = APITests.Caller.token(token, client: client)
            let bodies: [(String, JSONValue, String)] = [
                ("decide", .object(["meeting_date": .string("2021-01-26"), "paragraph": .string("§ 8"), "text": .string(Self.nul)]), "text"),
                ("decide", .object(["meeting_date": .string("2021-01-26"), "paragraph": .string("§ 8"), "text": .string(Self.decisionTooLong)]), "text"),
                ("decide", .object(["meeting_date": .string("2021-01-26"), "paragraph": .string(Self.nul), "text": .string("Godkänd.")]), "paragraph"),
                ("return", .object(["comment": .string(Self.nul)]), "comment"),
                ("register", .object(["diarienummer": .string(Self.nul)]), "diarienummer"),
                ("receive", .object(["authority_diarienummer": .string(String(repeating: "1", count: 3_000))]), "authority_diarienummer"),
            ]
            for (transition, body, parameter) in bodies {
                let reply = try await api.call(.post, "/api/v1/cases/\(record.id)/transitions/\(transition)", json: body)
                #expect(reply.status == .unprocessableContent, "\(transition) \(parameter): \(reply.status) \(reply.text.prefix(200))")
                #expect(reply.code == "invalid-input", "\(transition) \(parameter)")
                #expect(reply.json.value(atPath: "parameter")?.stringValue == parameter, "\(transition): names the input")
            }
            var secretary = WebPageTests.Browser(client: client)
            _ = try await secretary.logIn(site.emails[.secretary]!)
            for (transition, fields) in [("decide", [("meeting_date", "2021-01-26"), ("paragraph", "§ 8"), ("text", Self.decisionTooLong), ("confirm", "ja")]),
                                         ("return", [("comment", Self.nul), ("confirm", "ja")])] {
                let page = try await secretary.post("/cases/\(record.id)/do/\(transition)", fields)
                #expect(page.0 == .unprocessableContent, "\(transition): \(page.0)")
                #expect(page.1.contains("<html lang=\"sv\">"), "\(transition): a Swedish page")
            }
            #expect(try await HardEdgeTests.fingerprint(site.pool) == before, "nothing was saved")
        }
    }

    @Test func answersWithANulOrOverlongAre422OnThePageAndInTheAPI() async throws {
        let site = try await WebPageTests.site()
        let editorID = try await APITests.userID(site, .editor)
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        let token = try await APITests.token(site, .editor)
        let before = try await HardEdgeTests.fingerprint(site.pool)
        try await site.application().test(.router) { client in
            var editor = WebPageTests.Browser(client: client)
            _ = try await editor.logIn(site.emails[.editor]!)
            for value in [Self.nul, String(repeating: "å", count: 20_001)] {
                let page = try await editor.post("/cases/\(record.id)/steps/kontaktuppgifter", [("version", "\(record.answersVersion)"), ("kommun", value)])
                #expect(page.0 == .unprocessableContent, "page: \(page.0)")
                #expect(page.1.contains("kontaktuppgifter") || page.1.contains("kommun"), "the step again")
                let reply = try await APITests.Caller.token(token, client: client).call(.put, "/api/v1/cases/\(record.id)/steps/kontaktuppgifter",
                                                                                        json: .object(["answersVersion": JSONValue(record.answersVersion), "answers": .object(["kommun": .string(value)])]))
                #expect(reply.status == .unprocessableContent && reply.code == "invalid-input", "API: \(reply.status) \(reply.text.prefix(200))")
            }
            let list = try await editor.post("/cases/\(record.id)/steps/kontaktuppgifter",
                                             [("version", "\(record.answersVersion)")] + (0..<2_000).map { ("kommuner.\($0)", "x") })
            #expect(list.0 != .internalServerError)
            #expect(try await HardEdgeTests.fingerprint(site.pool) == before, "nothing was saved")
        }
    }

    @Test func administrationNamesAndAddressesAre422() async throws {
        let site = try await WebPageTests.site()
        let admin = "/admin/\(site.botkyrka)"
        let before = try await HardEdgeTests.fingerprint(site.pool)
        try await site.application().test(.router) { client in
            var browser = WebPageTests.Browser(client: client)
            _ = try await browser.logIn(site.emails[.admin]!)
            let posts: [(String, [(String, String)])] = [
                ("users", [("email", "ny@botkyrka.example"), ("name", Self.nul), ("password", "ett långt lösen"), ("role", "editor")]),
                ("users", [("email", "ny@botkyrka.example"), ("name", "Ny"), ("title", Self.nul), ("password", "ett långt lösen"), ("role", "editor")]),
                ("users", [("email", String(repeating: "a", count: 2_800) + "@botkyrka.example"), ("name", "Ny"), ("password", "ett långt lösen"), ("role", "editor")]),
                ("users", [("email", Self.nul), ("name", "Ny"), ("password", "ett långt lösen"), ("role", "editor")]),
                ("users", [("email", "ny@botkyrka.example"), ("name", String(repeating: "n", count: 201)), ("password", "ett långt lösen"), ("role", "editor")]),
                ("namnder", [("namnd_name", Self.nul), ("prefix", "KN")]),
                ("units", [("unit_name", Self.nul)]),
                ("units", [("unit_name", String(repeating: "u", count: 5_000))]),
            ]
            for (route, fields) in posts {
                let page = try await browser.post("\(admin)/\(route)", fields)
                #expect(page.0 == .unprocessableContent, "\(route) \(fields.map { $0.1.prefix(20) }): \(page.0)")
                #expect(page.1.contains("<html lang=\"sv\">"), "\(route): the Swedish page")
            }
            #expect(try await HardEdgeTests.fingerprint(site.pool) == before, "nothing was saved")
        }
    }

    @Test func aPersonOfAnotherKommunIsInvitedAndGetsRolesOnlyByAccepting() async throws {
        let site = try await WebPageTests.site()
        let admin = "/admin/\(site.botkyrka)"
        let outsiderID = try #require(try await site.services.directory.user(email: site.outsider)).user.id
        try await site.application().test(.router) { client in
            var browser = WebPageTests.Browser(client: client)
            _ = try await browser.logIn(site.emails[.admin]!)
            let invited = try await browser.post("\(admin)/users", [("email", site.outsider), ("role", "editor"), ("role", "signatory")])
            #expect(invited.0 == .seeOther && invited.2 == "\(admin)?klart=inbjuden", "\(invited.0)")
            var page = try await browser.get(admin + "?klart=inbjuden")
            #expect(page.1.contains("fått en inbjudan"), "says what happened, in Swedish")
            #expect(page.1.contains("Väntande inbjudningar") && page.1.contains(site.outsider), "the address the administrator typed, as an open invitation")
            #expect(!page.1.contains("Utredare Huddinge"), "nothing the account holds: not the name")
            #expect(try await site.services.directory.memberships(userID: outsiderID).allSatisfy { $0.organisation.id != site.botkyrka }, "no roles before accepting")
            let mails = try await site.pool.query("SELECT count(*)::int FROM outbox WHERE kind = 'invitation' AND case_id IS NULL AND recipient = \(site.outsider)")
            #expect(try mails.single().decode(Int.self, at: 0) == 1, "the invitation is mailed through the outbox")

            // Inviting again renews the one open invitation, with the roles asked for now.
            _ = try await browser.post("\(admin)/users", [("email", site.outsider), ("role", "editor")])
            #expect(try await site.services.directory.invitations(from: site.botkyrka).map(\.roles) == [[.editor]])

            // Only the invited person's own session can answer it.
            var outsider = WebPageTests.Browser(client: client)
            #expect(try await outsider.logIn(site.outsider) == .seeOther)
            let dashboard = try await outsider.get("/")
            #expect(dashboard.1.contains("Inbjudningar") && dashboard.1.contains("Botkyrka"), "shown on the person's own dashboard")
            let id = try #require(dashboard.1.range(of: #"/invitations/([0-9a-f-]{36})/accept"#, options: .regularExpression)
                .map { String(dashboard.1[$0].dropFirst("/invitations/".count).prefix(36)) })
            #expect(try await browser.post("/invitations/\(id)/accept", []).0 == .notFound, "the administrator cannot accept it for the person")
            #expect(try await site.services.directory.memberships(userID: outsiderID).allSatisfy { $0.organisation.id != site.botkyrka })

            let accepted = try await outsider.post("/invitations/\(id)/accept", [])
            #expect(accepted.0 == .seeOther)
            let roles = try await site.services.directory.memberships(userID: outsiderID).first { $0.organisation.id == site.botkyrka }?.roles
            #expect(roles == [.editor])
            #expect(try await outsider.post("/invitations/\(id)/accept", []).0 == .notFound, "answered once")
            page = try await browser.get(admin)
            #expect(page.1.contains("Utredare Huddinge") && !page.1.contains("Väntande inbjudningar"), "a member now, no longer invited")
        }
    }

    @Test func aDeclinedInvitationGivesNothing() async throws {
        let site = try await WebPageTests.site()
        let outsiderID = try #require(try await site.services.directory.user(email: site.outsider)).user.id
        let adminID = try #require(try await site.services.directory.user(email: site.emails[.admin]!)).user.id
        try await site.services.directory.invite(userID: outsiderID, email: site.outsider, roles: [.admin], organisationID: site.botkyrka, invitedBy: adminID) { _, _ in }
        let id = try #require(try await site.services.directory.invitations(to: outsiderID).first?.id)
        #expect(try await site.services.directory.answerInvitation(id, by: outsiderID, accept: false))
        #expect(try await site.services.directory.memberships(userID: outsiderID).allSatisfy { $0.organisation.id != site.botkyrka })
        #expect(try await site.services.directory.invitations(to: outsiderID).isEmpty)
        #expect(try await !site.services.directory.answerInvitation(id, by: outsiderID, accept: true), "a declined invitation cannot be accepted later")
        #expect(try await !site.services.directory.answerInvitation("not-a-uuid", by: outsiderID, accept: true))
    }
}
