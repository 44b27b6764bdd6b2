import BlankettCore
import BlankettPostgres
import BlankettTestSupport
@testable import BlankettWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The administrator's page and the dashboards of the signatory and the
/// secretary, against a real PostgreSQL.
@Suite struct AdminAndDashboardTests {
    typealias Browser = WebPageTests.Browser

    static func roles(_ site: WebPageTests.Site, _ email: String) async throws -> Set<Role> {
        guard let user = try await site.services.directory.user(email: email)?.user else { return [] }
        return try await site.services.directory.memberships(userID: user.id).first { $0.organisation.id == site.botkyrka }?.roles ?? []
    }

    @Test func theAdministratorManagesPeopleRolesNamnderUnitsAndRoundValues() async throws {
        let site = try await WebPageTests.site()
        let admin = "/admin/\(site.botkyrka)"
        try await site.application().test(.router) { client in
            var browser = Browser(client: client)
            #expect(try await browser.logIn(site.emails[.admin]!) == .seeOther)
            let dashboard = try await browser.get("/")
            #expect(dashboard.1.contains("href=\"\(admin)\""), "the dashboard links the admin page")
            let page = try await browser.get(admin)
            #expect(page.0 == .ok && page.1.contains("Personer och roller") && page.1.contains(site.emails[.editor]!))
            #expect(page.1.contains("Personligt ombud – redovisning 2020") && page.1.contains("value=\"1 127 386\""), "the round's value as people write it")

            // A new person, who can then log in with the role given.
            let added = try await browser.post("\(admin)/users", [("email", "ny.handlaggare@botkyrka.example"), ("name", "Ny Handläggare"), ("title", "Utredare"),
                                                                   ("password", "ett första lösenord"), ("role", "editor")])
            #expect(added.0 == .seeOther && added.2 == "\(admin)?klart=person", "\(added.1.prefix(500))")
            var newcomer = Browser(client: client)
            #expect(try await newcomer.logIn("ny.handlaggare@botkyrka.example", password: "ett första lösenord") == .seeOther)
            #expect(try await Self.roles(site, "ny.handlaggare@botkyrka.example") == [.editor])
            // Someone already in Blankett gets the roles; their password is untouched.
            let existing = try await browser.post("\(admin)/users", [("email", site.emails[.signatory]!.uppercased()), ("role", "secretary")])
            #expect(existing.2 == "\(admin)?klart=befintlig")
            #expect(try await Self.roles(site, site.emails[.signatory]!) == [.signatory, .secretary])
            // Refusals keep what was typed, never the password.
            let short = try await browser.post("\(admin)/users", [("email", "kort@botkyrka.example"), ("name", "Kort Lösen"), ("password", "kort"), ("role", "editor")])
            #expect(short.0 == .unprocessableContent && short.1.contains("minst 8 tecken") && short.1.contains("value=\"Kort Lösen\"") && !short.1.contains("value=\"kort\""))
            #expect(try await browser.post("\(admin)/users", [("email", "ingen.roll@botkyrka.example"), ("name", "X"), ("password", "långt nog lösen")]).0 == .unprocessableContent)
            #expect(try await site.services.directory.user(email: "kort@botkyrka.example") == nil)

            // Roles replaced; the administrator cannot lock themselves out.
            let editorID = try #require(try await site.services.directory.user(email: site.emails[.editor]!)).user.id
            #expect(try await browser.post("\(admin)/users/\(editorID)/roles", [("role", "editor"), ("role", "signatory")]).2 == "\(admin)?klart=roller")
            #expect(try await Self.roles(site, site.emails[.editor]!) == [.editor, .signatory])
            let adminID = try #require(try await site.services.directory.user(email: site.emails[.admin]!)).user.id
            let lockout = try await browser.post("\(admin)/users/\(adminID)/roles", [("role", "editor")])
            #expect(lockout.0 == .unprocessableContent && lockout.1.contains("din egen administratörsroll"))
            #expect(try await Self.roles(site, site.emails[.admin]!) == [.admin])
            let outsiderID = try #require(try await site.services.directory.user(email: site.outsider)).user.id
            #expect(try await browser.post("\(admin)/users/\(outsiderID)/roles", [("role", "admin")]).0 == .notFound, "only members of this organisation")

            // Nämnder and sub-units.
            let duplicate = try await browser.post("\(admin)/namnder", [("namnd_name", "Socialnämnden"), ("prefix", "SN")])
            #expect(duplicate.0 == .conflict && duplicate.1.contains("value=\"Socialnämnden\""), "\(duplicate.1.prefix(300))")
            #expect(try await browser.post("\(admin)/namnder", [("namnd_name", "Utbildningsnämnden"), ("prefix", "UN")]).2 == "\(admin)?klart=namnd")
            #expect(try await browser.post("\(admin)/units", [("unit_name", "Norra stadsdelsförvaltningen")]).2 == "\(admin)?klart=enhet")
            let after = try await browser.get("\(admin)?klart=enhet")
            #expect(after.1.contains("Utbildningsnämnden (diarieprefix UN)") && after.1.contains("Norra stadsdelsförvaltningen") && after.1.contains("Enheten är tillagd."))

            // The round's values as typed from the decision, checked like the form's fields.
            let prefill = "\(admin)/rounds/\(site.roundID)/prefill"
            #expect(try await browser.post(prefill, [("input.beviljat_statsbidrag", "1 208 000 kr"), ("input.beviljade_arsanstallningar", "3,00")]).2 == "\(admin)?klart=omgang")
            let stored = try await site.services.directory.prefills(organisationID: site.botkyrka)[site.roundID]
            #expect(stored?["beviljat_statsbidrag"] == .number("1208000") && stored?["beviljade_arsanstallningar"] == .number("3.00"))
            let wrong = try await browser.post(prefill, [("input.beviljat_statsbidrag", "12,5"), ("input.beviljade_arsanstallningar", "3,00")])
            #expect(wrong.0 == .unprocessableContent && wrong.1.contains("Beviljat"), "\(wrong.1.prefix(400))")
            #expect(try await site.services.directory.prefills(organisationID: site.botkyrka)[site.roundID]?["beviljat_statsbidrag"] == .number("1208000"))
            #expect(try await browser.post(prefill, [("input.beviljat_statsbidrag", "1")], csrf: "forged").0 == .forbidden)

            // Others: a member without the role is refused, an outsider learns nothing.
            var editor = Browser(client: client)
            _ = try await editor.logIn(site.emails[.editor]!)
            #expect(try await editor.get(admin).0 == .forbidden)
            #expect(try await editor.post("\(admin)/namnder", [("namnd_name", "Kulturnämnden"), ("prefix", "KN")]).0 == .forbidden)
            var outsider = Browser(client: client)
            _ = try await outsider.logIn(site.outsider)
            #expect(try await outsider.get(admin).0 == .notFound)
            #expect(try await outsider.get("/admin/not-a-uuid").0 == .notFound)
            #expect(try await site.services.directory.namnder(organisationID: site.botkyrka).map(\.name) == ["Socialnämnden", "Utbildningsnämnden"])
        }
    }

