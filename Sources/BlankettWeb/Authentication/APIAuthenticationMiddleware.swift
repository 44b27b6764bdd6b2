import BlankettCore
import BlankettPostgres
import Foundation
import HTTPTypes
import Hummingbird

/// In front of the API: `Authorization: Bearer <API token>`, or the session
/// cookie, with which a request that changes something must carry the
/// session's CSRF token in `X-CSRF-Token`. Refusals are problem+json.
struct APIAuthenticationMiddleware: RouterMiddleware {
    let services: WebServices
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    func handle(_ request: Request, context: BlankettRequestContext, next: (Request, BlankettRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        do {
            context.person = try await authenticate(request)
        } catch let problem as APIProblem {
            return problem.response
        }
        return try await next(request, context)
    }

    func authenticate(_ request: Request) async throws -> SessionStore.Session {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer",
                  let session = try await services.sessions.session(apiToken: String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
                throw APIProblem(.unauthorized, "unauthenticated", "API-nyckeln är okänd eller återkallad.")
            }
            return session
        }
        guard let token = request.cookies[WebController.cookieName]?.value, let session = try await services.sessions.session(token: token) else {
            throw APIProblem(.unauthorized, "unauthenticated", "Logga in, eller skicka en API-nyckel som Authorization: Bearer <nyckel>.")
        }
        if request.method != .get && request.method != .head {
            guard let sent = request.headers[Self.csrfHeader], SecretToken.equal(sent, session.csrfToken) else {
                throw APIProblem(.forbidden, "csrf", "En ändring med inloggningskakan kräver sessionens CSRF-token i huvudet X-CSRF-Token.")
            }
        }
        return session
    }
}
