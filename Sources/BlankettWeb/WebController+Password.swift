import BlankettCore
import BlankettMail
import BlankettPostgres
import Foundation
import HTTPTypes
import Hummingbird

/// One's own password: changing it when signed in (`/account/password`), and
/// resetting it by an e-mailed one-time link when forgotten
/// (`/password/forgot`, `/password/reset/{token}`). Nothing here logs an
/// address or a token.
extension WebController {
    func registerOwnPassword(on pages: RouterGroup<SignedInRequestContext>) {
        pages.get("/account/password") { _, context in
            self.passwordPage(context.person, problem: nil)
        }
        pages.post("/account/password") { request, context in
            try await self.changePassword(context.person, form: context.form, sessionToken: request.cookies[Self.cookieName]?.value ?? "",
                                          client: self.clientAddress(request, peer: context.peerAddress))
        }
    }

    /// The routes without sign-in. Their posts pass the Origin check as
    /// every post does; they carry no CSRF token, as there is no session to
    /// bind it to: a forged "forgot" only mails the owner a link, and a
    /// reset needs the link's secret, which no other site knows.
    func registerPasswordReset(on router: Router<BlankettRequestContext>) {
        router.get("/password/forgot") { _, _ in self.forgotPage(sent: false) }
        router.post("/password/forgot") { request, context in
            try await self.forgot(request, client: self.clientAddress(request, context))
        }
        router.get("/password/reset/:token") { _, context in
            let token = try context.parameters.require("token")
            guard try await self.services.sessions.passwordResetIsUsable(token: token) else { return self.resetUnusablePage() }
            return self.resetPage(token: token, problem: nil)
        }
        router.post("/password/reset/:token") { request, context in
            try await self.reset(request, token: try context.parameters.require("token"))
        }
    }

    // MARK: Changing

    func passwordPage(_ user: SessionStore.Session, flash: String? = nil, problem: String?, status: HTTPResponse.Status = .ok) -> Response {
        render("password", [:], title: "Byt lösenord", user: user, flash: flash, problem: problem, status: status)
    }

    func changePassword(_ user: SessionStore.Session, form: FormPost, sessionToken: String, client: String?) async throws -> Response {
        let current = form["current"] ?? "", new = form["new"] ?? "", repeated = form["repeat"] ?? ""
        if let problem = TextRule.password.problem(current) ?? SessionStore.newPasswordProblem(new, repeated: repeated) {
            return passwordPage(user, problem: problem, status: .unprocessableContent)
        }
        if new == current {
            return passwordPage(user, problem: "Det nya lösenordet måste skilja sig från det nuvarande.", status: .unprocessableContent)
        }
        switch try await services.sessions.changePassword(of: user, current: current, new: new, keepingSessionToken: sessionToken, client: client) {
        case .changed:
            return passwordPage(user, flash: "Lösenordet är bytt. Du är utloggad på alla andra enheter.", problem: nil)
        case .wrongCurrentPassword:
            return passwordPage(user, problem: "Det nuvarande lösenordet stämmer inte. Lösenordet är inte bytt.", status: .unprocessableContent)
        case .throttled:
            var response = passwordPage(user, problem: "För många försök. Vänta en stund och försök igen.", status: .tooManyRequests)
            response.headers[HTTPField.Name("Retry-After")!] = "60"
            return response
        case .busy:
            return busy(passwordPage(user, problem: "Många loggar in just nu. Försök igen om några sekunder.", status: .serviceUnavailable))
        }
    }

    // MARK: Forgetting

    func forgotPage(sent: Bool, problem: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        render("forgot", ["sent": sent], title: "Glömt lösenordet", user: nil, problem: problem, status: status)
    }

    /// The same answer whether the address has an account or not, so the
    /// page tells no one which addresses exist; a link is made and mailed
    /// only for an account under its hourly limit.
    func forgot(_ request: Request, client: String?) async throws -> Response {
        guard let form = try? await Self.form(request) else {
            return forgotPage(sent: false, problem: "Formuläret kunde inte läsas. Försök igen.", status: .badRequest)
        }
        let email = form["email"] ?? ""
        if let problem = TextRule.email.problem(email) {
            return forgotPage(sent: false, problem: problem, status: .unprocessableContent)
        }
        guard try await services.sessions.admitClientRequest(client: client) else {
            var response = forgotPage(sent: false, problem: "För många försök. Vänta en stund och försök igen.", status: .tooManyRequests)
            response.headers[HTTPField.Name("Retry-After")!] = "60"
            return response
        }
        let sender = personalMailSender
        let base = services.publicURL
        let clock = services.clock
        try await services.sessions.requestPasswordReset(email: email) { recipient, connection in
            // An address the mail module cannot write to gets no link; the answer is the same.
            guard let sender, let message = try? Self.resetMessage(to: recipient, from: sender, base: base, now: SwedishTime(clock.now())) else { return }
            try Outbox.enqueuePersonal(message, kind: .passwordReset, on: connection)
        }
        return forgotPage(sent: true)
    }

    /// The mail with the link, in the style of the case notices.
    static func resetMessage(to recipient: SessionStore.ResetRecipient, from sender: MailAddress, base: String, now: SwedishTime) throws -> MailMessage {
        let link = base + "/password/reset/" + recipient.token
        return try personalMessage(to: recipient.email, name: recipient.name, from: sender, subject: "Välj ett nytt lösenord till Blankett", paragraphs: [
            "Någon, förhoppningsvis du, har bett om en länk för att välja ett nytt lösenord till Blankett för den här e-postadressen.",
            "Öppna länken och välj ett nytt lösenord. Länken gäller en timme och kan användas en gång:\n" + link,
            "När lösenordet är bytt loggas du ut överallt där du är inloggad.",
            "Har du inte bett om länken behöver du inte göra något: lösenordet är oförändrat så länge länken inte används.",
        ], now: now)
    }

    // MARK: Resetting

    func resetPage(token: String, problem: String?, status: HTTPResponse.Status = .ok) -> Response {
        render("reset", ["usable": true, "token": token], title: "Välj ett nytt lösenord", user: nil, problem: problem, status: status)
    }

    /// Gone: used, expired or never made (410, so that no one learns which).
    func resetUnusablePage() -> Response {
        render("reset", ["usable": false], title: "Länken fungerar inte längre", user: nil, status: .gone)
    }

    func reset(_ request: Request, token: String) async throws -> Response {
        guard let form = try? await Self.form(request) else {
            return resetPage(token: token, problem: "Formuläret kunde inte läsas. Försök igen.", status: .badRequest)
        }
        guard try await services.sessions.passwordResetIsUsable(token: token) else { return resetUnusablePage() }
        let new = form["new"] ?? "", repeated = form["repeat"] ?? ""
        if let problem = SessionStore.newPasswordProblem(new, repeated: repeated) {
            return resetPage(token: token, problem: problem, status: .unprocessableContent)
        }
        switch try await services.sessions.resetPassword(token: token, new: new) {
        case .changed:
            var response = Response.redirect(to: "/login?klart=losenord", type: .normal)
            // Whatever session this browser had is gone; so is its cookie.
            response.setCookie(cookie(Self.cookieName, removed: true))
            return response
        case .unusable:
            return resetUnusablePage()
        case .busy:
            return busy(resetPage(token: token, problem: "Många loggar in just nu. Försök igen om några sekunder.", status: .serviceUnavailable))
        }
    }

    private func busy(_ response: Response) -> Response {
        var response = response
        response.headers[HTTPField.Name("Retry-After")!] = "5"
        return response
    }
}
