import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real OpenID Provider for tests: `Tests/OIDC/provider.py` (pyop) through
/// `scripts/oidc-provider`, on loopback over https with a certificate of its
/// own (`caFile`), as a `BackgroundProcess`.
public final class OpenIDTestProvider: @unchecked Sendable {
    public struct User: Sendable {
        public let login: String
        public let password: String
        public let email: String
        public let name: String
        /// The assurance level the provider asserts for this user.
        public let acr: String

        public init(login: String, password: String, email: String, name: String, acr: String = OpenIDTestProvider.loa3) {
            self.login = login
            self.password = password
            self.email = email
            self.name = name
            self.acr = acr
        }
    }

    public static let loa2 = "http://id.elegnamnden.se/loa/1.0/loa2"
    public static let loa3 = "http://id.elegnamnden.se/loa/1.0/loa3"

    public let port: Int
    public let folder: String
    public let clientID: String
    public let clientSecret: String
    private let process: BackgroundProcess

    /// `https://127.0.0.1:PORT`.
    public var issuer: String { "https://127.0.0.1:\(port)" }
    /// The provider's certificate, to trust (`BLANKETT_OIDC_CA_FILE`).
    public var caFile: String { folder + "/tls/cert.pem" }

    public static func start(users: [User], redirectURIs: [String], clientID: String = "blankett", clientSecret: String = "test-secret-\(UUID().uuidString.prefix(8))") throws -> OpenIDTestProvider {
        let root = ProcessInfo.processInfo.environment["BLANKETT_ROOT"] ?? FileManager.default.currentDirectoryPath
        let port = try SMTPServer.freePort()
        let base = (try? TestCluster.workFolder) ?? NSTemporaryDirectory()
        let folder = base + "/oidc-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let usersJSON = Dictionary(uniqueKeysWithValues: users.map { ($0.login, ["password": $0.password, "email": $0.email, "name": $0.name, "acr": $0.acr]) })
        try JSONSerialization.data(withJSONObject: usersJSON).write(to: URL(fileURLWithPath: folder + "/users.json"))
        let quoted = { (text: String) in "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = "cd \(quoted(root)) && exec scripts/oidc-provider --port \(port) --client-id \(quoted(clientID)) --client-secret \(quoted(clientSecret)) "
            + redirectURIs.map { "--redirect-uri \(quoted($0))" }.joined(separator: " ")
            + " --post-logout-redirect-uri 'http://127.0.0.1/login' --users \(quoted(folder + "/users.json")) --tls-dir \(quoted(folder + "/tls"))"
            + " >\(quoted(folder + "/provider.log")) 2>&1 </dev/null"
        let process = try BackgroundProcess.start(command, pidFile: folder + "/pid", what: "the OpenID provider")
        let provider = OpenIDTestProvider(port: port, folder: folder, clientID: clientID, clientSecret: clientSecret, process: process)
        // The first start installs pyop into .local/oidc-venv (scripts/test does it before).
        let deadline = ContinuousClock.now + .seconds(120)
        while !(provider.log.contains("ready ") && SMTPServer.canConnect(port: port)) {
            guard ContinuousClock.now < deadline, process.isRunning else {
                provider.stop()
                throw TestSetupError("the OpenID provider did not start on port \(port): \(provider.log)")
            }
            usleep(20_000)
        }
        return provider
    }

    private init(port: Int, folder: String, clientID: String, clientSecret: String, process: BackgroundProcess) {
        self.port = port
        self.folder = folder
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.process = process
    }

    /// What the provider wrote (its requests, one line each).
    public var log: String { (try? String(contentsOfFile: folder + "/provider.log", encoding: .utf8)) ?? "" }

    public func stop() {
        process.stop()
    }
}
