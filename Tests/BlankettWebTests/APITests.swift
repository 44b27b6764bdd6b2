import BlankettCore
import BlankettPostgres
import BlankettTestSupport
@testable import BlankettWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Yams

/// `/api/v1` against a real PostgreSQL: the OpenAPI document against the
/// routes, both ways of authenticating, a case taken from draft to received,
/// and malformed input refused with nothing saved.
@Suite struct APITests {
    /// A program calling the API with a token, or a browser with its cookie.
    struct Caller {
        let client: any TestClientProtocol
        var headers: HTTPFields

        static func token(_ token: String, client: any TestClientProtocol) -> Caller {
            Caller(client: client, headers: [.authorization: "Bearer \(token)"])
        }

        struct Reply {
            let status: HTTPResponse.Status
            let headers: HTTPFields
            let text: String
            var json: JSONValue { (try? JSONValue.parse(text)) ?? .null }
            var code: String? { json.value(atPath: "code")?.stringValue }
        }

        func call(_ method: HTTPRequest.Method, _ uri: String, body: [UInt8]? = nil, extra: HTTPFields = [:]) async throws -> Reply {
            var headers = self.headers
            if body != nil { headers[.contentType] = "application/json" }
            for field in extra { headers[field.name] = field.value }
            let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
            return Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }

        func call(_ method: HTTPRequest.Method, _ uri: String, json: JSONValue) async throws -> Reply {
            try await call(method, uri, body: Array(json.serialized().utf8))
        }
    }

    static func userID(_ site: WebPageTests.Site, _ role: Role) async throws -> PersonID {
        try #require(try await site.services.directory.user(email: site.emails[role]!)).user.id
    }

    static func token(_ site: WebPageTests.Site, _ role: Role) async throws -> String {
        try await site.services.sessions.issueAPIToken(userID: try await userID(site, role), name: "test \(role.rawValue)").token
    }

