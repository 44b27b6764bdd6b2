import BlankettCore
import BlankettIdentity
import BlankettPostgres
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Sign-in through the organisation's own identity provider (OpenID Connect,
/// authorization code with PKCE, `state` and `nonce`).
extension WebController {
    static let stateCookieName = "blankett_oidc_state"
    static let stateCookiePath = "/login/oidc"
    static let callbackPath = "/login/oidc/callback"
    /// Organisation ids and error kinds only: nothing that names a person.
    static let identityLogger = Logger(label: "blankett.identity")
    var logger: Logger { Self.identityLogger }

    func registerIdentityProviderSignIn(on router: Router<BlankettRequestContext>) {
        // A link, not a form: the pages' CSP (form-action 'self') would stop
        // a form's redirect to the provider. The request it remembers is
        // bound to this browser by the state cookie.
        router.get("/login/oidc/start") { request, context in
            guard let organisationID = request.uri.queryParameters.get("organisation").flatMap(OrganisationID.init) else {
                return await self.signInProblem("Välj vilken organisations inloggning du vill använda.", status: .unprocessableContent)
            }
            guard self.services.providerSignInLimit.admit(self.clientAddress(request, context)) else {
                var response = await self.signInProblem("Många inloggningar har påbörjats härifrån på kort tid. Vänta några minuter och försök igen.",
                                                        status: .tooManyRequests)
                response.headers[HTTPField.Name("Retry-After")!] = "600"
                return response
            }
            return try await self.startSignIn(organisationID: organisationID)
        }
        router.get(RouterPath(stringLiteral: Self.callbackPath)) { request, _ in
            try await self.finishSignIn(request)
        }
    }

    var redirectURI: String { services.publicURL + Self.callbackPath }

    /// The login page's buttons, one per organisation with a provider.
    func identityProviderButtons() async -> [[String: Any]] {
        ((try? await services.directory.identityProviderButtons()) ?? []).map { ["organisation": $0.organisationID, "name": $0.displayName] }
    }

    func signInProblem(_ problem: String, status: HTTPResponse.Status) async -> Response {
        loginPage(email: "", problem: problem, status: status, providers: await identityProviderButtons())
    }

    private func startSignIn(organisationID: OrganisationID) async throws -> Response {
        guard let settings = try await services.directory.identityProvider(of: organisationID) else {
            return await signInProblem("Organisationen loggar inte in via en egen inloggningstjänst.", status: .notFound)
        }
        return try await redirectToProvider(settings, signing: nil)
    }

    /// Signing with step-up: the signatory authenticates anew at the
    /// organisation's provider (`prompt=login`, `max_age=0`, the assurance
    /// levels the organisation requires), and the callback signs.
    func registerSigningThroughProvider(on pages: RouterGroup<SignedInRequestContext>) {
        pages.get("/cases/:id/sign/start") { _, context in
            let caseID = try context.parameters.id("id", as: CaseID.self)
            let opened = try await self.services.cases.overview(caseID, for: context.person.userID).opened
            try opened.record.workflow.availability(of: .sign, by: opened.actor).mapError(CaseError.init).get()
            guard let settings = try await self.services.directory.identityProvider(governing: opened.record.organisationID) else {
                throw CaseError(.workflow, "Organisationen skriver inte under via en egen inloggningstjänst; skriv under med ditt lösenord.")
            }
            return try await self.redirectToProvider(settings, signing: (caseID, context.person.userID))
        }
    }

