import BlankettCore
import BlankettIdentity
import BlankettPostgres
import BlankettTestSupport
@testable import BlankettWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Testing

/// Sign-in through an organisation's OpenID Provider, against a real one
/// (pyop, `Tests/OIDC/provider.py`) over https on loopback, and a real PostgreSQL.
@Suite(.serialized) struct IdentityProviderTests {
    static let secretVariable = "BOTKYRKA_OIDC_SECRET"

    struct Setup {
        var site: WebPageTests.Site
        let provider: OpenIDTestProvider
        let http: CurlHTTPClient
    }

    /// The Botkyrka test site signing in through a fresh provider that knows
    /// the editor, someone Blankett does not know, and someone of another domain.
    static func setup(allowedDomains: [String] = [], signingACR: [String] = []) async throws -> Setup {
        var site = try await WebPageTests.site()
        let provider = try OpenIDTestProvider.start(users: [
            .init(login: "editor", password: "idp-lösen", email: site.emails[.editor]!, name: "Person editor"),
            .init(login: "signatory", password: "idp-lösen", email: site.emails[.signatory]!, name: "Person signatory"),
            .init(login: "signatory-loa2", password: "idp-lösen", email: site.emails[.signatory]!, name: "Person signatory", acr: OpenIDTestProvider.loa2),
            .init(login: "stranger", password: "idp-lösen", email: "okand@botkyrka.example", name: "Okänd Person"),
            .init(login: "consultant", password: "idp-lösen", email: "konsult@example.com", name: "Konsult"),
        ], redirectURIs: [site.services.publicURL + "/login/oidc/callback"])
        let http = CurlHTTPClient(caFile: provider.caFile)
        site.services.identity = IdentityProviderRegistry(http: http, environment: [secretVariable: provider.clientSecret])
        try await site.services.directory.setIdentityProvider(IdentityProviderSettings(
            organisationID: site.botkyrka, displayName: "Botkyrka kommun", issuer: provider.issuer, clientID: provider.clientID,
            clientSecretFrom: "env:\(secretVariable)", allowedDomains: allowedDomains, signingACRValues: signingACR))
        return Setup(site: site, provider: provider, http: http)
    }

    /// One browser's way through a sign-in: Blankett's start link, the
    /// provider's login form, back to Blankett's callback.
    struct SignIn {
        let client: any TestClientProtocol
        let http: CurlHTTPClient
        var stateCookie = ""
        var authorizeURL = ""

        /// GET /login/oidc/start: the redirect to the provider, with the state cookie.
        mutating func start(_ organisation: OrganisationID) async throws -> HTTPResponse.Status {
            let response = try await client.execute(uri: "/login/oidc/start?organisation=\(organisation)", method: .get)
            authorizeURL = response.headers[.location] ?? ""
            stateCookie = response.headers[.setCookie].flatMap { $0.split(separator: ";").first.map(String.init) } ?? ""
            return response.status
        }

        /// Signs in at the provider's own form; returns the callback URL it sends the browser to.
        func signInAtProvider(login: String, password: String = "idp-lösen") async throws -> String {
            let form = try await http.get(authorizeURL)
            #expect(form.status == 200 && String(decoding: form.body, as: UTF8.self).contains("Testkommunens inloggning"))
            let query = URLComponents(string: authorizeURL)?.percentEncodedQuery ?? ""
            let issuer = authorizeURL.components(separatedBy: "/authorize").first ?? ""
            let answer = try await http.postForm(issuer + "/login", [("request", query), ("username", login), ("password", password)])
            return answer.location ?? ""
        }

        /// The whole way for `login`: Blankett's start link, the provider's form, the callback.
        mutating func complete(_ organisation: OrganisationID, as login: String) async throws -> (HTTPResponse.Status, String, HTTPFields) {
            _ = try await start(organisation)
            return try await callback(try await signInAtProvider(login: login))
        }

        /// GET the callback as the browser would, with its cookie.
        func callback(_ url: String, cookie: String? = nil) async throws -> (HTTPResponse.Status, String, HTTPFields) {
            let path = url.replacingOccurrences(of: "http://127.0.0.1:8080", with: "")
            let response = try await client.execute(uri: path, method: .get, headers: [.cookie: cookie ?? stateCookie])
            return (response.status, String(buffer: response.body), response.headers)
        }
    }

