import BlankettCore
import BlankettIdentity
import BlankettMail
import BlankettPostgres
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mustache
import NIOCore

/// What the pages need: the repositories, the published forms and the templates.
public struct WebServices: Sendable {
    public let directory: Directory
    public let cases: CaseService
    public let sessions: SessionStore
    /// Send the session cookie only over HTTPS. Default true; `serve` turns
    /// it off when listening on a loopback address for development.
    public var secureCookies: Bool
    /// Where "now" comes from: today's Swedish date for deadlines and diarienummer. Default the system clock.
    public var clock: any WallClock
    /// Send `Strict-Transport-Security` on every response. Default: the same
    /// as `secureCookies` (the site is served over HTTPS); a request that a
    /// proxy marks `X-Forwarded-Proto: https` gets it either way.
    public var strictTransportSecurity: Bool
    /// Take the client's IP address for the sign-in limits from the last
    /// `X-Forwarded-For` entry (the one the proxy in front appended) instead
    /// of the connection. Default false; turn it on only behind a proxy that
    /// sets the header, or every client shares the proxy's limits.
    public var trustForwardedFor = false
    /// Lookups of signature codes per client at `/verify`.
    public var verificationLimit = VerificationRateLimit()
    /// Sign-ins started at an identity provider per client (each one is a
    /// remembered request): 30 in ten minutes.
    public var providerSignInLimit = VerificationRateLimit()
    /// The site's address as people reach it, without a trailing slash: the
    /// start of the links in mail (a password reset). `serve` reads
    /// `BLANKETT_PUBLIC_URL`. Default `http://127.0.0.1:8080`.
    public var publicURL = "http://127.0.0.1:8080"
    /// The sender of mail to people (a password reset link). Default nil: `blankett@localhost`.
    public var mailSender: MailAddress?
    /// The organisations' OpenID Providers: discovery documents and keys, cached per issuer.
    public var identity = IdentityProviderRegistry()
    /// The pages' Content-Security-Policy, with the hash of the layout's stylesheet.
    let contentSecurityPolicy: String
    let templates: MustacheLibrary
    /// The OpenAPI document served at `/api/v1/openapi.yaml`.
    let apiDocument: String

    /// The pool the directory, the sessions and the outbox use.
    var pool: PostgresConnectionPool { directory.pool }

    public init(directory: Directory, cases: CaseService, sessions: SessionStore, secureCookies: Bool = true, strictTransportSecurity: Bool? = nil,
                clock: any WallClock = SystemClock()) throws {
        self.directory = directory
        self.cases = cases
        self.sessions = sessions
        self.secureCookies = secureCookies
        self.strictTransportSecurity = strictTransportSecurity ?? secureCookies
        self.clock = clock
        templates = try Templates.library()
        let layout = try WebResources.text("layout", withExtension: "mustache", subdirectory: "templates")
        contentSecurityPolicy = SecurityHeadersMiddleware<BlankettRequestContext>.contentSecurityPolicy(styleSHA256: SecurityHeadersMiddleware<BlankettRequestContext>.styleDigest(of: layout))
        apiDocument = try APIDocument.load()
    }
}

/// The server-rendered pages: login, dashboard, case, step, review, transitions.
struct WebController: Sendable {
    let services: WebServices
    static let cookieName = "blankett_session"
    /// Largest form post accepted (a long answer is well below it).
    static let maximumBody = 512 * 1024

    struct Page: Error {
        let response: Response
    }