    private func redirectToProvider(_ settings: IdentityProviderSettings, signing: (caseID: CaseID, userID: PersonID)?) async throws -> Response {
        let organisationID = settings.organisationID
        let metadata: OpenIDProvider.Metadata
        do {
            metadata = try await services.identity.provider(issuer: settings.issuer).discover()
        } catch {
            logger.warning("identity provider unreachable", metadata: ["organisation": "\(organisationID)", "error": "\(error)"])
            return await signInProblem("Kommunens inloggningstjänst svarar inte just nu. Försök igen om en stund.", status: .badGateway)
        }
        let state = SecretToken.random(), nonce = SecretToken.random(), verifier = SecretToken.random()
        try await services.directory.rememberAuthenticationRequest(state: state, organisationID: organisationID, nonce: nonce, codeVerifier: verifier,
                                                                   signing: signing)
        var components = URLComponents(string: metadata.authorizationEndpoint)
        let given = components?.queryItems ?? []
        components?.queryItems = given + [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: settings.clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
            URLQueryItem(name: "scope", value: "openid email profile"),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "nonce", value: nonce),
            URLQueryItem(name: "code_challenge", value: OpenIDConnect.codeChallenge(for: verifier)),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ] + (signing == nil ? [] : [
            // A signature rests on a fresh authentication, never on an earlier session at the provider.
            URLQueryItem(name: "prompt", value: "login"),
            URLQueryItem(name: "max_age", value: "0"),
        ] + (settings.signingACRValues.isEmpty ? [] : [URLQueryItem(name: "acr_values", value: settings.signingACRValues.joined(separator: " "))]))
        guard let location = components?.url?.absoluteString else {
            return await signInProblem("Kommunens inloggningstjänst har en felaktig adress. Kontakta kommunens IT-avdelning.", status: .badGateway)
        }
        var response = Response.redirect(to: location, type: .normal)
        // The browser that started the sign-in must be the one that finishes it.
        response.setCookie(cookie(Self.stateCookieName, state, path: Self.stateCookiePath, maxAge: 600))
        return response
    }

    private func finishSignIn(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let state = query.get("state") ?? ""
        if let error = query.get("error") {
            let cancelled = error == "access_denied" || error == "login_required"
            return await signInProblem(cancelled ? "Inloggningen avbröts." : "Kommunens inloggningstjänst kunde inte logga in dig (\(error.prefix(60))).",
                                       status: .unauthorized)
        }
        guard let code = query.get("code"), (1...4000).contains(code.utf8.count), (1...200).contains(state.utf8.count),
              !code.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value > 0x7E }) else {
            return await signInProblem("Svaret från inloggningstjänsten saknar uppgifter. Börja om inloggningen.", status: .badRequest)
        }
        guard let sent = request.cookies[Self.stateCookieName]?.value, SecretToken.equal(sent, state),
              let pending = try await services.directory.takeAuthenticationRequest(state: state) else {
            return await signInProblem("Inloggningen hör inte till den här webbläsaren eller har gått ut. Börja om inloggningen.", status: .badRequest)
        }
        guard let settings = try await services.directory.identityProvider(of: pending.organisationID),
              let secret = await services.identity.clientSecret(from: settings.clientSecretFrom) else {
            logger.error("identity provider without a client secret", metadata: ["organisation": "\(pending.organisationID)"])
            return await signInProblem("Inloggningen via kommunens inloggningstjänst är inte färdiginställd. Kontakta administratören.", status: .serviceUnavailable)
        }
        let provider = await services.identity.provider(issuer: settings.issuer)
        let claims: IDTokenClaims
        do {
            let idToken = try await provider.exchange(code: code, codeVerifier: pending.codeVerifier, redirectURI: redirectURI,
                                                      clientID: settings.clientID, clientSecret: secret)
            var requirements = IDTokenRequirements(issuer: settings.issuer, clientID: settings.clientID, nonce: pending.nonce,
                                                   now: Int(Date().timeIntervalSince1970))
            if pending.signing != nil {
                requirements.authenticatedNoEarlierThan = pending.createdAt
                requirements.acceptedContexts = settings.signingACRValues
            }
            switch try await provider.verify(idToken, requirements: requirements) {
            case .success(let verified):
                claims = verified
                if let signing = pending.signing {
                    return try await finishSigning(request, signing: signing, claims: claims, idToken: idToken, settings: settings)
                }
            case .failure(let problem):
                logger.warning("ID token refused", metadata: ["organisation": "\(pending.organisationID)", "reason": "\(problem.code.rawValue)"])
                return await signInProblem(problem.message, status: .unauthorized)
            }
        } catch {
            logger.warning("sign-in at the identity provider failed", metadata: ["organisation": "\(pending.organisationID)", "error": "\(error)"])
            return await signInProblem("Kommunens inloggningstjänst svarade inte som väntat. Försök igen om en stund.", status: .badGateway)
        }
        guard let identity = claims.strings[settings.identityClaim], !identity.isEmpty, identity.count <= 320 else {
            return await refuse(settings, identity: "(sub \(claims.subject.prefix(80)))",
                                reason: "Inloggningstjänsten skickade inget \(settings.identityClaim).",
                                message: "Kommunens inloggningstjänst berättade inte vem du är (\(settings.identityClaim) saknas). Kontakta kommunens IT-avdelning.")
        }
        if !settings.allowedDomains.isEmpty {
            let domain = identity.split(separator: "@").last.map { $0.lowercased() } ?? ""
            guard identity.contains("@"), settings.allowedDomains.contains(domain) else {
                return await refuse(settings, identity: identity, reason: "Domänen är inte tillåten.",
                                    message: "Adressen \(identity) hör inte till en domän som organisationen loggar in med.")
            }
        }
        guard let userID = try await services.directory.member(email: identity, of: settings.organisationID) else {
            return await refuse(settings, identity: identity, reason: "Ingen sådan person i organisationen.",
                                message: "Du (\(identity)) är inte upplagd i Blankett för den här organisationen. Be organisationens administratör att lägga till dig.")
        }
        let opened = try await services.sessions.openSession(userID: userID, through: settings.organisationID, providerSessionID: claims.sessionID)
        var response = Response.redirect(to: "/", type: .normal)
        response.setCookie(cookie(Self.cookieName, opened.token))
        response.setCookie(cookie(Self.stateCookieName, path: Self.stateCookiePath, removed: true))
        return response
    }

    /// The signature of a step-up authentication: only for the session that
    /// asked, and only when the provider vouched for that same person.
    private func finishSigning(_ request: Request, signing: (caseID: CaseID, userID: PersonID), claims: IDTokenClaims, idToken: String,
                               settings: IdentityProviderSettings) async throws -> Response {
        guard let token = request.cookies[Self.cookieName]?.value, let session = try await services.sessions.session(token: token),
              session.userID == signing.userID else {
            return await signInProblem("Underskriften hör till en annan inloggning i Blankett. Logga in och skriv under igen.", status: .forbidden)
        }
        guard let identity = claims.strings[settings.identityClaim], identity.lowercased() == session.email.lowercased() else {
            return errorPage(CaseError(.workflow, "Du legitimerade dig som någon annan än den som är inloggad i Blankett. Ingen underskrift är gjord."), user: session)
        }
        let assertion = SigningAssertion(issuer: claims.issuer, subject: claims.subject, authenticationContext: claims.authenticationContext,
                                         authenticatedAt: claims.authenticatedAt, idTokenSHA256Hex: OpenIDConnect.tokenDigest(idToken))
        do {
            _ = try await services.cases.perform(.sign, inputs: CommandInputs(assertion: assertion), on: signing.caseID, by: signing.userID)
        } catch let error as CaseError {
            return errorPage(error, user: session)
        }
        var response = Response.redirect(to: "/cases/\(signing.caseID)?klart=sign", type: .normal)
        response.setCookie(cookie(Self.stateCookieName, path: Self.stateCookiePath, removed: true))
        return response
    }

    /// Where to send the browser to end the provider's session too, or nil
    /// when the provider has no end-session endpoint.
    func providerLogoutLocation(_ organisationID: OrganisationID) async -> String? {
        guard let settings = try? await services.directory.identityProvider(of: organisationID),
              let endpoint = try? await services.identity.provider(issuer: settings.issuer).discover().endSessionEndpoint,
              var components = URLComponents(string: endpoint) else { return nil }
        components.queryItems = (components.queryItems ?? []) + [
            URLQueryItem(name: "client_id", value: settings.clientID),
            URLQueryItem(name: "post_logout_redirect_uri", value: services.publicURL + "/login"),
        ]
        return components.url?.absoluteString
    }

    /// A person the provider vouched for whom Blankett does not let in: the
    /// administrator sees the attempt; the person gets a page saying why.
    private func refuse(_ settings: IdentityProviderSettings, identity: String, reason: String, message: String) async -> Response {
        try? await services.directory.recordRefusedSignIn(organisationID: settings.organisationID, identity: identity, reason: reason)
        return await signInProblem(message, status: .forbidden)
    }
}
