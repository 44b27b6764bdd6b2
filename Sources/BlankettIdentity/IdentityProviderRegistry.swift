import Foundation
import NIOPosix

/// The providers Blankett talks to, one `OpenIDProvider` (with its cached
/// discovery document and keys) per issuer, and where client secrets come from.
public actor IdentityProviderRegistry {
    private var providers: [String: OpenIDProvider] = [:]
    private let http: CurlHTTPClient
    private let environment: [String: String]

    public init(http: CurlHTTPClient = CurlHTTPClient(), environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.http = http
        self.environment = environment
    }

    public func provider(issuer: String) -> OpenIDProvider {
        if let provider = providers[issuer] { return provider }
        let provider = OpenIDProvider(issuer: issuer, http: http)
        providers[issuer] = provider
        return provider
    }

    /// The client secret named by `env:NAME` or `file:/path` (surrounding
    /// white space removed), or nil when it is not there. A file is read on
    /// the thread pool, not on the request's thread.
    public nonisolated func clientSecret(from source: String) async -> String? {
        let secret: String?
        if source.hasPrefix("env:") {
            secret = environment[String(source.dropFirst(4))]
        } else if source.hasPrefix("file:") {
            let path = String(source.dropFirst(5))
            secret = try? await NIOThreadPool.singleton.runIfActive { try String(contentsOfFile: path, encoding: .utf8) }
        } else {
            secret = nil
        }
        return secret.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }
}
