import BlankettCore
import BlankettDispatch
import BlankettMail
import BlankettPDF
import BlankettPostgres
import BlankettTestSupport
import BlankettWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The pages against a real PostgreSQL: login, sessions, CSRF, roles,
/// tenants, a step with its error summary, and a case taken to the authority.
@Suite struct WebPageTests {
    static let password = "ett långt lösenord"

    struct Site {
        let pool: PostgresConnectionPool
        let migrator: Migrator
        var services: WebServices
        let roundID: RoundID
        let botkyrka: OrganisationID
        let emails: [Role: String]
        let outsider = "utredare@huddinge.example"

        func application() -> some ApplicationProtocol {
            buildApplication(configuration: WebConfiguration(port: 0), pool: pool, migrator: migrator, services: services, logger: Logger(label: "test"))
        }
    }

    static func site() async throws -> Site {
        let pool = try await TestCluster.migratedPool()
        let migrator = Migrator(migrations: try Migration.load(directory: TestCluster.repositoryRoot + "/sql"), pool: pool)
        let catalog = try FormCatalog.load(directory: TestCluster.repositoryRoot + "/forms")
        let directory = Directory(pool: pool)
        let botkyrka = try await directory.createOrganisation(name: "Botkyrka kommun", organisationsnummer: "212000-2882")
        let huddinge = try await directory.createOrganisation(name: "Huddinge kommun", organisationsnummer: "212000-0076")
        try await directory.createNamnd(organisationID: botkyrka.id, name: "Socialnämnden", diariumPrefix: "SN")
        var emails: [Role: String] = [:]
        for role in [Role.editor, .signatory, .secretary, .admin] {
            let email = "\(role.rawValue)@botkyrka.example"
            let user = try await directory.createUser(email: email, name: "Person \(role.rawValue)", title: "", passwordHash: try PasswordHash.make(password: password, salt: Array("salt-for-\(role.rawValue)-0123456".utf8), rounds: 1_000))
            try await directory.grant([role], userID: user.id, organisationID: botkyrka.id)
            emails[role] = email
        }
        let outsider = try await directory.createUser(email: "utredare@huddinge.example", name: "Utredare Huddinge", title: "", passwordHash: try PasswordHash.make(password: password, salt: Array("salt-for-huddinge-0123".utf8), rounds: 1_000))
        try await directory.grant([.editor, .signatory, .secretary], userID: outsider.id, organisationID: huddinge.id)
        try await directory.createAuthority(key: "lansstyrelsen-stockholm", name: "Länsstyrelsen Stockholm", recipientEmail: "stockholm@lansstyrelsen.se", subjectTemplate: "{form}")
        let roundID = try await directory.createRound(.init(key: "po-redovisning-2020", title: "Personligt ombud – redovisning 2020", formID: "po-redovisning-2020",
                                                            authorityKey: "lansstyrelsen-stockholm", periodStart: LocalDate(year: 2020, month: 1, day: 1)!,
                                                            periodEnd: LocalDate(year: 2020, month: 12, day: 31)!, deadline: LocalDate(year: 2021, month: 1, day: 15)!), catalog: catalog)
        try await directory.setPrefill(roundID: roundID, organisationID: botkyrka.id, inputs: ["beviljat_statsbidrag": 1127386, "beviljade_arsanstallningar": .number("2.80")], catalog: catalog)
        let files = try PDFSeal.development(organisation: "Botkyrka kommun", now: Date())
        let dispatcher = MailDispatcher(catalog: catalog, sender: try MailAddress("blankett@botkyrka.example"),
                                        seal: try PDFSeal(certificatesPEM: files.certificatesPEM, privateKeyPEM: files.privateKeyPEM))
        let services = try WebServices(directory: directory, cases: CaseService(store: PostgresCaseStore(pool: pool, dispatcher: dispatcher), catalog: catalog, sealingKey: SealingKey.generate()),
                                       sessions: SessionStore(pool: pool), secureCookies: true)
        return Site(pool: pool, migrator: migrator, services: services, roundID: roundID, botkyrka: botkyrka.id, emails: emails)
    }

    /// A logged-in browser: its cookie and the page's CSRF token.
    struct Browser {
        let client: any TestClientProtocol
        var cookie = ""
        var csrf = ""