    func register(on router: Router<BlankettRequestContext>) {
        router.get("/login") { request, _ in
            self.loginPage(email: "", problem: nil, flash: request.uri.queryParameters.get("klart") == "losenord" ? "Lösenordet är bytt. Logga in med det nya lösenordet." : nil,
                           providers: await self.identityProviderButtons())
        }
        registerIdentityProviderSignIn(on: router)
        router.post("/login") { request, context in try await self.logIn(request, client: self.clientAddress(request, context)) }
        registerPasswordReset(on: router)
        router.get("/verify/:code") { request, context in
            guard self.services.verificationLimit.admit(self.clientAddress(request, context)) else {
                var response = self.render("error", ["heading": "För många kontroller"], title: "För många kontroller", user: nil,
                                           problem: "Du har kontrollerat många koder på kort tid. Vänta tio minuter och försök igen.", status: .tooManyRequests)
                response.headers[HTTPField.Name("Retry-After")!] = "600"
                return response
            }
            return try await self.verificationPage(code: try context.parameters.require("code"))
        }

        // Everything else needs a session; posts carry its CSRF token.
        let pages = router.group()
            .add(middleware: PageAuthenticationMiddleware(pages: self))
            .group(context: SignedInRequestContext.self)
            .add(middleware: PageErrorMiddleware(pages: self))
        pages.post("/logout") { request, _ in
            var response = Response.redirect(to: "/login", type: .normal)
            if let token = request.cookies[Self.cookieName]?.value,
               let organisationID = try await self.services.sessions.logOut(token: token),
               let location = await self.providerLogoutLocation(organisationID) {
                // The provider's session ends there, by a link (RP-Initiated
                // Logout 1.0): CSP's form-action would stop a redirect.
                response = self.render("logged-out", ["providerLogout": location], title: "Utloggad", user: nil)
            }
            response.setCookie(self.cookie(Self.cookieName, removed: true))
            return response
        }
        pages.get("/") { request, context in
            let query = request.uri.queryParameters
            return try await self.dashboard(context.person, query: { query.get($0) })
        }
        pages.post("/cases") { _, context in try await self.startCase(context.person, context.form) }
        // Only the invited person's own session answers an invitation; any other id is 404.
        for (answer, accept) in [("accept", true), ("decline", false)] {
            pages.post("/invitations/:invitation/\(answer)") { _, context in
                guard try await self.services.directory.answerInvitation(try context.parameters.require("invitation"), by: context.person.userID, accept: accept) else {
                    throw CaseError.notFound("Inbjudan")
                }
                return Response.redirect(to: accept ? "/?klart=inbjudan" : "/", type: .normal)
            }
        }
        pages.get("/cases/:id") { request, context in
            try await self.casePage(context.person, caseID: try context.parameters.id("id", as: CaseID.self), flash: request.uri.queryParameters.get("klart"))
        }
        pages.get("/cases/:id/steps/:step") { request, context in
            try await self.stepPage(context.person, caseID: try context.parameters.id("id", as: CaseID.self), stepID: try context.parameters.require("step"),
                                    showFindings: request.uri.queryParameters.get("kontroll") != nil)
        }
        pages.post("/cases/:id/steps/:step") { _, context in
            try await self.saveStep(context.person, caseID: try context.parameters.id("id", as: CaseID.self), stepID: try context.parameters.require("step"), form: context.form)
        }
        pages.get("/cases/:id/review") { _, context in
            try await self.reviewPage(context.person, caseID: try context.parameters.id("id", as: CaseID.self))
        }
        pages.get("/cases/:id/documents/:document") { _, context in
            try await self.document(context.person, caseID: try context.parameters.id("id", as: CaseID.self), documentID: try context.parameters.require("document"))
        }
        pages.post("/cases/:id/messages/:message/resend") { _, context in
            try await self.resend(context.person, caseID: try context.parameters.id("id", as: CaseID.self), messageID: try context.parameters.require("message"))
        }
        pages.post("/cases/:id/do/:command") { _, context in
            try await self.perform(context.person, caseID: try context.parameters.id("id", as: CaseID.self), command: try context.parameters.require("command"), form: context.form)
        }
        registerAdministration(on: pages)
        registerTokens(on: pages)
        registerOwnPassword(on: pages)
        registerSigningThroughProvider(on: pages)
    }

    // MARK: Sessions

    /// Blankett's cookies: HttpOnly, SameSite=Lax, Secure as configured;
    /// `removed` makes the browser forget the cookie at once.
    func cookie(_ name: String, _ value: String = "", path: String = "/", maxAge: Int? = nil, removed: Bool = false) -> Cookie {
        Cookie(name: name, value: removed ? "" : value, maxAge: removed ? 0 : maxAge, path: path, secure: services.secureCookies,
               httpOnly: true, sameSite: .lax)
    }

    func loginPage(email: String, problem: String?, flash: String? = nil, status: HTTPResponse.Status = .ok, providers: [[String: Any]] = []) -> Response {
        render("login", ["email": email, "providers": providers, "hasProviders": !providers.isEmpty], title: "Logga in", user: nil,
               flash: flash, problem: problem, status: status)
    }

