import BlankettCore
import BlankettPostgres
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Outermost but for the headers: an error no handler answered for becomes
/// an answer, never Hummingbird's bare 500. The database out of reach (or
/// shutting down) is 503 with `Retry-After`, `code: unavailable`; anything
/// else is 500 naming an error id that is also in the log line, so support
/// can find it. The log line has the error's description, which never holds
/// bound values or answers (see `PostgresError`); the answer has neither.
/// API paths get problem+json, pages the Swedish page.
struct UnexpectedErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The Swedish page for a status and a message; nil: a plain response.
    let page: (@Sendable (HTTPResponse.Status, String) -> Response)?
    static var retryAfter: HTTPField.Name { HTTPField.Name("Retry-After")! }
    static var retrySeconds: Int { 30 }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch let error as CaseError {
            // A refusal no route answered itself: its own status and sentence, and no log line (it may quote what was typed).
            return answer(request, error.status, error.code.rawValue, error.message)
        } catch let error as PostgresError where error.isUnavailable {
            context.logger.warning("Database unavailable", metadata: ["error": "\(error.kind)"])
            var response = answer(request, .serviceUnavailable, "unavailable",
                                  "Databasen kan inte nås just nu. Inget har sparats; försök igen om en stund.")
            response.headers[Self.retryAfter] = String(Self.retrySeconds)
            return response
        } catch is PasswordGate.Busy {
            var response = answer(request, .serviceUnavailable, "busy", "Många lösenord kontrolleras just nu. Inget har ändrats; försök igen om några sekunder.")
            response.headers[Self.retryAfter] = "5"
            return response
        } catch {
            let id = UUID().uuidString.prefix(8).lowercased()
            context.logger.error("Request failed", metadata: ["errorID": "\(id)", "error": "\(error)"])
            return answer(request, .internalServerError, "internal",
                          "Ett oväntat fel inträffade (fel-id \(id)). Det är inte säkert att något har sparats; kontrollera och försök igen.")
        }
    }

    func answer(_ request: Request, _ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        if request.uri.path.hasPrefix("/api/") || page == nil {
            return APIProblem(status, code, message).response
        }
        return page!(status, message)
    }
}
