import BlankettCore
import Foundation

/// A person's own password: changing it with the current one, and resetting
/// it by an e-mailed one-time link (`sql/0009_password_resets.sql`).
extension SessionStore {
    /// The shortest new password. 12 characters.
    public static let minimumNewPasswordLength = 12
    /// How long a reset link works. 1 hour.
    public static let resetLifetimeSeconds = 3600
    /// Reset links a person may be sent per hour. 3.
    public static let resetsPerHour = 3

    /// Why a new password (typed twice) is refused, as a Swedish sentence, or nil.
    public static func newPasswordProblem(_ password: String, repeated: String) -> String? {
        if let problem = TextRule.password.problem(password) { return problem }
        if password.count < minimumNewPasswordLength {
            return "Det nya lösenordet måste vara minst \(minimumNewPasswordLength) tecken."
        }
        if password != repeated { return "De två nya lösenorden är inte lika." }
        return nil
    }

    public enum PasswordChangeOutcome: Sendable {
        case changed
        /// The current password was wrong; the attempt counts as a failed sign-in.
        case wrongCurrentPassword
        case throttled
        case busy
    }

    /// Replaces the person's password when `current` is theirs, and signs
    /// out every other session of theirs (the one with `keepingSessionToken`
    /// stays). A wrong current password counts in the sign-in limits of the
    /// person's address from `client`, as a failed sign-in does. `new` must
    /// have passed `newPasswordProblem` and differ from `current`.
    public func changePassword(of session: Session, current: String, new: String, keepingSessionToken token: String,
                               client: String?) async throws -> PasswordChangeOutcome {
        let email = session.email.trimmingCharacters(in: .whitespaces).lowercased()
        let client = client ?? "unknown"
        let keys = (pair: Self.digest("address-client\u{0}\(email)\u{0}\(client)"), client: Self.digest("client\u{0}\(client)"),
                    address: Self.digest("address\u{0}\(email)"))
        guard try await reserve(keys) else { return .throttled }
        let encoded = try await pool.query("SELECT password_hash FROM users WHERE id = \(session.userID)::uuid")
            .first.map { try $0.decode(String.self, at: 0) } ?? Self.dummyHash
        let hash: String?
        do {
            hash = try await gate.run { () -> String? in
                guard PasswordHash.verify(password: current, encoded: encoded) else { return nil }
                return try? PasswordHash.make(password: new, salt: PasswordHash.randomSalt())
            }
        } catch is PasswordGate.Busy {
            try await refund(keys)
            return .busy
        }
        guard let hash else { return .wrongCurrentPassword }
        try await refund(keys)
        let userID = session.userID
        let kept = Self.digest(token)
        try await pool.withTransaction { connection in
            try connection.query("UPDATE users SET password_hash = \(hash) WHERE id = \(userID)::uuid")
            try connection.query("DELETE FROM sessions WHERE user_id = \(userID)::uuid AND token_sha256 <> \(kept)")
        }
        return .changed
    }

    /// A person asking for a reset link, as `requestPasswordReset` hands them to the caller's mail.
    public struct ResetRecipient: Sendable {
        public let name: String
        public let email: String
        /// The link's secret, for the URL; never stored, never logged.
        public let token: String
    }