    func logIn(_ request: Request, client: String?) async throws -> Response {
        guard let form = try? await Self.form(request) else {
            return loginPage(email: "", problem: "Inloggningen kunde inte läsas. Försök igen.", status: .badRequest)
        }
        let email = form["email"] ?? "", password = form["password"] ?? ""
        if let problem = SessionStore.loginInputProblem(email: email, password: password) {
            return loginPage(email: "", problem: problem, status: .unprocessableContent)
        }
        switch try await services.sessions.logIn(email: email, password: password, client: client) {
        case .success(let token, _):
            var response = Response.redirect(to: "/", type: .normal)
            response.setCookie(cookie(Self.cookieName, token))
            return response
        case .wrongCredentials:
            return loginPage(email: email, problem: "E-postadressen eller lösenordet stämmer inte.", status: .unauthorized,
                             providers: await identityProviderButtons())
        case .useIdentityProvider:
            return loginPage(email: email, problem: "Din organisation loggar in via sin egen inloggningstjänst. Använd knappen för din organisation.",
                             status: .forbidden, providers: await identityProviderButtons())
        case .throttled:
            var response = loginPage(email: email, problem: "För många inloggningsförsök. Vänta en stund och försök igen.", status: .tooManyRequests)
            response.headers[HTTPField.Name("Retry-After")!] = "60"
            return response
        case .busy:
            var response = loginPage(email: email, problem: "Många loggar in just nu. Försök igen om några sekunder.", status: .serviceUnavailable)
            response.headers[HTTPField.Name("Retry-After")!] = "5"
            return response
        }
    }

    /// The client's IP address for the sign-in limits.
    func clientAddress(_ request: Request, _ context: BlankettRequestContext) -> String? {
        clientAddress(request, peer: context.peerAddress)
    }

    /// The same, given the connection's address.
    func clientAddress(_ request: Request, peer: String?) -> String? {
        if services.trustForwardedFor, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
           let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty, last.count <= 64 {
            return last
        }
        return peer
    }

    /// The Swedish page for a refusal, with the status the API gives the same error.
    func errorPage(_ error: CaseError, user: SessionStore.Session?) -> Response {
        render("error", ["heading": "Det gick inte"], title: "Det gick inte", user: user, problem: error.message, status: error.status)
    }

    static func form(_ request: Request) async throws -> FormPost {
        let buffer = try await request.body.collect(upTo: maximumBody)
        return try FormPost(body: Array(buffer.readableBytesView))
    }

    // MARK: Rendering