    static func fixtureAnswers() throws -> JSONValue {
        try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: TestCluster.repositoryRoot + "/Tests/BlankettCoreTests/Fixtures/po-redovisning-2020-botkyrka.json"))))
            .setting(path: "underskrift.datum", to: "2021-01-04")
    }

    @Test func theDocumentDescribesExactlyTheRoutesThatExist() async throws {
        let site = try await WebPageTests.site()
        let token = try await Self.token(site, .editor)
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: try await Self.userID(site, .editor))
        try await site.application().test(.router) { client in
            let anonymous = Caller(client: client, headers: [:])
            let document = try await anonymous.call(.get, "/api/v1/openapi.yaml")
            #expect(document.status == .ok && document.headers[.contentType]?.hasPrefix("application/yaml") == true)
            let yaml = try #require(try Yams.load(yaml: document.text) as? [String: Any])
            #expect(yaml["openapi"] as? String == "3.1.0")
            let paths = try #require(yaml["paths"] as? [String: Any])
            var documented: Set<String> = []
            for (path, item) in paths {
                for key in (item as? [String: Any] ?? [:]).keys where ["get", "put", "post", "patch", "delete"].contains(key) {
                    documented.insert("\(key.uppercased()) \(path)")
                }
            }
            let implemented = Set(APIRoute.allCases.map { "\($0.method.rawValue) \($0.path)" })
            #expect(documented == implemented, "documented only: \(documented.subtracting(implemented)); implemented only: \(implemented.subtracting(documented))")

            // Each documented operation answers from its handler, in JSON, not as an unknown route.
            let caller = Caller.token(token, client: client)
            for route in APIRoute.allCases {
                let uri = route.path.replacingOccurrences(of: "{id}", with: record.id.uuid)
                    .replacingOccurrences(of: "{step}", with: "kontaktuppgifter").replacingOccurrences(of: "{transition}", with: "recall")
                let reply = route.method == .get ? try await caller.call(.get, uri) : try await caller.call(route.method, uri, json: .object([:]))
                #expect(reply.code != "no-such-route" && reply.status != .internalServerError, "\(route.method) \(uri): \(reply.status) \(reply.text.prefix(300))")
                let type = reply.headers[.contentType] ?? ""
                #expect(type.hasPrefix("application/json") || type.hasPrefix("application/problem+json") || route == .document, "\(uri): \(type)")
            }
            let unknown = try await caller.call(.get, "/api/v1/cases/\(record.id)/nothing")
            #expect(unknown.status == .notFound && unknown.code == "no-such-route")
            let noTransition = try await caller.call(.post, "/api/v1/cases/\(record.id)/transitions/approve", json: .object([:]))
            #expect(noTransition.status == .notFound && noTransition.code == "no-such-route")

            // Where a case can be started: the rounds open to the person's organisations.
            let rounds = try await caller.call(.get, "/api/v1/rounds")
            #expect(rounds.status == .ok)
            let listed = rounds.json.value(atPath: "rounds")?.arrayValue ?? []
            #expect(listed.contains { $0.value(atPath: "id") == .string(site.roundID.uuid) && $0.value(atPath: "organisation.id") == .string(site.botkyrka.uuid) },
                    "\(rounds.text.prefix(500))")

            // Filters as the document states them: an empty or unknown value is refused, not ignored.
            for query in ["year=", "year=1999", "year=%202020", "grant=", "grant=Personligt-ombud", "state=", "organisation="] {
                let refused = try await caller.call(.get, "/api/v1/cases?\(query)")
                #expect(refused.status == .badRequest && refused.code == "invalid-parameter", "\(query): \(refused.status)")
            }
            #expect(try await caller.call(.get, "/api/v1/cases?year=2020&grant=personligt-ombud&state=draft").status == .ok)
            #expect(unknown.headers[.contentType]?.hasPrefix("application/problem+json") == true)
        }
    }

    @Test func theListIsPagedByKeysetAndFilteredInTheQuery() async throws {
        let site = try await WebPageTests.site()
        let editorID = try await Self.userID(site, .editor)
        var created: [CaseID] = []
        for unit in 1...5 {
            let organisation = try await site.services.directory.createOrganisation(name: "Enhet \(unit)", organisationsnummer: nil, parentID: site.botkyrka)
            created.append(try await site.services.cases.create(roundID: site.roundID, organisationID: organisation.id, by: editorID).id)
        }
        let token = try await Self.token(site, .editor)
        let createdIDs = Set(created.map(\.uuid))
        try await site.application().test(.router) { client in
            let caller = Caller.token(token, client: client)
            // Every case of the person's organisations, units included (the editor is Botkyrka's).
            let all = try await caller.call(.get, "/api/v1/cases?limit=500")
            let ids = all.json.value(atPath: "cases")?.arrayValue?.compactMap { $0.value(atPath: "id")?.stringValue } ?? []
            #expect(Set(ids).isSuperset(of: createdIDs) && all.json.value(atPath: "next") == .null, "\(all.text.prefix(300))")
            // Two at a time, following `next`, gives the same cases in the same order.
            var paged: [String] = []
            var uri: String? = "/api/v1/cases?limit=2&state=draft"
            while let next = uri, paged.count <= ids.count {
                let page = try await caller.call(.get, next)
                #expect(page.status == .ok, "\(next): \(page.text.prefix(200))")
                let cases = page.json.value(atPath: "cases")?.arrayValue ?? []
                #expect(cases.count <= 2)
                paged += cases.compactMap { $0.value(atPath: "id")?.stringValue }
                uri = page.json.value(atPath: "next")?.stringValue
                if let uri { #expect(uri.contains("state=draft") && uri.contains("limit=2") && uri.contains("after=")) }
            }
            #expect(paged == ids, "keyset pages in deadline order")
            // Filters are the query's: a grant without forms, a year without cases.
            #expect(try await caller.call(.get, "/api/v1/cases?grant=ingen-sadan").json.value(atPath: "cases") == .array([]))
            #expect(try await caller.call(.get, "/api/v1/cases?year=2031").json.value(atPath: "cases") == .array([]))
            #expect(try await caller.call(.get, "/api/v1/cases?grant=personligt-ombud&year=2020&state=draft&limit=500")
                .json.value(atPath: "cases")?.arrayValue?.count == ids.count)
            for bad in ["limit=0", "limit=501", "limit=x", "after=inte-ett-id"] {
                let refused = try await caller.call(.get, "/api/v1/cases?\(bad)")
                #expect(refused.status == .badRequest && refused.code == "invalid-parameter", "\(bad)")
            }
        }
    }

    @Test func tokensAndSessionCookiesAuthenticate() async throws {
        let site = try await WebPageTests.site()
        let editorID = try await Self.userID(site, .editor)
        let issued = try await site.services.sessions.issueAPIToken(userID: editorID, name: "ekonomisystemet")
        try await site.application().test(.router) { client in
            let nobody = try await Caller(client: client, headers: [:]).call(.get, "/api/v1/cases")
            #expect(nobody.status == .unauthorized && nobody.code == "unauthenticated")
            #expect(nobody.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(nobody.json.value(atPath: "type") == .string("urn:blankett:problem:unauthenticated"))
            #expect(nobody.json.value(atPath: "status") == JSONValue(401))
            #expect(try await Caller.token("blk_wrong", client: client).call(.get, "/api/v1/cases").status == .unauthorized)
            #expect(try await Caller(client: client, headers: [.authorization: "Basic Zm9vOmJhcg=="]).call(.get, "/api/v1/me").status == .unauthorized)

            let me = try await Caller.token(issued.token, client: client).call(.get, "/api/v1/me")
            #expect(me.status == .ok && me.json.value(atPath: "email") == .string(site.emails[.editor]!))
            #expect(me.json.value(atPath: "organisations.0.roles.0") == .string("editor"))
            #expect(try await site.pool.query("SELECT count(*) FROM api_tokens WHERE last_used_at IS NOT NULL").single().decode(Int.self, at: 0) == 1)
            // A request within the minute reads the token and writes nothing.
            let firstUse = try await site.pool.query("SELECT last_used_at::text, xmin::text FROM api_tokens WHERE last_used_at IS NOT NULL").single()
            #expect(try await Caller.token(issued.token, client: client).call(.get, "/api/v1/me").status == .ok)
            let secondUse = try await site.pool.query("SELECT last_used_at::text, xmin::text FROM api_tokens WHERE last_used_at IS NOT NULL").single()
            #expect(try secondUse.decode((String, String).self) == firstUse.decode((String, String).self), "the row is not rewritten")
            #expect(try await site.pool.query("SELECT count(*) FROM api_tokens WHERE token_sha256 = \(issued.token)").single().decode(Int.self, at: 0) == 0,
                    "only the token's hash is stored")

            // The browser's cookie works too; a change then needs the session's CSRF token.
            var browser = WebPageTests.Browser(client: client)
            #expect(try await browser.logIn(site.emails[.editor]!) == .seeOther)
            let cookie = Caller(client: client, headers: [.cookie: browser.cookie])
            #expect(try await cookie.call(.get, "/api/v1/cases").status == .ok)
            let start: JSONValue = .object(["round": .string(site.roundID.uuid), "organisation": .string(site.botkyrka.uuid)])
            let forged = try await cookie.call(.post, "/api/v1/cases", json: start)
            #expect(forged.status == .forbidden && forged.code == "csrf")
            #expect(try await site.pool.query("SELECT count(*) FROM cases").single().decode(Int.self, at: 0) == 0)
            let created = try await cookie.call(.post, "/api/v1/cases", body: Array(start.serialized().utf8), extra: [APIAuthenticationMiddleware.csrfHeader: browser.csrf])
            #expect(created.status == .created && created.headers[.location]?.hasPrefix("/api/v1/cases/") == true, "\(created.text)")

            #expect(try await site.services.sessions.revokeAPIToken(id: issued.id, userID: editorID))
            #expect(try await Caller.token(issued.token, client: client).call(.get, "/api/v1/me").status == .unauthorized)
        }
    }

    @Test func aCaseGoesFromDraftToReceivedThroughTheAPI() async throws {
        let site = try await WebPageTests.site()
        let catalog = site.services.cases.catalog
        let definition = try #require(catalog["po-redovisning-2020"]).definition
        // One figure that deserves a second look: more posts than persons, a warning to acknowledge.
        let answers = try Self.fixtureAnswers().setting(path: "ombud_tjanster", to: "3,50")
        let tokens = (editor: try await Self.token(site, .editor), signatory: try await Self.token(site, .signatory), secretary: try await Self.token(site, .secretary))
        try await site.application().test(.router) { client in
            let editor = Caller.token(tokens.editor, client: client)
            let created = try await editor.call(.post, "/api/v1/cases", json: .object(["round": .string(site.roundID.uuid), "organisation": .string(site.botkyrka.uuid)]))
            #expect(created.status == .created, "\(created.text)")
            let caseID = try #require(created.json.value(atPath: "id")?.stringValue)
            #expect(created.json.value(atPath: "state") == .string("draft"))
            #expect(created.json.value(atPath: "transitions.0.name") == .string("mark_ready"))
            #expect(created.json.value(atPath: "answers.beviljat_belopp") == .string("1127386"), "the round's prefill")
            var version = try #require(created.json.value(atPath: "answersVersion")?.numberText.flatMap { Int($0) })

            // A wrong age sum is saved (a draft may be wrong) and named by the engine.
            let wrong = try await editor.call(.put, "/api/v1/cases/\(caseID)/steps/klienter-steg", json: .object([
                "answersVersion": JSONValue(version),
                "answers": .object(["klienter": .object(["totalt": .object([
                    "totalt": .object(["kvinnor": .string("10")]), "18-29": .object(["kvinnor": .string("4")]), "30-49": .object(["kvinnor": .string("7")]),
                ])])]),
            ]))
            #expect(wrong.status == .ok && wrong.json.value(atPath: "saved") == .bool(true), "\(wrong.text)")
            let findings = wrong.json.value(atPath: "findings")?.arrayValue ?? []
            #expect(findings.contains { $0.value(atPath: "severity") == .string("error") && ($0.value(atPath: "path")?.stringValue ?? "").hasPrefix("klienter.totalt.") },
                    "\(wrong.text)")
            let staleVersion = version
            version = try #require(wrong.json.value(atPath: "answersVersion")?.numberText.flatMap { Int($0) })
            #expect(version == staleVersion + 1)

            // Someone else's older version: nothing saved, the problem names what changed.
            let stale = try await editor.call(.put, "/api/v1/cases/\(caseID)/steps/klienter-steg", json: .object([
                "answersVersion": JSONValue(staleVersion), "answers": .object([:]),
            ]))
            #expect(stale.status == .conflict && stale.code == "conflict")
            #expect(stale.json.value(atPath: "currentVersion") == JSONValue(version))
            #expect(stale.json.value(atPath: "changes.0.path")?.stringValue?.hasPrefix("klienter.totalt.") == true, "\(stale.text)")

            // A version written as JSON Schema counts integers (`3.0`, `3e0`) is one; `3.5` is not.
            for written in ["\(staleVersion).0", "\(staleVersion)e0"] {
                let asInteger = try await editor.call(.put, "/api/v1/cases/\(caseID)/steps/klienter-steg",
                                                      body: Array("{\"answersVersion\": \(written), \"answers\": {}}".utf8))
                #expect(asInteger.status == .conflict, "\(written): \(asInteger.text)")
            }
            let fractional = try await editor.call(.put, "/api/v1/cases/\(caseID)/steps/klienter-steg", body: Array("{\"answersVersion\": 3.5, \"answers\": {}}".utf8))
            #expect(fractional.status == .unprocessableContent && fractional.code == "wrong-type")

            // A documented path asked with a method it does not take: 405 with Allow, in problem+json.
            for (method, path, allowed) in [(HTTPRequest.Method.trace, "/api/v1/cases", "GET, POST"), (.put, "/api/v1/me", "GET"),
                                             (HTTPRequest.Method("QUERY")!, "/api/v1/cases", "GET, POST"), (.get, "/api/v1/cases/\(caseID)/transitions/sign", "POST"),
                                             (.delete, "/api/v1/cases/\(caseID)/steps/ekonomi", "GET, PUT")] {
                let refused = try await editor.call(method, path)
                #expect(refused.status == .methodNotAllowed && refused.headers[.allow] == allowed && refused.code == "method-not-allowed", "\(method) \(path): \(refused.status)")
                #expect(refused.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }

            // Botkyrka's real answers, step by step.
            for step in definition.steps {
                let stepAnswers = JSONObject(uniqueKeysWithValues: step.fields.compactMap { field in answers.value(atPath: field.id).map { (field.id, $0) } })
                let saved = try await editor.call(.put, "/api/v1/cases/\(caseID)/steps/\(step.id)", json: .object([
                    "answersVersion": JSONValue(version), "answers": .object(stepAnswers),
                ]))
                #expect(saved.status == .ok, "\(step.id): \(saved.text.prefix(500))")
                version = saved.json.value(atPath: "answersVersion")?.numberText.flatMap { Int($0) } ?? version
            }
            let step = try await editor.call(.get, "/api/v1/cases/\(caseID)/steps/ekonomi")
            #expect(step.status == .ok && step.json.value(atPath: "answersVersion") == JSONValue(version))
            #expect(step.json.value(atPath: "answers.beviljat_statsbidrag") == nil, "only the step's own fields")
            let validation = try await editor.call(.get, "/api/v1/cases/\(caseID)/validation")
            #expect(validation.json.value(atPath: "valid") == .bool(true), "\(validation.text.prefix(1000))")
            let warnings = validation.json.value(atPath: "findings")?.arrayValue?.filter { $0.value(atPath: "severity") == .string("warning") && $0.value(atPath: "code") != .string("not-relevant") } ?? []
            #expect(!warnings.isEmpty, "Botkyrka's figures carry warnings to acknowledge")

            // Marking ready without acknowledging the warnings names them.
            let unacknowledged = try await editor.call(.post, "/api/v1/cases/\(caseID)/transitions/mark_ready", json: .object([:]))
            #expect(unacknowledged.status == .conflict && unacknowledged.json.value(atPath: "workflowCode") == .string("warning-not-acknowledged"))
            #expect(unacknowledged.json.value(atPath: "findings")?.arrayValue?.count == warnings.count, "\(unacknowledged.text.prefix(1500))")
            let acknowledgements = JSONObject(uniqueKeysWithValues: warnings.map { warning in
                ("\(warning.value(atPath: "code")!.stringValue!)@\(warning.value(atPath: "path")!.stringValue!)", JSONValue.string("Kontrollerat mot verksamhetssystemet."))
            })
            let ready = try await editor.call(.post, "/api/v1/cases/\(caseID)/transitions/mark_ready", json: .object(["acknowledgements": .object(acknowledgements)]))
            #expect(ready.status == .ok && ready.json.value(atPath: "state") == .string("ready"), "\(ready.text.prefix(1000))")
            #expect(try await editor.call(.post, "/api/v1/cases/\(caseID)/transitions/register", json: .object([:])).status == .forbidden)

            let signatory = Caller.token(tokens.signatory, client: client)
            #expect(try await signatory.call(.get, "/api/v1/cases/\(caseID)/transitions").json.value(atPath: "transitions.0.name") == .string("sign"))
            let wrongPassword = try await signatory.call(.post, "/api/v1/cases/\(caseID)/transitions/sign", json: .object(["password": .string("fel")]))
            #expect(wrongPassword.status == .forbidden && wrongPassword.json.value(atPath: "workflowCode") == .string("reauthentication-required"))
            let signed = try await signatory.call(.post, "/api/v1/cases/\(caseID)/transitions/sign", json: .object(["password": .string(WebPageTests.password)]))
            #expect(signed.json.value(atPath: "state") == .string("signed") && signed.json.value(atPath: "signatures") == JSONValue(1), "\(signed.text.prefix(500))")

            let secretary = Caller.token(tokens.secretary, client: client)
            for (name, body) in [
                ("register", JSONValue.object([:])),
                ("decide", .object(["meeting_date": .string("2021-01-26"), "paragraph": .string("§ 8"), "text": .string("Socialnämnden godkänner redovisningen."), "outcome": .string("approved")])),
                ("send", .object([:])),
                ("receive", .object(["authority_diarienummer": .string("821-12345-2020")])),
            ] {
                let reply = try await secretary.call(.post, "/api/v1/cases/\(caseID)/transitions/\(name)", json: body)
                #expect(reply.status == .ok, "\(name): \(reply.text.prefix(500))")
            }
            let done = try await secretary.call(.get, "/api/v1/cases/\(caseID)")
            #expect(done.json.value(atPath: "state") == .string("received"))
            #expect(done.json.value(atPath: "namndDiarienummer")?.stringValue?.hasPrefix("SN ") == true)
            #expect(done.json.value(atPath: "authorityDiarienummer") == .string("821-12345-2020"))
            #expect(done.json.value(atPath: "decision.paragraph") == .string("§ 8"))
            #expect(done.json.value(atPath: "transitions")?.arrayValue?.isEmpty == true)
            #expect(try await site.pool.query("SELECT count(*) FROM outbox WHERE case_id = \(caseID)::uuid").single().decode(Int.self, at: 0) == 1)

            // The list, filtered the way the secretary's dashboard filters.
            for (query, count) in [("", 1), ("?state=received", 1), ("?state=draft", 0), ("?grant=personligt-ombud&year=2020", 1), ("?year=2019", 0),
                                   ("?grant=bemanning-barn-unga", 0), ("?organisation=\(site.botkyrka)", 1)] {
                let list = try await secretary.call(.get, "/api/v1/cases\(query)")
                #expect(list.status == .ok && list.json.value(atPath: "cases")?.arrayValue?.count == count, "\(query): \(list.text.prefix(300))")
            }
            for query in ["?state=archived", "?year=twenty", "?grant=%3Cscript%3E"] {
                let refused = try await secretary.call(.get, "/api/v1/cases\(query)")
                #expect(refused.status == .badRequest && refused.code == "invalid-parameter", "\(query)")
            }

            // Another kommun sees nothing of it.
            let outsiderID = try #require(try await site.services.directory.user(email: site.outsider)).user.id
            let outsider = Caller.token(try await site.services.sessions.issueAPIToken(userID: outsiderID, name: "huddinge").token, client: client)
            #expect(try await outsider.call(.get, "/api/v1/cases/\(caseID)").status == .notFound)
            #expect(try await outsider.call(.get, "/api/v1/cases").json.value(atPath: "cases")?.arrayValue?.isEmpty == true)
            #expect(try await outsider.call(.get, "/api/v1/cases?organisation=\(site.botkyrka)").status == .notFound)
            #expect(try await outsider.call(.post, "/api/v1/cases/\(caseID)/transitions/recall", json: .object([:])).status == .notFound)
        }
    }

    @Test func malformedInputIsRefusedClearlyAndNothingIsSaved() async throws {
        let site = try await WebPageTests.site()
        let editorID = try await Self.userID(site, .editor)
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        let token = try await Self.token(site, .editor)
        try await site.application().test(.router) { client in
            let editor = Caller.token(token, client: client)
            let uri = "/api/v1/cases/\(record.id)/steps/kontaktuppgifter"
            func body(_ text: String) -> [UInt8] { Array(text.utf8) }
            let refusals: [(String, [UInt8], HTTPFields, HTTPResponse.Status, String)] = [
                ("not JSON", body("{\"answersVersion\": 1,"), [:], .badRequest, "malformed-json"),
                ("invalid UTF-8", [0x7B, 0x22, 0x61, 0x6E, 0x73, 0x77, 0x65, 0x72, 0x73, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D], [:], .badRequest, "malformed-json"),
                ("not an object", body("[1, 2]"), [:], .badRequest, "malformed-json"),
                ("unknown member", body("{\"answersVersion\": 1, \"answers\": {}, \"answersversion\": 2}"), [:], .badRequest, "unknown-member"),
                ("version as text", body("{\"answersVersion\": \"1\", \"answers\": {}}"), [:], .unprocessableContent, "wrong-type"),
                ("version huge", body("{\"answersVersion\": 1e400, \"answers\": {}}"), [:], .unprocessableContent, "wrong-type"),
                ("answers a list", body("{\"answersVersion\": 1, \"answers\": []}"), [:], .unprocessableContent, "wrong-type"),
                ("no version", body("{\"answers\": {}}"), [:], .unprocessableContent, "missing-member"),
                ("too deep", body(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)), [:], .badRequest, "malformed-json"),
                ("too large", body("{\"answersVersion\": 1, \"answers\": {\"kommun\": \"" + String(repeating: "x", count: 300 * 1024) + "\"}}"), [:], .contentTooLarge, "too-large"),
                ("a form post", body("kommun=Botkyrka"), [.contentType: "application/x-www-form-urlencoded"], .unsupportedMediaType, "unsupported-media-type"),
                ("a NUL", body("{\"answersVersion\": 1, \"answers\": {\"kommun\": \"a\\u0000b\"}}"), [:], .unprocessableContent, "invalid-input"),
            ]
            for (what, bytes, extra, status, code) in refusals {
                let reply = try await editor.call(.put, uri, body: bytes, extra: extra)
                #expect(reply.status == status && reply.code == code, "\(what): \(reply.status) \(reply.text.prefix(300))")
                #expect(reply.headers[.contentType]?.hasPrefix("application/problem+json") == true, "\(what)")
                #expect(!reply.text.contains("SELECT") && !reply.text.contains("Postgres") && !reply.text.contains(".swift"), "\(what): no internals")
            }
            #expect(try await site.services.cases.find(record.id, for: editorID).answersVersion == record.answersVersion, "nothing was saved")

            // A member that is no field of the step is not saved and is named in `dropped`, as the document says.
            let stray = try await editor.call(.put, uri, json: .object([
                "answersVersion": JSONValue(record.answersVersion),
                "answers": .object(["kommun": .string("Botkyrka"), "forbrukat_belopp": .string("1"), "kommnu": .string("\u{0}")]),
            ]))
            #expect(stray.status == .ok && stray.json.value(atPath: "dropped") == .array([.string("forbrukat_belopp"), .string("kommnu")]), "\(stray.text.prefix(300))")
            let strayStored = try await site.services.cases.find(record.id, for: editorID)
            #expect(strayStored.answers.value(atPath: "kommun") == .string("Botkyrka") && strayStored.answers.value(atPath: "forbrukat_belopp") == nil)
            let strayEvent = try await site.services.cases.events(record.id, for: editorID).last
            #expect(strayEvent?.details["dropped"] == nil, "a stray member is never stored, not even in the audit trail")

            // A number no field can hold exactly is refused where it is, not rounded, and not stored
            // (jsonb would rewrite 1e400 into 401 digits).
            let huge = try await editor.call(.put, "/api/v1/cases/\(record.id)/steps/klienter-steg", body: body(
                "{\"answersVersion\": \(record.answersVersion), \"answers\": {\"klienter\": {\"totalt\": {\"totalt\": {\"kvinnor\": 1e400}}}}}"))
            #expect(huge.status == .unprocessableContent && huge.code == "invalid-input", "\(huge.text.prefix(300))")
            #expect(huge.json.value(atPath: "detail")?.stringValue?.contains("klienter.totalt.totalt.kvinnor") == true)
            #expect(try await site.services.cases.find(record.id, for: editorID).answersVersion == strayStored.answersVersion)

            let transitions = "/api/v1/cases/\(record.id)/transitions"
            for (what, name, text, status, code) in [
                ("unknown transition", "approve", "{}", HTTPResponse.Status.notFound, "no-such-route"),
                ("an input the transition does not read", "recall", "{\"comment\": \"x\"}", .badRequest, "unknown-member"),
                ("acknowledgements as a list", "mark_ready", "{\"acknowledgements\": []}", .unprocessableContent, "wrong-type"),
                ("a comment as a number", "return", "{\"comment\": 5}", .unprocessableContent, "wrong-type"),
                ("in the wrong state", "recall", "{}", .conflict, "workflow"),
            ] {
                let reply = try await editor.call(.post, "\(transitions)/\(name)", body: body(text))
                #expect(reply.status == status && reply.code == code, "\(what): \(reply.status) \(reply.text.prefix(300))")
            }
            #expect(try await editor.call(.get, "/api/v1/cases/not-a-uuid").status == .notFound)
            #expect(try await editor.call(.get, "/api/v1/cases/\(record.id)/steps/nothing").status == .notFound)
            #expect(try await site.services.cases.find(record.id, for: editorID).state == .draft)
        }
    }
}