    @Test func theSignatorySeesWhatAwaitsTheirSignatureAndTheSecretaryFilters() async throws {
        let site = try await WebPageTests.site()
        let editorID = try #require(try await site.services.directory.user(email: site.emails[.editor]!)).user.id
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        let saved = try await site.services.cases.saveAnswers(record.id, step: nil, answers: try APITests.fixtureAnswers(), baseVersion: record.answersVersion, by: editorID)
        // Botkyrka's real contact reasons outnumber its new clients: warnings to acknowledge.
        let acknowledgements = Dictionary(uniqueKeysWithValues: saved.findings.warnings.map { (WarningKey($0), "Kontrollerat.") })
        try await site.application().test(.router) { client in
            var signatory = Browser(client: client)
            _ = try await signatory.logIn(site.emails[.signatory]!)
            let before = try await signatory.get("/")
            #expect(before.1.contains("Väntar på din underskrift") && before.1.contains("Inga blanketter väntar på din underskrift."))
            _ = try await site.services.cases.markReady(record.id, acknowledgements: acknowledgements, by: editorID)
            let waiting = try await signatory.get("/")
            #expect(!waiting.1.contains("Inga blanketter väntar") && waiting.1.contains("<ul class=\"waiting\"><li><a href=\"/cases/\(record.id)\">"), "\(waiting.1)")
            // A unit's case waits in the same list, named by the unit, and a
            // case in another state does not.
            let unit = try await site.services.directory.createOrganisation(name: "Enhet för ombud", organisationsnummer: nil, parentID: site.botkyrka)
            try await site.services.directory.setPrefill(roundID: site.roundID, organisationID: unit.id, inputs: ["beviljat_statsbidrag": 1127386, "beviljade_arsanstallningar": .number("2.80")],
                                                         catalog: site.services.cases.catalog)
            let unitCase = try await site.services.cases.create(roundID: site.roundID, organisationID: unit.id, by: editorID)
            let unitSaved = try await site.services.cases.saveAnswers(unitCase.id, step: nil, answers: try APITests.fixtureAnswers(),
                                                                      baseVersion: unitCase.answersVersion, by: editorID)
            _ = try await site.services.cases.markReady(unitCase.id, acknowledgements: Dictionary(uniqueKeysWithValues: unitSaved.findings.warnings.map { (WarningKey($0), "Kontrollerat.") }), by: editorID)
            let draft = try await site.services.cases.create(roundID: site.roundID, organisationID: try await site.services.directory
                .createOrganisation(name: "Enhet utan klar blankett", organisationsnummer: nil, parentID: site.botkyrka).id, by: editorID)
            let both = try await signatory.get("/")
            let list = both.1.components(separatedBy: "<ul class=\"waiting\">").dropFirst().first?.components(separatedBy: "</ul>").first ?? ""
            #expect(list.contains("/cases/\(record.id)") && list.contains("/cases/\(unitCase.id)") && list.contains("Enhet för ombud"), "\(list)")
            #expect(!list.contains("/cases/\(draft.id)") && !both.1.contains("Fler blanketter väntar"))
            var editor = Browser(client: client)
            _ = try await editor.logIn(site.emails[.editor]!)
            #expect(!(try await editor.get("/")).1.contains("Väntar på din underskrift"), "only signatories have that list")

            var secretary = Browser(client: client)
            _ = try await secretary.logIn(site.emails[.secretary]!)
            let all = try await secretary.get("/")
            #expect(all.1.contains("<select id=\"filter-state\" name=\"state\">") && all.1.contains("href=\"/cases/\(record.id)\""))
            let ready = try await secretary.get("/?grant=personligt-ombud&state=ready&year=2020")
            #expect(ready.0 == .ok && ready.1.contains("href=\"/cases/\(record.id)\"") && ready.1.contains("<option value=\"ready\" selected>"))
            for query in ["/?state=received", "/?year=2019", "/?grant=bemanning-barn-unga"] {
                let none = try await secretary.get(query)
                #expect(none.0 == .ok && !none.1.contains("href=\"/cases/\(record.id)\"") && none.1.contains("Inga ärenden som passar urvalet."), "\(query)")
            }
            let bogus = try await secretary.get("/?state=%3Cscript%3Ealert(1)%3C/script%3E")
            #expect(bogus.0 == .badRequest && bogus.1.contains("Okänt läge") && !bogus.1.contains("<script>alert"), "escaped, and refused")
        }
    }