        mutating func logIn(_ email: String, password: String = WebPageTests.password) async throws -> HTTPResponse.Status {
            let response = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: "email=\(Self.encode(email))&password=\(Self.encode(password))"))
            if let setCookie = response.headers[.setCookie] {
                cookie = String(setCookie.split(separator: ";")[0])
                #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && setCookie.contains("Secure"))
                let page = try await get("/")
                csrf = Self.csrf(in: page.1)
            }
            return response.status
        }

        func get(_ uri: String) async throws -> (HTTPResponse.Status, String, String?) {
            let response = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookie])
            return (response.status, String(buffer: response.body), response.headers[.location])
        }

        func post(_ uri: String, _ fields: [(String, String)], csrf: String? = nil) async throws -> (HTTPResponse.Status, String, String?) {
            let body = ([("csrf", csrf ?? self.csrf)] + fields).map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
            let response = try await client.execute(uri: uri, method: .post, headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
            return (response.status, String(buffer: response.body), response.headers[.location])
        }

        static func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
        }

        static func csrf(in page: String) -> String {
            guard let range = page.range(of: "name=\"csrf\" value=\"") else { return "" }
            return String(page[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    @Test func loginSessionsThrottlingAndCSRF() async throws {
        let site = try await Self.site()
        try await site.application().test(.router) { client in
            var browser = Browser(client: client)
            #expect(try await browser.get("/").2 == "/login")
            let login = try await browser.get("/login")
            #expect(login.0 == .ok && login.1.contains("<html lang=\"sv\">") && login.1.contains("Logga in"))
            for _ in 0..<5 { #expect(try await browser.logIn(site.emails[.editor]!, password: "fel") == .unauthorized) }
            #expect(try await browser.logIn(site.emails[.editor]!) == .tooManyRequests)
            #expect(try await browser.logIn(site.emails[.signatory]!) == .seeOther)
            let dashboard = try await browser.get("/")
            #expect(dashboard.0 == .ok && dashboard.1.contains("Botkyrka kommun"))
            // A post without the session's CSRF token changes nothing.
            let forged = try await browser.post("/cases", [("round", site.roundID.uuid), ("organisation", site.botkyrka.uuid)], csrf: "forged")
            #expect(forged.0 == .forbidden)
            #expect(forged.1.contains("Ladda om sidan") && !forged.1.contains("id=\"password\""), "a refusal page, not a login form")
            #expect(try await site.pool.query("SELECT count(*) FROM cases").single().decode(Int.self, at: 0) == 0)
            // Only an editor starts a case.
            let refused = try await browser.post("/cases", [("round", site.roundID.uuid), ("organisation", site.botkyrka.uuid)])
            #expect(refused.0 == .forbidden, "\(refused.1)")
            #expect(try await browser.post("/logout", []).2 == "/login")
            #expect(try await browser.get("/").2 == "/login")
        }
    }

    @Test func anEditorFillsAStepAndSeesTheErrorSummary() async throws {
        let site = try await Self.site()
        try await site.application().test(.router) { client in
            var editor = Browser(client: client)
            #expect(try await editor.logIn(site.emails[.editor]!) == .seeOther)
            let started = try await editor.post("/cases", [("round", site.roundID.uuid), ("organisation", site.botkyrka.uuid)])
            let casePath = try #require(started.2)
            let caseID = String(casePath.split(separator: "/").last!)
            let firstVisit = try await editor.get("\(casePath)/steps/klienter-steg")
            #expect(firstVisit.0 == .ok && firstVisit.1.contains("Steg 3 av 11"))
            #expect(!firstVisit.1.contains("fel att rätta"), "a step opened for the first time shows no errors")
            #expect(firstVisit.1.contains("Beviljat") == false)
            let version = firstVisit.1.range(of: "name=\"version\" value=\"").map { String(firstVisit.1[$0.upperBound...].prefix { $0 != "\"" }) } ?? ""
            // Totals of 10 women, but the age rows add up to 11.
            let save = try await editor.post("\(casePath)/steps/klienter-steg", [
                ("version", version), ("action", "continue"),
                ("klienter.totalt.totalt.kvinnor", "10"), ("klienter.totalt.18-29.kvinnor", "4"), ("klienter.totalt.30-49.kvinnor", "7"),
            ])
            #expect(save.0 == .seeOther)
            let withErrors = try await editor.get(try #require(save.2))
            #expect(withErrors.1.contains("fel att rätta"), "\(withErrors.1.prefix(3000))")
            #expect(withErrors.1.contains("href=\"#f-klienter.totalt."))
            #expect(withErrors.1.contains("value=\"7\""), "what was typed is shown again")
            let stored = try await site.services.cases.find(try #require(CaseID(caseID)), for: try #require(try await site.services.directory.user(email: site.emails[.editor]!)).user.id)
            #expect(stored.answers.value(atPath: "klienter.totalt.30-49.kvinnor") == .string("7"))
            // Swedish formats are accepted as typed; a stale version is a conflict that loses nothing.
            let stale = try await editor.post("\(casePath)/steps/kontaktuppgifter", [("version", version), ("kommun", "Botkyrka kommun"), ("postnummer", "147 85")])
            #expect(stale.0 == .conflict && stale.1.contains("Botkyrka kommun") && stale.1.contains("147 85"))
            let resume = try await editor.get(casePath)
            #expect(resume.1.contains("Fortsätt där du slutade (steg 4 av 11") && resume.1.contains("href=\"\(casePath)/steps/kontakt-med-verksamheten\""),
                    "the case page resumes after the last step saved")
            let review = try await editor.get("\(casePath)/review")
            #expect(review.0 == .ok && review.1.contains("Kontrollera dina svar") && review.1.contains("1 127 386 kr"))
        }
    }

    @Test func anotherKommunsCaseIsNotFoundAndRolesAreEnforced() async throws {
        let site = try await Self.site()
        let editorID = try #require(try await site.services.directory.user(email: site.emails[.editor]!)).user.id
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        try await site.application().test(.router) { client in
            var outsider = Browser(client: client)
            #expect(try await outsider.logIn(site.outsider) == .seeOther)
            for path in ["/cases/\(record.id)", "/cases/\(record.id)/review", "/cases/\(record.id)/steps/ekonomi", "/cases/not-a-uuid"] {
                #expect(try await outsider.get(path).0 == .notFound, "\(path)")
            }
            #expect(try await outsider.post("/cases/\(record.id)/do/mark_ready", []).0 == .notFound)
            var signatory = Browser(client: client)
            #expect(try await signatory.logIn(site.emails[.signatory]!) == .seeOther)
            let page = try await signatory.get("/cases/\(record.id)")
            #expect(page.0 == .ok && !page.1.contains("Skicka till underskrift"), "no button for a transition the person may not make")
            #expect(try await signatory.post("/cases/\(record.id)/do/mark_ready", []).0 == .forbidden)
        }
    }

    @Test func aCaseGoesToTheAuthorityThroughThePages() async throws {
        let site = try await Self.site()
        let editorID = try #require(try await site.services.directory.user(email: site.emails[.editor]!)).user.id
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        let answers = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: TestCluster.repositoryRoot + "/Tests/BlankettCoreTests/Fixtures/po-redovisning-2020-botkyrka.json"))))
            .setting(path: "underskrift.datum", to: "2021-01-04")
        _ = try await site.services.cases.saveAnswers(record.id, step: nil, answers: answers, baseVersion: record.answersVersion, by: editorID)
        let warnings = try await site.services.cases.validate(record.id, for: editorID).warnings
        try await site.application().test(.router) { client in
            var editor = Browser(client: client)
            _ = try await editor.logIn(site.emails[.editor]!)
            let unconfirmed = try await editor.post("/cases/\(record.id)/do/mark_ready", warnings.map { ("ack.\(WarningKey($0))", "Kontrollerat.") })
            #expect(unconfirmed.0 == .unprocessableContent && unconfirmed.1.contains("kryssa i rutan"), "a transition without its confirmation is asked again")
            #expect(try await site.services.cases.find(record.id, for: editorID).state == .draft)
            let ready = try await editor.post("/cases/\(record.id)/do/mark_ready", warnings.map { ("ack.\(WarningKey($0))", "Kontrollerat.") } + [("confirm", "ja")])
            #expect(ready.0 == .seeOther, "\(ready.1)")
            var signatory = Browser(client: client)
            _ = try await signatory.logIn(site.emails[.signatory]!)
            #expect(try await signatory.post("/cases/\(record.id)/do/sign", [("password", "fel")]).0 == .forbidden)
            #expect(try await signatory.post("/cases/\(record.id)/do/sign", [("password", Self.password)]).0 == .seeOther)
            var secretary = Browser(client: client)
            _ = try await secretary.logIn(site.emails[.secretary]!)
            for (command, fields) in [
                ("register", [("diarienummer", "SN 2021:1")]),
                ("decide", [("meeting_date", "2021-01-26"), ("paragraph", "§ 8"), ("text", "Socialnämnden godkänner redovisningen."), ("outcome", "approved")]),
                ("send", []),
                ("receive", [("authority_dnr", "821-12345-2020")]),
            ] {
                let result = try await secretary.post("/cases/\(record.id)/do/\(command)", fields + [("confirm", "ja")])
                #expect(result.0 == .seeOther, "\(command): \(result.1.prefix(2000))")
            }
            let page = try await secretary.get("/cases/\(record.id)?klart=receive")
            #expect(page.1.contains("Mottagen") && page.1.contains("821-12345-2020") && page.1.contains("SN 2021:1"))
            #expect(page.1.contains("giltig"), "the signature verifies on the case page")
            #expect(page.1.contains("E-post om ärendet") && page.1.contains("i kö"), "the queued message shows on the case page")
            #expect(page.1.contains("skrev under") && page.1.contains("skickade blanketten till myndigheten"))
            #expect(try await site.services.cases.find(record.id, for: editorID).state == .received)

            // The expediering is in the outbox with the signed form and the decision as PDFs;
            // the worker delivers it (here to a folder, as without SMTP_URL).
            let folder = try TestCluster.workFolder + "/mail-\(UUID().uuidString)"
            let report = try await OutboxWorker(pool: site.pool, transport: FolderTransport(folder: folder)).runOnce()
            #expect(report.sent == 1)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".eml") }
            #expect(files.count == 1)
            let mail = try String(contentsOfFile: folder + "/" + files[0], encoding: .utf8)
            #expect(mail.contains("To: =?UTF-8?") || mail.contains("stockholm@lansstyrelsen.se"))
            #expect(mail.contains("stockholm@lansstyrelsen.se"))
            #expect(mail.components(separatedBy: "Content-Type: application/pdf").count == 3, "the form and the decision")
            #expect(mail.contains("po-redovisning-2020-botkyrka-kommun.pdf"))
            let casePage = try await secretary.get("/cases/\(record.id)").1
            #expect(casePage.contains("skickat"))

            // The PDFs as sent are offered on the case page, byte for byte what the message carries.
            #expect(casePage.contains("Skickade handlingar") && casePage.contains("Blanketten med underskrifterna inbyggda"), "\(casePage)")
            let stored = try await site.pool.query("""
                SELECT id, sha256 FROM case_documents WHERE case_id = \(record.id)::uuid AND kind = 'form'
                """).single().decode((Int64, String).self)
            #expect(casePage.contains("/cases/\(record.id)/documents/\(stored.0)"))
            let download = try await client.execute(uri: "/cases/\(record.id)/documents/\(stored.0)", method: .get, headers: [.cookie: secretary.cookie])
            #expect(download.status == .ok && download.headers[.contentType] == "application/pdf")
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"po-redovisning-2020-botkyrka-kommun.pdf\"; filename*=UTF-8''po-redovisning-2020-botkyrka-kommun.pdf")
            #expect(Digest.sha256Hex(Array(buffer: download.body)) == stored.1)
            #expect(mail.contains(Data(Array(buffer: download.body)).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]).prefix(200)),
                    "the attachment of the message")
            #expect(try await secretary.get("/cases/\(record.id)/documents/999999").0 == .notFound)
            #expect(try await secretary.get("/cases/\(record.id)/documents/x%27").0 == .notFound)
            #expect(try await Browser(client: client).get("/cases/\(record.id)/documents/\(stored.0)").0 == .seeOther, "signed out: to the login")

            // The code printed under the signature checks the case, without logging in.
            let digest = try await site.pool.query("SELECT snapshot_sha256 FROM case_signatures WHERE case_id = \(record.id)::uuid").single().decode(String.self, at: 0)
            let code = MailDispatcher.verificationCode(digest)
            #expect(code.count == 24 && code.split(separator: "-").count == 5, "80 bits in five groups: \(code)")
            let stranger = Browser(client: client)
            // A form printed before the codes grew carries the first 12 digits: it still checks.
            #expect(try await stranger.get("/verify/\(code.prefix(14))").1.contains("underskriften är giltig"))
            let valid = try await stranger.get("/verify/\(code)")
            #expect(valid.0 == .ok && valid.1.contains("underskriften är giltig") && valid.1.contains("Botkyrka kommun"), "\(valid.1)")
            try await site.pool.query("UPDATE cases SET answers = jsonb_set(answers, '{forbrukat_belopp}', '\"1\"') WHERE id = \(record.id)::uuid")
            #expect(try await stranger.get("/verify/\(code.lowercased())").1.contains("ändrats efter underskriften"))
            #expect(try await stranger.get("/verify/0000-0000-0000").0 == .notFound)
            #expect(try await stranger.get("/verify/%3Cscript%3E").0 == .notFound)
            #expect(try await stranger.get("/verify/\(code.prefix(19))").0 == .notFound, "a code of neither length")
            // Trying codes is slowed down: past the limit per client, 429 with Retry-After, whatever the code.
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<site.services.verificationLimit.limit { statuses.append(try await stranger.get("/verify/\(code)").0) }
            #expect(statuses.last == .tooManyRequests)
            #expect(!statuses.contains(.internalServerError))
        }
    }

    @Test func onlyTheSecretaryResendsAFailedMessageOfTheirOwnCase() async throws {
        let site = try await Self.site()
        let cases = site.services.cases
        func id(_ role: Role) async throws -> PersonID { try #require(try await site.services.directory.user(email: site.emails[role]!)).user.id }
        let editorID = try await id(.editor)
        let record = try await cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        let answers = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: TestCluster.repositoryRoot + "/Tests/BlankettCoreTests/Fixtures/po-redovisning-2020-botkyrka.json"))))
            .setting(path: "underskrift.datum", to: "2021-01-04")
        _ = try await cases.saveAnswers(record.id, step: nil, answers: answers, baseVersion: record.answersVersion, by: editorID)
        // Botkyrka's real contact reasons outnumber its new clients: warnings to acknowledge.
        let warnings = try await cases.validate(record.id, for: editorID).warnings
        _ = try await cases.markReady(record.id, acknowledgements: Dictionary(uniqueKeysWithValues: warnings.map { (WarningKey($0), "Kontrollerat.") }), by: editorID)
        _ = try await cases.sign(record.id, password: Self.password, by: try await id(.signatory))
        _ = try await cases.register(record.id, diarienummer: nil, year: 2021, by: try await id(.secretary))
        _ = try await cases.send(record.id, by: try await id(.secretary))
        let messageID = try await site.pool.query("SELECT id FROM outbox WHERE case_id = \(record.id)::uuid").single().decode(Int.self, at: 0)
        try await site.pool.query("UPDATE outbox SET status = 'failed', last_error = '550 mailbox unavailable' WHERE id = \(messageID)")
        @Sendable func status() async throws -> String {
            try await site.pool.query("SELECT status FROM outbox WHERE id = \(messageID)").single().decode(String.self, at: 0)
        }
        let resend = "/cases/\(record.id)/messages/\(messageID)/resend"
        try await site.application().test(.router) { client in
            var editor = Browser(client: client)
            _ = try await editor.logIn(site.emails[.editor]!)
            #expect(!(try await editor.get("/cases/\(record.id)")).1.contains(resend), "no resend button for the editor")
            #expect(try await editor.post(resend, []).0 == .forbidden)
            var outsider = Browser(client: client)
            _ = try await outsider.logIn(site.outsider)
            #expect(try await outsider.post(resend, []).0 == .notFound)
            var secretary = Browser(client: client)
            _ = try await secretary.logIn(site.emails[.secretary]!)
            let page = try await secretary.get("/cases/\(record.id)")
            #expect(page.1.contains("misslyckades") && page.1.contains("550 mailbox unavailable") && page.1.contains(resend))
            #expect(try await secretary.post(resend, [], csrf: "forged").0 == .forbidden)
            #expect(try await secretary.post("/cases/\(record.id)/messages/999999/resend", []).0 == .notFound)
            #expect(try await secretary.post("/cases/\(record.id)/messages/abc/resend", []).0 == .notFound)
            #expect(try await status() == "failed", "nothing above changed it")
            #expect(try await secretary.post(resend, []).2 == "/cases/\(record.id)?klart=resend")
            #expect(try await status() == "queued")
        }
    }
}