    /// Makes a one-time reset link for the account of `email`, when there is
    /// one and it has had fewer than `resetsPerHour` links in the last hour,
    /// and lets `send` queue the mail on the same transaction (so a link
    /// exists exactly when its mail does). Otherwise does nothing; the
    /// caller answers the same either way. Returns whether a link was made
    /// (for tests; never for the page).
    @discardableResult
    public func requestPasswordReset(email: String, send: @escaping @Sendable (ResetRecipient, PostgresConnection) throws -> Void) async throws -> Bool {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard TextRule.email.problem(email) == nil, !email.isEmpty else { return false }
        let token = SecretToken.random()
        let digest = Self.digest(token)
        let lifetime = Self.resetLifetimeSeconds
        let limit = Self.resetsPerHour
        return try await pool.withTransaction { connection in
            // The row lock serialises parallel requests for one person, so the limit holds.
            guard let user = try connection.query("""
                SELECT id::text, name, email FROM users WHERE lower(email) = \(email) FOR UPDATE
                """).first.map({ try $0.decode((PersonID, String, String).self) }) else { return false }
            let recent = try connection.query("""
                SELECT count(*)::int FROM password_resets WHERE user_id = \(user.0)::uuid AND created_at > now() - interval '1 hour'
                """).single().decode(Int.self, at: 0)
            guard recent < limit else { return false }
            try connection.query("""
                INSERT INTO password_resets (user_id, token_sha256, expires_at)
                VALUES (\(user.0)::uuid, \(digest), now() + make_interval(secs => \(lifetime)))
                """)
            try send(ResetRecipient(name: user.1, email: user.2, token: token), connection)
            return true
        }
    }

    /// Whether a reset link still works (unused, unexpired).
    public func passwordResetIsUsable(token: String) async throws -> Bool {
        guard Self.isResetTokenShaped(token) else { return false }
        return try await pool.query("""
            SELECT 1 FROM password_resets WHERE token_sha256 = \(Self.digest(token)) AND used_at IS NULL AND expires_at > now()
            """).first != nil
    }

    public enum PasswordResetOutcome: Sendable {
        case changed
        /// Unknown, used or expired.
        case unusable
        case busy
    }

    /// Uses the link once: sets the new password (which must have passed
    /// `newPasswordProblem`), marks this and every other open link of the
    /// person used, and signs out all their sessions.
    public func resetPassword(token: String, new: String) async throws -> PasswordResetOutcome {
        guard try await passwordResetIsUsable(token: token) else { return .unusable }
        let hash: String?
        do {
            hash = try await gate.run { try? PasswordHash.make(password: new, salt: PasswordHash.randomSalt()) }
        } catch is PasswordGate.Busy {
            return .busy
        }
        guard let hash else { return .busy }
        let digest = Self.digest(token)
        return try await pool.withTransaction { connection in
            guard let userID = try connection.query("""
                UPDATE password_resets SET used_at = now()
                WHERE token_sha256 = \(digest) AND used_at IS NULL AND expires_at > now()
                RETURNING user_id::text
                """).first.map({ try $0.decode(PersonID.self, at: 0) }) else { return .unusable }
            try connection.query("UPDATE password_resets SET used_at = now() WHERE user_id = \(userID)::uuid AND used_at IS NULL")
            try connection.query("UPDATE users SET password_hash = \(hash) WHERE id = \(userID)::uuid")
            try connection.query("DELETE FROM sessions WHERE user_id = \(userID)::uuid")
            return .changed
        }
    }

    /// 43 base64url characters: what `SecretToken.random()` makes. Anything else is not looked up.
    static func isResetTokenShaped(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    /// Reserves one request of `client` in the sign-in limits' per-client
    /// counter (shared with sign-ins, so guessing and asking for links draw on
    /// one allowance); true when admitted.
    public func admitClientRequest(client: String?) async throws -> Bool {
        let t = throttle
        let key = Self.digest("client\u{0}\(client ?? "unknown")")
        return try await pool.query("""
            INSERT INTO login_throttle AS t (scope, key, attempts, window_start, expires_at)
            VALUES ('client', \(key), 1, now(), now() + make_interval(secs => \(t.windowSeconds)))
            ON CONFLICT (scope, key) DO UPDATE SET
                attempts = CASE WHEN t.expires_at <= now() THEN 1 ELSE t.attempts + 1 END,
                window_start = CASE WHEN t.expires_at <= now() THEN now() ELSE t.window_start END,
                expires_at = CASE WHEN t.expires_at <= now() THEN now() + make_interval(secs => \(t.windowSeconds)) ELSE t.expires_at END
            RETURNING attempts
            """).single().decode(Int.self, at: 0) <= t.perClient
    }
}