    static func sessionCookie(_ headers: HTTPFields) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix(WebController.cookieName + "=") && !$0.hasPrefix(WebController.cookieName + "=;") }
            .flatMap { $0.split(separator: ";").first.map(String.init) }
    }

    @Test func theEditorSignsInThroughTheProviderAndTheRequestCannotBeReplayed() async throws {
        let setup = try await Self.setup()
        defer { setup.provider.stop() }
        try await setup.site.application().test(.router) { client in
            let login = try await client.execute(uri: "/login", method: .get)
            #expect(String(buffer: login.body).contains("href=\"/login/oidc/start?organisation=\(setup.site.botkyrka)\">Logga in med Botkyrka kommun</a>"))

            var browser = SignIn(client: client, http: setup.http)
            #expect(try await browser.start(setup.site.botkyrka) == .seeOther)
            let authorize = try #require(URLComponents(string: browser.authorizeURL))
            let parameters = Dictionary(uniqueKeysWithValues: (authorize.queryItems ?? []).map { ($0.name, $0.value ?? "") })
            #expect(browser.authorizeURL.hasPrefix(setup.provider.issuer + "/authorize?"))
            #expect(parameters["response_type"] == "code" && parameters["client_id"] == "blankett" && parameters["code_challenge_method"] == "S256")
            #expect(parameters["redirect_uri"] == "http://127.0.0.1:8080/login/oidc/callback")
            #expect(parameters["state"]?.count == 43 && parameters["nonce"]?.count == 43 && parameters["code_challenge"]?.count == 43)
            #expect(browser.stateCookie == "\(WebController.stateCookieName)=\(parameters["state"] ?? "-")")

            let callback = try await browser.signInAtProvider(login: "editor")
            #expect(callback.hasPrefix("http://127.0.0.1:8080/login/oidc/callback?"), "\(callback)")
            let (status, page, headers) = try await browser.callback(callback)
            #expect(status == .seeOther && headers[.location] == "/", "\(status): \(page.components(separatedBy: "role=\"alert\"").dropFirst().first?.prefix(300) ?? "")")
            let session = try #require(Self.sessionCookie(headers), "a session cookie")
            let dashboard = try await client.execute(uri: "/", method: .get, headers: [.cookie: session])
            #expect(dashboard.status == .ok && String(buffer: dashboard.body).contains("Person editor"))

            // The same answer again (a replay, or the back button): the request is used up.
            let (replayed, replayPage, replayHeaders) = try await browser.callback(callback)
            #expect(replayed == .badRequest && replayPage.contains("Börja om inloggningen") && Self.sessionCookie(replayHeaders) == nil)
        }
    }

    @Test func aCallbackWithoutItsBrowserOrWithAnotherStateIsRefused() async throws {
        let setup = try await Self.setup()
        defer { setup.provider.stop() }
        try await setup.site.application().test(.router) { client in
            var browser = SignIn(client: client, http: setup.http)
            _ = try await browser.start(setup.site.botkyrka)
            let callback = try await browser.signInAtProvider(login: "editor")
            // Another browser (no state cookie): a login CSRF attempt.
            let (other, _, otherHeaders) = try await browser.callback(callback, cookie: "")
            #expect(other == .badRequest && Self.sessionCookie(otherHeaders) == nil)
            // A tampered state, with a cookie to match it.
            var components = try #require(URLComponents(string: callback))
            components.queryItems = components.queryItems?.map { $0.name == "state" ? URLQueryItem(name: "state", value: String(repeating: "A", count: 43)) : $0 }
            let (tampered, _, tamperedHeaders) = try await browser.callback(components.string!, cookie: "\(WebController.stateCookieName)=\(String(repeating: "A", count: 43))")
            #expect(tampered == .badRequest && Self.sessionCookie(tamperedHeaders) == nil)
            // The genuine one still works afterwards: nothing above used it up.
            let (genuine, _, headers) = try await browser.callback(callback)
            #expect(genuine == .seeOther && Self.sessionCookie(headers) != nil)
        }
    }

    /// The provider issues a token with one thing wrong; Blankett refuses each, with a reason.
    @Test(arguments: [
        ("aud", "en annan tjänst"), ("iss", "kom inte från kommunens inloggningstjänst"), ("exp", "hann gå ut"),
        ("signature", "underskrift stämmer inte"), ("nonce", "hör inte till den här begäran"),
    ])
    func aWrongTokenIsRefused(claim: String, message: String) async throws {
        let setup = try await Self.setup()
        defer { setup.provider.stop() }
        try await setup.site.application().test(.router) { client in
            var browser = SignIn(client: client, http: setup.http)
            _ = try await browser.start(setup.site.botkyrka)
            let callback = try await browser.signInAtProvider(login: "editor")
            #expect(try await setup.http.postForm(setup.provider.issuer + "/test/tamper?claim=\(claim)", []).status == 200)
            let (status, page, headers) = try await browser.callback(callback)
            #expect(status == .unauthorized && page.contains(message) && Self.sessionCookie(headers) == nil, "\(claim): \(status)")
        }
    }

    @Test func aPersonBlankettDoesNotKnowOrOfAnotherDomainIsRefusedAndTheAdministratorSeesIt() async throws {
        let setup = try await Self.setup(allowedDomains: ["botkyrka.example"])
        defer { setup.provider.stop() }
        try await setup.site.application().test(.router) { client in
            var stranger = SignIn(client: client, http: setup.http)
            let (status, page, headers) = try await stranger.complete(setup.site.botkyrka, as: "stranger")
            #expect(status == .forbidden && page.contains("inte upplagd i Blankett") && Self.sessionCookie(headers) == nil)

            var consultant = SignIn(client: client, http: setup.http)
            let (domainStatus, domainPage, _) = try await consultant.complete(setup.site.botkyrka, as: "consultant")
            #expect(domainStatus == .forbidden && domainPage.contains("hör inte till en domän"))
            let refusals = try await setup.site.services.directory.refusedSignIns(of: setup.site.botkyrka)
            #expect(refusals.map(\.identity).sorted() == ["konsult@example.com", "okand@botkyrka.example"], "\(refusals)")
        }
    }

    @Test func aRotatedSigningKeyIsFetchedOnce() async throws {
        let setup = try await Self.setup()
        defer { setup.provider.stop() }
        try await setup.site.application().test(.router) { client in
            var first = SignIn(client: client, http: setup.http)
            let firstStatus = try await first.complete(setup.site.botkyrka, as: "editor").0
            #expect(firstStatus == .seeOther)
            #expect(try await setup.http.postForm(setup.provider.issuer + "/test/rotate", []).status == 200)
            let provider = await setup.site.services.identity.provider(issuer: setup.provider.issuer)
            await provider.setRefetchInterval(.zero)
            var second = SignIn(client: client, http: setup.http)
            let secondStatus = try await second.complete(setup.site.botkyrka, as: "editor").0
            #expect(secondStatus == .seeOther, "signed with the new key")
            #expect(await provider.keySetFetches == 2, "the keys fetched once at the first sign-in and once after the rotation")
            var third = SignIn(client: client, http: setup.http)
            let thirdStatus = try await third.complete(setup.site.botkyrka, as: "editor").0
            #expect(thirdStatus == .seeOther)
            #expect(await provider.keySetFetches == 2, "a known key needs no download")
        }
    }

    @Test func passwordsSwitchedOffSendPeopleToTheProviderAndLogoutEndsItsSessionByLink() async throws {
        let setup = try await Self.setup()
        defer { setup.provider.stop() }
        var settings = try #require(try await setup.site.services.directory.identityProvider(of: setup.site.botkyrka))
        settings.passwordsAllowed = false
        try await setup.site.services.directory.setIdentityProvider(settings)
        try await setup.site.application().test(.router) { client in
            var browser = WebPageTests.Browser(client: client)
            #expect(try await browser.logIn(setup.site.emails[.editor]!) == .forbidden)
            // Someone outside Botkyrka still uses a password.
            var outsider = WebPageTests.Browser(client: client)
            #expect(try await outsider.logIn(setup.site.outsider) == .seeOther)

            var signIn = SignIn(client: client, http: setup.http)
            let signedIn = try await signIn.complete(setup.site.botkyrka, as: "editor")
            let session = try #require(Self.sessionCookie(signedIn.2))
            let dashboard = try await client.execute(uri: "/", method: .get, headers: [.cookie: session])
            let csrf = WebPageTests.Browser.csrf(in: String(buffer: dashboard.body))
            let logout = try await client.execute(uri: "/logout", method: .post, headers: [.cookie: session, .contentType: "application/x-www-form-urlencoded"],
                                                  body: ByteBuffer(string: "csrf=\(csrf)"))
            let page = String(buffer: logout.body)
            #expect(logout.status == .ok && page.contains("Du är utloggad från Blankett"), "\(logout.status)")
            #expect(page.contains("href=\"\(setup.provider.issuer)/logout?client_id=blankett&amp;post_logout_redirect_uri=http://127.0.0.1:8080/login\""), "\(page)")
            #expect(try await client.execute(uri: "/", method: .get, headers: [.cookie: session]).status == .seeOther, "the session is gone")
        }
    }

    @Test func theAdministratorSetsUpTheProviderOnTheirPageAndBadSettingsAreRefused() async throws {
        let site = try await WebPageTests.site()
        try await site.application().test(.router) { client in
            var admin = WebPageTests.Browser(client: client)
            _ = try await admin.logIn(site.emails[.admin]!)
            let page = try await admin.get("/admin/\(site.botkyrka)")
            #expect(page.1.contains("Inloggning via organisationens inloggningstjänst") && page.1.contains("<code>http://127.0.0.1:8080/login/oidc/callback</code>"))
            let fields = [("idp_name", "Botkyrka kommun"), ("idp_issuer", "https://login.microsoftonline.com/botkyrka/v2.0"), ("idp_client_id", "3f2a-blankett"),
                          ("idp_secret_from", "env:BOTKYRKA_OIDC_SECRET"), ("idp_claim", "preferred_username"), ("idp_domains", "botkyrka.se Botkyrka.example"),
                          ("idp_acr", "http://id.elegnamnden.se/loa/1.0/loa3"), ("idp_passwords", "nej")]
            var editor = WebPageTests.Browser(client: client)
            _ = try await editor.logIn(site.emails[.editor]!)
            #expect(try await editor.post("/admin/\(site.botkyrka)/identity-provider", fields).0 == .forbidden, "only the administrator")
            let saved = try await admin.post("/admin/\(site.botkyrka)/identity-provider", fields)
            #expect(saved.0 == .seeOther)
            let stored = try #require(try await site.services.directory.identityProvider(of: site.botkyrka))
            #expect(stored.issuer == "https://login.microsoftonline.com/botkyrka/v2.0" && stored.identityClaim == "preferred_username"
                    && stored.allowedDomains == ["botkyrka.se", "botkyrka.example"] && !stored.passwordsAllowed)
            #expect((try await client.execute(uri: "/login", method: .get)).body.readableBytes > 0)

            // A secret typed where its location belongs, or a plain-http issuer: 422, the typed values kept, nothing changed.
            for (name, value, message) in [("idp_secret_from", "hunter2", "env:NAMN"), ("idp_issuer", "http://login.example", "https-adress"),
                                           ("idp_domains", "botkyrka.se <script>", "ingen domän")] {
                let refused = try await admin.post("/admin/\(site.botkyrka)/identity-provider", fields.map { $0.0 == name ? (name, value) : $0 })
                #expect(refused.0 == .unprocessableContent && refused.1.contains(message) && !refused.1.contains("<script>"), "\(name): \(refused.0)")
            }
            #expect(try await site.services.directory.identityProvider(of: site.botkyrka) == stored)


            #expect(try await admin.post("/admin/\(site.botkyrka)/identity-provider/remove", []).0 == .seeOther)
            #expect(try await site.services.directory.identityProvider(of: site.botkyrka) == nil)
        }
    }

    /// Signing with step-up: a fresh authentication at the provider with the
    /// required assurance level; the signature records and seals what the
    /// provider asserted.
    @Test func theSignatorySignsWithStepUpAndALowerLevelOrAnOldAuthenticationIsRefused() async throws {
        let setup = try await Self.setup(signingACR: [OpenIDTestProvider.loa3])
        defer { setup.provider.stop() }
        let site = setup.site
        let editorID = try #require(try await site.services.directory.user(email: site.emails[.editor]!)).user.id
        let signatoryID = try #require(try await site.services.directory.user(email: site.emails[.signatory]!)).user.id
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        let saved = try await site.services.cases.saveAnswers(record.id, step: nil, answers: try APITests.fixtureAnswers(), baseVersion: record.answersVersion, by: editorID)
        _ = try await site.services.cases.markReady(record.id, acknowledgements: Dictionary(uniqueKeysWithValues: saved.findings.warnings.map { (WarningKey($0), "Kontrollerat.") }),
                                                    by: editorID)
        try await site.application().test(.router) { client in
            var signatory = WebPageTests.Browser(client: client)
            _ = try await signatory.logIn(site.emails[.signatory]!)
            let casePage = try await signatory.get("/cases/\(record.id)")
            #expect(casePage.1.contains("href=\"/cases/\(record.id)/sign/start\">Skriv under med e-legitimation via Botkyrka kommun</a>"))

            /// Starts signing from the signatory's session; returns the authorize URL and the state cookie.
            func startSigning() async throws -> SignIn {
                var flow = SignIn(client: client, http: setup.http)
                let response = try await client.execute(uri: "/cases/\(record.id)/sign/start", method: .get, headers: [.cookie: signatory.cookie])
                #expect(response.status == .seeOther)
                flow.authorizeURL = response.headers[.location] ?? ""
                flow.stateCookie = response.headers[.setCookie].flatMap { $0.split(separator: ";").first.map(String.init) } ?? ""
                return flow
            }
            func finish(_ flow: SignIn, as login: String) async throws -> (HTTPResponse.Status, String, HTTPFields) {
                try await flow.callback(try await flow.signInAtProvider(login: login), cookie: "\(signatory.cookie); \(flow.stateCookie)")
            }

            let lower = try await startSigning()
            let parameters = Dictionary(uniqueKeysWithValues: (URLComponents(string: lower.authorizeURL)?.queryItems ?? []).map { ($0.name, $0.value ?? "") })
            #expect(parameters["prompt"] == "login" && parameters["max_age"] == "0" && parameters["acr_values"] == OpenIDTestProvider.loa3)
            let (lowerStatus, lowerPage, _) = try await finish(lower, as: "signatory-loa2")
            #expect(lowerStatus == .unauthorized && lowerPage.contains("högre tillitsnivå"), "\(lowerStatus)")

            let stale = try await startSigning()
            #expect(try await setup.http.postForm(setup.provider.issuer + "/test/tamper?claim=auth_time", []).status == 200)
            let (staleStatus, stalePage, _) = try await finish(stale, as: "signatory")
            #expect(staleStatus == .unauthorized && stalePage.contains("legitimerar dig på nytt"), "\(staleStatus)")

            let someoneElse = try await startSigning()
            let (otherStatus, otherPage, _) = try await finish(someoneElse, as: "editor")
            #expect(otherStatus != .seeOther && otherPage.contains("någon annan än den som är inloggad"), "\(otherStatus)")
            #expect(try await site.services.cases.overview(record.id, for: signatoryID).signatures.isEmpty, "nothing signed so far")

            let good = try await startSigning()
            let (status, _, headers) = try await finish(good, as: "signatory")
            #expect(status == .seeOther && headers[.location] == "/cases/\(record.id)?klart=sign", "\(status)")
            let verdicts = try await site.services.cases.overview(record.id, for: signatoryID).signatures
            let assertion = try #require(verdicts.first?.assertion)
            #expect(verdicts.count == 1 && verdicts[0].isValid)
            #expect(assertion.issuer == setup.provider.issuer && assertion.authenticationContext == OpenIDTestProvider.loa3)
            #expect(assertion.idTokenSHA256Hex.count == 64 && (assertion.authenticatedAt ?? 0) > 1_700_000_000 && !assertion.subject.isEmpty)
            let shown = try await signatory.get("/cases/\(record.id)")
            #expect(shown.1.contains("legitimerad på nytt via \(setup.provider.issuer) (loa3)"), "the case page shows the assertion")
            let digest = try await site.pool.query("SELECT snapshot_sha256 FROM case_signatures WHERE case_id = \(record.id)::uuid").single().decode(String.self, at: 0)
            let code = VerificationCode.make(snapshotSHA256Hex: digest)
            let verification = try await client.execute(uri: "/verify/\(code)", method: .get)
            #expect(String(buffer: verification.body).contains("legitimerad på nytt via \(setup.provider.issuer) (loa3)"), "and so does /verify")
        }
    }

    @Test func startingSignInsIsLimitedPerClientAndBadInputIsRefused() async throws {
        var limited = try await WebPageTests.site()
        limited.services.providerSignInLimit = VerificationRateLimit(limit: 1)
        let site = limited
        try await site.application().test(.router) { client in
            #expect(try await client.execute(uri: "/login/oidc/start?organisation=not-a-uuid", method: .get).status == .unprocessableContent)
            #expect(try await client.execute(uri: "/login/oidc/start?organisation=\(site.botkyrka)", method: .get).status == .notFound, "no provider")
            let limited = try await client.execute(uri: "/login/oidc/start?organisation=\(site.botkyrka)", method: .get)
            #expect(limited.status == .tooManyRequests && limited.headers[HTTPField.Name("Retry-After")!] == "600")
            let callback = try await client.execute(uri: "/login/oidc/callback?code=%00&state=x", method: .get)
            #expect(callback.status == .badRequest)
            let error = try await client.execute(uri: "/login/oidc/callback?error=access_denied&state=x", method: .get)
            #expect(error.status == .unauthorized && String(buffer: error.body).contains("Inloggningen avbröts."))
        }
    }
}