    @Test func aLongDashboardIsPagedNewestFirstAndOffersOnlyUnstartedRounds() async throws {
        let site = try await WebPageTests.site()
        let editorID = try #require(try await site.services.directory.user(email: site.emails[.editor]!)).user.id
        var created: Set<String> = []
        for unit in 1...(WebController.dashboardPageSize + 5) {
            let organisation = try await site.services.directory.createOrganisation(name: "Enhet \(unit)", organisationsnummer: nil, parentID: site.botkyrka)
            created.insert(try await site.services.cases.create(roundID: site.roundID, organisationID: organisation.id, by: editorID).id.uuid)
        }
        let allCreated = created
        try await site.application().test(.router) { client in
            var editor = Browser(client: client)
            _ = try await editor.logIn(site.emails[.editor]!)
            func caseLinks(_ page: String) -> [String] {
                page.components(separatedBy: "<a href=\"/cases/").dropFirst().map { String($0.prefix(36)) }
            }
            let first = try await editor.get("/")
            #expect(caseLinks(first.1).count == WebController.dashboardPageSize, "one page")
            let more = try #require(first.1.range(of: #"/\?organisation=[0-9a-f-]{36}&amp;after=[0-9a-f-]{36}"#, options: .regularExpression)
                .map { String(first.1[$0]).replacingOccurrences(of: "&amp;", with: "&") }, "a link to the older cases")
            #expect(first.1.contains("Äldre ärenden för Botkyrka kommun"))
            let second = try await editor.get(more)
            #expect(second.0 == .ok && caseLinks(second.1).count == 5 && second.1.contains("Tillbaka till de senaste"), "\(second.1.prefix(300))")
            #expect(Set(caseLinks(first.1) + caseLinks(second.1)) == allCreated, "every case once, over the two pages")
            // The round has a case of Botkyrka's own? No: only its units have one, so Botkyrka may still start it.
            #expect(first.1.contains("name=\"round\" value=\"\(site.roundID)\""))
            _ = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
            #expect(!(try await editor.get("/")).1.contains("name=\"round\" value=\"\(site.roundID)\""), "a started round is not offered again")
        }
    }
}
