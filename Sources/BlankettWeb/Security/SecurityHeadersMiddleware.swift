import BlankettCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// On every response, including refusals, "not found" and errors thrown by a
/// handler: a Content-Security-Policy that allows no script at all and only
/// the layout's one stylesheet (by its hash), no framing (`frame-ancestors
/// 'none'` and `X-Frame-Options: DENY`, against clickjacking of the register
/// and send buttons), `nosniff`, `Referrer-Policy: same-origin`, and HSTS when
/// the request came over HTTPS (as a TLS-terminating proxy says in
/// `X-Forwarded-Proto`) or the configuration says the site is HTTPS only.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    let headers: HTTPFields
    let strictTransportSecurity: Bool
    static var forwardedProto: HTTPField.Name { HTTPField.Name("X-Forwarded-Proto")! }
    static var hsts: HTTPField.Name { HTTPField.Name("Strict-Transport-Security")! }

    init(contentSecurityPolicy: String, strictTransportSecurity: Bool) {
        var headers = HTTPFields()
        headers[HTTPField.Name("Content-Security-Policy")!] = contentSecurityPolicy
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        self.headers = headers
        self.strictTransportSecurity = strictTransportSecurity
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        for field in headers where response.headers[field.name] == nil {
            response.headers.append(field)
        }
        if strictTransportSecurity || request.headers[Self.forwardedProto]?.lowercased() == "https" {
            response.headers[Self.hsts] = "max-age=31536000; includeSubDomains"
        }
        return response
    }

    /// The policy for the pages: nothing may load but the layout's inline
    /// stylesheet, identified by its SHA-256; forms post only to this site.
    static func contentSecurityPolicy(styleSHA256: [UInt8]?) -> String {
        let style = styleSHA256.map { "'sha256-\(Data($0).base64EncodedString())'" } ?? "'none'"
        return "default-src 'none'; style-src \(style); img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    }

    /// The SHA-256 of the text of the first `<style>` element of `html`, as CSP hashes it.
    static func styleDigest(of html: String) -> [UInt8]? {
        guard let open = html.range(of: "<style>"), let close = html.range(of: "</style>", range: open.upperBound..<html.endIndex) else { return nil }
        let hex = Digest.sha256Hex(html[open.upperBound..<close.lowerBound].utf8)
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }
}
