import BlankettCore
import BlankettPostgres
import BlankettTestSupport
@testable import BlankettWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The headers every response carries, and the refusal of changes that come
/// from another site (`Origin`, `Sec-Fetch-Site`), login included.
@Suite struct SecurityHeaderTests {
    static let csp = HTTPField.Name("Content-Security-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let hsts = HTTPField.Name("Strict-Transport-Security")!
    static let origin = HTTPField.Name("Origin")!
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let site = try await WebPageTests.site()
        let token = try await APITests.token(site, .editor)
        try await site.application().test(.router) { client in
            let requests: [(String, HTTPRequest.Method, HTTPFields)] = [
                ("/login", .get, [:]), ("/", .get, [:]), ("/healthz", .get, [:]), ("/readyz", .get, [:]), ("/finns-inte", .get, [:]),
                ("/verify/ABC", .get, [:]), ("/api/v1/cases", .get, [:]), ("/api/v1/cases", .get, [.authorization: "Bearer \(token)"]),
                ("/api/v1/cases/finns-inte", .get, [.authorization: "Bearer \(token)"]), ("/login", .post, [.contentType: "application/x-www-form-urlencoded"]),
            ]
            for (uri, method, headers) in requests {
                let response = try await client.execute(uri: uri, method: method, headers: headers)
                let policy = response.headers[Self.csp] ?? ""
                #expect(policy.contains("frame-ancestors 'none'"), "\(method) \(uri): CSP forbids framing")
                #expect(policy.contains("default-src 'none'"), "\(method) \(uri): CSP loads nothing by default")
                #expect(!policy.contains("unsafe-inline") && !policy.contains("script-src"), "\(method) \(uri): no script allowed")
                #expect(response.headers[Self.frameOptions] == "DENY", "\(method) \(uri): X-Frame-Options")
                #expect(response.headers[Self.contentTypeOptions] == "nosniff", "\(method) \(uri): nosniff")
                #expect(response.headers[Self.referrerPolicy] == "same-origin", "\(method) \(uri): Referrer-Policy")
                #expect(response.headers[Self.hsts]?.hasPrefix("max-age=") == true, "\(method) \(uri): HSTS with secure cookies")
            }
        }
    }

    @Test func thePolicyAllowsExactlyTheLayoutsStylesheetAndNoInlineScriptOrStyle() async throws {
        let site = try await WebPageTests.site()
        try await site.application().test(.router) { client in
            var editor = WebPageTests.Browser(client: client)
            _ = try await editor.logIn(site.emails[.editor]!)
            let response = try await client.execute(uri: "/", method: .get, headers: [.cookie: editor.cookie])
            let page = String(buffer: response.body)
            let digest = try #require(SecurityHeadersMiddleware<BlankettRequestContext>.styleDigest(of: page))
            #expect(response.headers[Self.csp]?.contains("style-src 'sha256-\(Data(digest).base64EncodedString())'") == true,
                    "the stylesheet as rendered has the hash the policy allows")
            #expect(!page.contains("<script"), "no script")
            #expect(!page.contains("style=\""), "no style attribute, which the policy would block")
        }
    }

    @Test func withoutHTTPSTheStrictTransportHeaderComesOnlyWhenAProxySaysHTTPS() async throws {
        var site = try await WebPageTests.site()
        site.services.secureCookies = false
        site.services.strictTransportSecurity = false
        try await site.application().test(.router) { client in
            #expect(try await client.execute(uri: "/login", method: .get).headers[Self.hsts] == nil)
            let proxied = try await client.execute(uri: "/login", method: .get, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(proxied.headers[Self.hsts] != nil)
        }
    }

    @Test func aChangeFromAnotherSiteIsRefusedLoginIncluded() async throws {
        let site = try await WebPageTests.site()
        let token = try await APITests.token(site, .editor)
        let login = "email=\(WebPageTests.Browser.encode(site.emails[.editor]!))&password=\(WebPageTests.Browser.encode(WebPageTests.password))"
        try await site.application().test(.router) { client in
            for foreign: HTTPFields in [[Self.origin: "https://angripare.example"], [Self.origin: "null"], [Self.origin: "http://localhost.angripare.example"], [Self.origin: "http://angripare.example:80"],
                                        [Self.fetchSite: "cross-site"]] {
                var headers = foreign
                headers[.contentType] = "application/x-www-form-urlencoded"
                let response = try await client.execute(uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: login))
                #expect(response.status == .forbidden, "\(foreign)")
                #expect(response.headers[.setCookie] == nil, "\(foreign): no session")
                #expect(String(buffer: response.body).contains("annan webbplats"), "\(foreign): the Swedish page says why")
                var api = foreign
                api[.authorization] = "Bearer \(token)"
                api[.contentType] = "application/json"
                let created = try await client.execute(uri: "/api/v1/cases", method: .post, headers: api,
                                                       body: ByteBuffer(string: "{\"round\":\"\(site.roundID)\",\"organisation\":\"\(site.botkyrka)\"}"))
                #expect(created.status == .forbidden, "\(foreign): API")
                #expect(created.headers[.contentType]?.hasPrefix("application/problem+json") == true, "\(foreign): problem+json")
            }
            #expect(try await site.pool.query("SELECT count(*) FROM cases").single().decode(Int.self, at: 0) == 0)
            // The same site, or no Origin at all (the CSRF token rules apply), passes.
            // A proxy passes the host without the port the browser used: the host name is what counts.
            for own: HTTPFields in [[Self.origin: "http://localhost"], [Self.origin: "https://LOCALHOST:8443"], [Self.fetchSite: "same-origin"], [:]] {
                var headers = own
                headers[.contentType] = "application/x-www-form-urlencoded"
                let response = try await client.execute(uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: login))
                #expect(response.status == .seeOther, "\(own)")
            }
        }
    }

    @Test func verificationLookupsPerClientAreLimitedAndForgottenAfterTheWindow() {
        let limit = VerificationRateLimit(limit: 3, window: .seconds(600), maximumClients: 2)
        let start = ContinuousClock.now
        #expect((0..<4).map { _ in limit.admit("10.0.0.1", now: start) } == [true, true, true, false])
        #expect(limit.admit("10.0.0.2", now: start), "another client has its own count")
        #expect(limit.admit("10.0.0.1", now: start + .seconds(601)), "a new window")
        // Past the table's size, expired clients are forgotten rather than memory growing.
        #expect(limit.admit("10.0.0.3", now: start + .seconds(1300)))
    }
}
