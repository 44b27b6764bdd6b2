import Hummingbird
import Logging

/// Logs each request's method and path, as Hummingbird's
/// `LogRequestsMiddleware` does, but with the secret of a password reset
/// link (`/password/reset/{token}`) cut out: a log is no place for a key to
/// someone's account. Query strings are left out as well.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let level: Logger.Level

    init(_ level: Logger.Level) {
        self.level = level
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        context.logger.log(level: level, "Request", metadata: [
            "hb.request.path": .string(Self.loggedPath(request.uri.path)),
            "hb.request.method": .string(request.method.rawValue),
        ])
        return try await next(request, context)
    }

    static func loggedPath(_ path: String) -> String {
        let prefix = "/password/reset/"
        return path.hasPrefix(prefix) ? prefix + "…" : path
    }
}
