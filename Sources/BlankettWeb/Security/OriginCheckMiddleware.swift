import HTTPTypes
import Hummingbird

/// In front of every route: a request that changes something (POST, PUT,
/// PATCH, DELETE; login included, against login CSRF) from another site is
/// refused with 403 before it is read. "Another site" is an `Origin` header
/// whose host name is not the request's own `Host` (ports are not compared:
/// a proxy such as the nginx of `deploy/` passes `$host` without the port,
/// and cookies do not tell ports apart either), an `Origin` of
/// `null`, or `Sec-Fetch-Site: cross-site`. A request with neither header (an
/// older browser, a program) passes on to the CSRF token and the bearer
/// token rules, which still apply to everything that passes.
struct OriginCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The refusal for a page route (the Swedish error page); the API gets problem+json.
    let pageRefusal: @Sendable () -> Response
    static var origin: HTTPField.Name { HTTPField.Name("Origin")! }
    static var fetchSite: HTTPField.Name { HTTPField.Name("Sec-Fetch-Site")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard [.post, .put, .patch, .delete].contains(request.method), Self.isCrossSite(request) else {
            return try await next(request, context)
        }
        if request.uri.path.hasPrefix("/api/") {
            return APIProblem(.forbidden, "cross-origin", "En ändring från en annan webbplats (Origin) tas inte emot.").response
        }
        return pageRefusal()
    }

    static func isCrossSite(_ request: Request) -> Bool {
        if let origin = request.headers[origin] {
            guard let host = request.head.authority else { return true }
            guard let sent = authority(ofOrigin: origin) else { return true }
            return hostName(sent) != hostName(host)
        }
        return request.headers[fetchSite]?.lowercased() == "cross-site"
    }

    /// The host of `host[:port]` or `[v6]:port`, lower-cased.
    static func hostName(_ authority: String) -> String {
        let text = authority.lowercased()
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") { return String(text[...close]) }
        if let colon = text.lastIndex(of: ":"), text[text.index(after: colon)...].allSatisfy(\.isNumber) { return String(text[..<colon]) }
        return text
    }

    /// `host[:port]` of an origin such as `https://blankett.example:8443`; nil for `null` or anything else.
    static func authority(ofOrigin origin: String) -> String? {
        for scheme in ["https://", "http://"] where origin.lowercased().hasPrefix(scheme) {
            let rest = origin.dropFirst(scheme.count)
            guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@") else { return nil }
            return String(rest)
        }
        return nil
    }
}
