import Foundation
import BlankettCore

/// Login sessions in PostgreSQL. The cookie holds a random token; the table
/// holds only its SHA-256, the person and the CSRF token of the session.
public struct SessionStore: Sendable {
    public let pool: PostgresConnectionPool
    /// How long a session lives. Default 8 hours (a working day).
    public var lifetimeSeconds: Int = 8 * 3600
    /// Failed logins for one address within `throttleWindowSeconds` before
    /// further attempts are refused. Defaults: 5 in 15 minutes.
    public var throttleLimit: Int = 5
    public var throttleWindowSeconds: Int = 15 * 60

    public init(pool: PostgresConnectionPool) {
        self.pool = pool
    }

    public struct Session: Sendable {
        public let userID: PersonID
        public let name: String
        public let email: String
        public let csrfToken: String
    }

    public enum LoginOutcome: Sendable {
        case success(token: String, session: Session)
        case wrongCredentials
        case throttled
    }

    /// Checks the password and opens a session. Unknown address and wrong
    /// password are the same outcome, so the page tells no one which addresses exist.
    public func logIn(email: String, password: String) async throws -> LoginOutcome {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        let window = throttleWindowSeconds
        let failures = try await pool.query("""
            SELECT count(*) FROM login_failures WHERE lower(email) = \(email) AND at > now() - make_interval(secs => \(window))
            """).single().decode(Int.self, at: 0)
        guard failures < throttleLimit else { return .throttled }
        let user = try await pool.query("""
            SELECT id::text, name, email, password_hash FROM users WHERE lower(email) = \(email)
            """).first.map { try $0.decode((PersonID, String, String, String).self) }
        guard let user, PasswordHash.verify(password: password, encoded: user.3) else {
            try await pool.query("INSERT INTO login_failures (email) VALUES (\(email))")
            return .wrongCredentials
        }
        try await pool.query("DELETE FROM login_failures WHERE lower(email) = \(email)")
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        let lifetime = lifetimeSeconds
        try await pool.query("""
            INSERT INTO sessions (token_sha256, user_id, csrf_token, expires_at)
            VALUES (\(Self.digest(token)), \(user.0)::uuid, \(csrf), now() + make_interval(secs => \(lifetime)))
            """)
        return .success(token: token, session: Session(userID: user.0, name: user.1, email: user.2, csrfToken: csrf))
    }

    /// The live session of a cookie token, if any.
    public func session(token: String) async throws -> Session? {
        guard !token.isEmpty, token.count <= 128 else { return nil }
        return try await pool.query("""
            SELECT u.id::text, u.name, u.email, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
            WHERE s.token_sha256 = \(Self.digest(token)) AND s.expires_at > now()
            """).first.map { row in
            let (id, name, email, csrf) = try row.decode((PersonID, String, String, String).self)
            return Session(userID: id, name: name, email: email, csrfToken: csrf)
        }
    }

    public func logOut(token: String) async throws {
        try await pool.query("DELETE FROM sessions WHERE token_sha256 = \(Self.digest(token))")
    }

    // MARK: API tokens

    /// A new API token for the person; the token itself is shown once and
    /// never stored. The prefix tells a leaked token apart from a session cookie.
    public func issueAPIToken(userID: PersonID, name: String) async throws -> (id: String, token: String) {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(name.count) else { throw CaseError(.invalidInput, "Ge nyckeln ett namn på 1–100 tecken.") }
        try TextRule.name("Nyckelns namn").check(name, parameter: "name")
        let token = "blk_" + Self.randomToken()
        let id = try await pool.query("""
            INSERT INTO api_tokens (user_id, name, token_sha256) VALUES (\(userID)::uuid, \(name), \(Self.digest(token))) RETURNING id::text
            """).single().decode(String.self, at: 0)
        return (id, token)
    }

    /// The person an unrevoked API token belongs to. The CSRF token is empty:
    /// a bearer token is not sent by browsers on their own, so there is nothing to forge.
    public func session(apiToken token: String) async throws -> Session? {
        guard token.hasPrefix("blk_"), token.count <= 128 else { return nil }
        return try await pool.query("""
            UPDATE api_tokens t SET last_used_at = now() FROM users u
            WHERE t.token_sha256 = \(Self.digest(token)) AND t.revoked_at IS NULL AND u.id = t.user_id
            RETURNING u.id::text, u.name, u.email
            """).first.map { row in
            let (id, name, email) = try row.decode((PersonID, String, String).self)
            return Session(userID: id, name: name, email: email, csrfToken: "")
        }
    }

    public func revokeAPIToken(id: String, userID: PersonID) async throws -> Bool {
        try await pool.query("""
            UPDATE api_tokens SET revoked_at = now() WHERE id::text = \(id) AND user_id = \(userID)::uuid AND revoked_at IS NULL RETURNING id
            """).first != nil
    }

    static func digest(_ token: String) -> String {
        Digest.sha256Hex(token.utf8)
    }

    /// 32 random bytes, URL-safe base64 without padding.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var text = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 6 {
                bits -= 6
                text.append(alphabet[(buffer >> bits) & 63])
            }
        }
        if bits > 0 { text.append(alphabet[(buffer << (6 - bits)) & 63]) }
        return text
    }
}