    func render(_ template: String, _ content: [String: Any], title: String, user: SessionStore.Session?, organisationName: String? = nil,
                flash: String? = nil, problem: String? = nil, problemChanges: [[String: String]] = [], status: HTTPResponse.Status = .ok) -> Response {
        var content = content
        content["csrf"] = user?.csrfToken ?? ""
        let body = services.templates.render(content, withTemplate: template) ?? ""
        let page = Self.present([
            "title": title, "content": body, "userName": user?.name, "csrf": user?.csrfToken ?? "",
            "organisationName": organisationName, "flash": flash, "problem": problem,
            "problemChanges": problemChanges, "hasProblemChanges": !problemChanges.isEmpty,
        ])
        let html = services.templates.render(page, withTemplate: "layout") ?? ""
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Template data without the absent values: Mustache would print a boxed `nil`.
    static func present(_ values: [String: Any?]) -> [String: Any] {
        values.compactMapValues { $0 }
    }

    // MARK: Verification (public)

    func verificationPage(code: String) async throws -> Response {
        guard let (record, verdicts) = try await services.cases.verify(code: code) else {
            return render("verify", ["code": code, "found": false], title: "Kontroll av underskrift", user: nil, status: .notFound)
        }
        let title = (try? services.cases.definition(of: record).title) ?? record.formID
        let signatures: [[String: Any]] = verdicts.map {
            ["name": $0.signerName, "sequence": $0.sequence, "valid": $0.isValid, "assertion": $0.assertion?.summary ?? ""]
        }
        return render("verify", ["code": code, "found": true, "form": title, "organisation": record.organisationName,
                                 "period": "\(record.periodStart) – \(record.periodEnd)", "signatures": signatures,
                                 "allValid": !verdicts.isEmpty && verdicts.allSatisfy { $0.isValid }],
                      title: "Kontroll av underskrift", user: nil)
    }

    // MARK: Dashboard

    /// Cases per organisation on one dashboard page.
    static let dashboardPageSize = 50
    /// Rounds offered to start, per organisation.
    static let startableLimit = 20
    /// Cases listed as waiting for the person's signature.
    static let waitingLimit = 100

    /// One section per organisation; above them the cases waiting for this
    /// person's signature, and a filter (grant, state, year) over all of them.
    /// Each section shows a page of its cases, this year's round first, with
    /// a link to the next page (`organisation` and `after`): the page costs
    /// the same for a kommun with ten years of cases as for a new one.
    func dashboard(_ user: SessionStore.Session, query: (String) -> String?) async throws -> Response {
        var problem: String?
        var status: HTTPResponse.Status = .ok
        var filter = CaseFilter()
        do {
            filter = try CaseFilter(query: query)
        } catch {
            problem = error.message
            status = .badRequest
        }
        let catalog = services.cases.catalog
        let memberships = try await services.directory.memberships(userID: user.userID)
        let today = services.clock.swedishToday()
        let pagedOrganisation = query("organisation").flatMap { OrganisationID($0) }
        let after = query("after").flatMap { CaseID($0) }
        let filterParameters = filter.queryParameters
        var organisations: [[String: Any]] = []
        // Cases waiting for this person's signature, over every organisation
        // they sign for: one query, most urgent first, cut at a page.
        let signsFor = memberships.filter { $0.roles.contains(.signatory) }.map(\.organisation.id)
        var waiting: [[String: Any]] = []
        var moreWaiting = false
        if !signsFor.isEmpty {
            let signatory = CaseActor(userID: user.userID, name: user.name, roles: [.signatory])
            let listed = try await services.cases.cases(CaseListQuery(organisationIDs: signsFor, states: [.ready, .partlySigned],
                                                                      limit: Self.waitingLimit + 1), for: user.userID)
            moreWaiting = listed.count > Self.waitingLimit
            waiting = listed.prefix(Self.waitingLimit).filter { $0.workflow.availableCommands(for: signatory).contains(.sign) }.map { record in
                var row = Self.deadlineFields(record.deadline, today: today, open: true)
                row["id"] = record.id
                row["title"] = record.roundTitle
                row["organisation"] = record.organisationName
                return row
            }
        }
        for (organisation, roles) in memberships where pagedOrganisation == nil || organisation.id == pagedOrganisation {
            let actor = CaseActor(userID: user.userID, name: user.name, roles: roles)
            func row(_ record: CaseRecord) -> [String: Any] {
                var row = Self.deadlineFields(record.deadline, today: today, open: ![.sent, .received].contains(record.state))
                row["id"] = record.id
                row["title"] = record.roundTitle
                row["organisation"] = organisation.name
                row["state"] = record.state.swedishName
                row["nextAction"] = Self.nextAction(record.workflow, actor: actor)
                return row
            }
            let page = try await services.cases.cases(filter.query(organisationIDs: [organisation.id], catalog: catalog,
                                                                   after: pagedOrganisation == nil ? nil : after,
                                                                   limit: Self.dashboardPageSize + 1, newestFirst: true), for: user.userID)
            let shown = page.prefix(Self.dashboardPageSize)
            var more: String?
            if page.count > Self.dashboardPageSize, let last = shown.last {
                more = "/?" + (filterParameters + ["organisation=\(organisation.id)", "after=\(last.id)"]).joined(separator: "&")
            }
            var hasAnyCases = !page.isEmpty || after != nil
            if !hasAnyCases && !filter.isEmpty {
                hasAnyCases = !(try await services.cases.cases(CaseListQuery(organisationIDs: [organisation.id], limit: 1), for: user.userID)).isEmpty
            }
            let startable: [[String: Any]] = roles.contains(.editor) ? try await services.directory.startableRounds(for: organisation.id, limit: Self.startableLimit).map {
                ["id": $0.id, "title": $0.title, "authority": $0.authorityName, "deadline": $0.deadline.description, "organisationID": organisation.id, "csrf": user.csrfToken]
            } : []
            var section: [String: Any] = [
                "name": organisation.name, "roles": roles.sorted().map(\.swedishName).joined(separator: ", "),
                "cases": shown.map(row), "hasCases": !shown.isEmpty, "hasAnyCases": hasAnyCases,
                "startable": startable, "hasStartable": !startable.isEmpty, "canStart": roles.contains(.editor),
                "isAdmin": roles.contains(.admin), "organisationID": organisation.id,
            ]
            section["more"] = more
            section["firstPage"] = after == nil || pagedOrganisation == nil ? nil : "/?" + filterParameters.joined(separator: "&")
            organisations.append(section)
        }
        // The years a filter can ask for: grant rounds run per calendar year.
        let years = Array((2018...(today.year + 1)).reversed())
        let isSignatory = memberships.contains { $0.roles.contains(.signatory) }
        let invitations: [[String: Any]] = try await services.directory.invitations(to: user.userID).map { invitation in
            ["id": invitation.id, "organisation": invitation.organisationName, "invitedBy": invitation.invitedByName,
             "roles": invitation.roles.sorted().map(\.swedishName).joined(separator: ", "), "expires": invitation.expiresAt.description, "csrf": user.csrfToken]
        }
        let content: [String: Any] = [
            "invitations": invitations, "hasInvitations": !invitations.isEmpty,
            "organisations": organisations, "waiting": waiting, "hasWaiting": !waiting.isEmpty, "moreWaiting": moreWaiting, "isSignatory": isSignatory,
            "filtered": !filter.isEmpty,
            "grants": CaseFilter.grants(in: catalog).map { ["key": $0.key, "label": $0.label, "selected": $0.key == filter.grant] },
            "states": CaseState.allCases.map { ["key": $0.rawValue, "label": $0.swedishName, "selected": $0 == filter.state] },
            "years": years.map { ["year": String($0), "selected": $0 == filter.year] },
        ]
        let flash = query("klart") == "inbjudan" ? "Inbjudan är mottagen: dina nya roller syns nedan." : nil
        return render("dashboard", content, title: "Mina ärenden", user: user, flash: flash, problem: problem, status: status)
    }

    func startCase(_ user: SessionStore.Session, _ form: FormPost) async throws -> Response {
        guard let round = form["round"].flatMap({ RoundID($0) }) else { throw CaseError.notFound("Omgången") }
        guard let organisation = form["organisation"].flatMap({ OrganisationID($0) }) else { throw CaseError.notFound("Organisationen") }
        let record = try await services.cases.create(roundID: round, organisationID: organisation, by: user.userID)
        return Response.redirect(to: "/cases/\(record.id)", type: .normal)
    }

    static func deadlineFields(_ deadline: LocalDate, today: LocalDate, open: Bool) -> [String: Any] {
        let left = deadline.daysSinceEpoch - today.daysSinceEpoch
        guard open else { return ["deadline": deadline.description, "deadlineClass": ""] }
        if left < 0 { return ["deadline": deadline.description, "deadlineClass": "overdue", "deadlineNote": "försenad"] }
        if left <= 14 { return ["deadline": deadline.description, "deadlineClass": "due-soon", "deadlineNote": "\(left) dagar kvar"] }
        return ["deadline": deadline.description, "deadlineClass": ""]
    }

    static func nextAction(_ workflow: CaseWorkflow, actor: CaseActor) -> String {
        switch workflow.state {
        case .draft: "Handläggaren fyller i"
        case .ready, .partlySigned: actor.roles.contains(.signatory) ? "Skriv under" : "Väntar på underskrift"
        case .signed: "Sekreteraren registrerar"
        case .registered: "Nämnden beslutar, eller skicka"
        case .decided: "Skicka till myndigheten"
        case .sent: workflow.decision == nil ? "Väntar på nämndens beslut och kvittens" : workflow.decisionSent ? "Väntar på kvittens" : "Skicka beslutet"
        case .received: workflow.decision == nil ? "Nämndens beslut saknas" : workflow.decisionSent ? "Klart" : "Skicka beslutet"
        }
    }
}
