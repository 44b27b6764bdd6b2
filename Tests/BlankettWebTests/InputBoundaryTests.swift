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

    @Test func anAdministratorCannotEnrolAPersonOfAnotherKommun() async throws {
        let site = try await WebPageTests.site()
        let admin = "/admin/\(site.botkyrka)"
        try await site.application().test(.router) { client in
            var browser = WebPageTests.Browser(client: client)
            _ = try await browser.logIn(site.emails[.admin]!)
            let refused = try await browser.post("\(admin)/users", [("email", site.outsider), ("role", "editor")])
            #expect(refused.0 == .unprocessableContent)
            #expect(refused.1.contains("annan organisation"), "says why, in Swedish")
            #expect(!refused.1.contains("Utredare Huddinge"), "the person's name is not shown")
            let page = try await browser.get(admin)
            #expect(!page.1.contains("Utredare Huddinge") && !page.1.contains(site.outsider), "not among the members")
            let outsiderID = try #require(try await site.services.directory.user(email: site.outsider)).user.id
            #expect(try await site.services.directory.memberships(userID: outsiderID).allSatisfy { $0.organisation.id != site.botkyrka })
        }
    }
}
