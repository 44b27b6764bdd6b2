import BlankettCore
import Hummingbird
import NIOCore

/// In front of every page but login and `/verify`: a person without a
/// session goes to the login page; a POST is read once, and refused unless it
/// carries the session's CSRF token and comes from this site.
struct PageAuthenticationMiddleware: RouterMiddleware {
    let pages: WebController

    func handle(_ request: Request, context: BlankettRequestContext, next: (Request, BlankettRequestContext) async throws -> Response) async throws -> Response {
        guard let token = request.cookies[WebController.cookieName]?.value,
              let session = try await pages.services.sessions.session(token: token) else {
            return Response.redirect(to: "/login", type: .normal)
        }
        var context = context
        context.person = session
        if request.method == .post {
            do {
                context.form = try await WebController.form(request)
            } catch is NIOTooManyBytesError {
                return pages.render("error", ["heading": "Formuläret är för stort"], title: "Fel", user: session,
                                    problem: "Formuläret är större än \(WebController.maximumBody / 1024) KiB och har inte sparats. Korta de längsta svaren och försök igen.", status: .contentTooLarge)
            } catch {
                return pages.render("error", ["heading": "Formuläret kunde inte läsas"], title: "Fel", user: session, problem: "Formuläret kunde inte läsas (ogiltig teckenkodning) och har inte sparats.", status: .badRequest)
            }
            guard let sent = context.form["csrf"], SecretToken.equal(sent, session.csrfToken) else {
                return pages.render("error", ["heading": "Det gick inte"], title: "Fel", user: session, problem: "Sidan var för gammal eller kom från en annan webbplats. Ladda om sidan och försök igen.", status: .forbidden)
            }
        }
        return try await next(request, context)
    }
}

/// Behind sign-in: a refusal of the case service becomes the Swedish error
/// page with the status the API gives the same refusal.
struct PageErrorMiddleware: RouterMiddleware {
    let pages: WebController

    func handle(_ request: Request, context: SignedInRequestContext, next: (Request, SignedInRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as CaseError {
            return pages.errorPage(error, user: context.person)
        }
    }
}
