import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real OpenID Provider for tests: `Tests/OIDC/provider.py` (pyop) through
/// `scripts/oidc-provider`, on loopback over https with a certificate of its
/// own (`caFile`). Started through `system(3)` like `SMTPServer`.
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
    private let pid: Int32

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
            + " >\(quoted(folder + "/provider.log")) 2>&1 </dev/null & echo $! >\(quoted(folder + "/pid"))"
        guard system(command) == 0,
              let pidText = try? String(contentsOfFile: folder + "/pid", encoding: .utf8),
              let pid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestSetupError("could not start the OpenID provider")
        }
        let provider = OpenIDTestProvider(port: port, folder: folder, clientID: clientID, clientSecret: clientSecret, pid: pid)
        // The first start installs pyop into .local/oidc-venv (scripts/test does it before).
        let deadline = ContinuousClock.now + .seconds(120)
        while !(provider.log.contains("ready ") && SMTPServer.canConnect(port: port)) {
            guard ContinuousClock.now < deadline, kill(pid, 0) == 0 else {
                provider.stop()
                throw TestSetupError("the OpenID provider did not start on port \(port): \(provider.log)")
            }
            usleep(20_000)
        }
        return provider
    }

    private init(port: Int, folder: String, clientID: String, clientSecret: String, pid: Int32) {
        self.port = port
        self.folder = folder
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.pid = pid
    }

    /// What the provider wrote (its requests, one line each).
    public var log: String { (try? String(contentsOfFile: folder + "/provider.log", encoding: .utf8)) ?? "" }

    public func stop() {
        guard kill(pid, SIGTERM) == 0 else { return }
        let deadline = ContinuousClock.now + .seconds(5)
        while isRunning {
            if ContinuousClock.now > deadline { kill(pid, SIGKILL) }
            usleep(10_000)
        }
    }

    /// Alive and not a zombie waiting for a parent that may never reap it.
    private var isRunning: Bool {
        guard kill(pid, 0) == 0 else { return false }
        // procfs files have no size, so they are read with stdio, not Foundation.
        guard let file = fopen("/proc/\(pid)/stat", "r") else { return false }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 512)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return false }
        let stat = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? false)
    }
}
