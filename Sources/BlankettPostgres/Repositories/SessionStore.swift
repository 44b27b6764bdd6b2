import Foundation
import BlankettCore

/// Login sessions in PostgreSQL. The cookie holds a random token; the table
/// holds only its SHA-256, the person and the CSRF token of the session.
public struct SessionStore: Sendable {
    public let pool: PostgresConnectionPool
    /// How long a session lives. Default 8 hours (a working day).
    public var lifetimeSeconds: Int = 8 * 3600
    /// The sign-in limits (see `sql/0008_security.sql` for the design).
    public var throttle = Throttle()
    /// Where password hashes are computed, at most a few at a time.
    public var gate: PasswordGate

    public init(pool: PostgresConnectionPool, gate: PasswordGate = PasswordGate()) {
        self.pool = pool
        self.gate = gate
    }

    /// Sign-in limits. An attempt is admitted only when all three counters
    /// admit it; the counters are reserved in one statement before the
    /// password is hashed, so parallel attempts cannot overtake the limits.
    public struct Throttle: Sendable {
        /// Attempts at one address from one client per window. Default 5.
        public var perAddressAndClient = 5
        /// Attempts at any address from one client per window. Default 30.
        public var perClient = 30
        /// Attempts at one address from all clients per window before
        /// admitted attempts are spaced (`spacingSeconds`, twice that, …
        /// at most `maximumSpacingSeconds`). Default 10.
        public var perAddress = 10
        /// The first spacing past `perAddress`. Default 2 seconds.
        public var spacingSeconds = 2
        /// Default 60 seconds.
        public var maximumSpacingSeconds = 60
        /// Default 15 minutes.
        public var windowSeconds = 15 * 60

        public init() {}
    }

    static var maximumEmailLength: Int { TextRule.email.maximumLength }
    static var maximumPasswordLength: Int { TextRule.password.maximumLength }

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
        /// Too many password checks are running or waiting; try again in a moment.
        case busy
        /// The password was right, but the person's organisation signs in
        /// through its identity provider only.
        case useIdentityProvider
    }

    /// A hash of the default cost for an address without an account, so
    /// that such an attempt takes as long as a wrong password for a real one
    /// and the time taken tells nobody which addresses exist.
    static let dummyHash: String = (try? PasswordHash.make(password: "ingen", salt: Array("blankett-dummy-salt!".utf8))) ?? ""

    /// Checks the password and opens a session. Unknown address and wrong
    /// password are the same outcome, and take the same time, so the page
    /// tells no one which addresses exist. `client` is the client's IP
    /// address as the server sees it (nil when unknown); the limits are kept
    /// per address and client, per client, and per address (see `Throttle`).
    /// The address and password must have passed `loginInputProblem` (the
    /// caller's 422); a longer address is refused here as a wrong one.
    public func logIn(email: String, password: String, client: String?) async throws -> LoginOutcome {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard email.count <= Self.maximumEmailLength, password.utf8.count <= Self.maximumPasswordLength * 4 else { return .wrongCredentials }
        let client = client ?? "unknown"
        let keys = (pair: Self.digest("address-client\u{0}\(email)\u{0}\(client)"), client: Self.digest("client\u{0}\(client)"),
                    address: Self.digest("address\u{0}\(email)"))
        guard try await reserve(keys) else { return .throttled }
        let user = try await pool.query("""
            SELECT id::text, name, email, password_hash FROM users WHERE lower(email) = \(email)
            """).first.map { try $0.decode((PersonID, String, String, String).self) }
        let encoded = user?.3 ?? Self.dummyHash
        let matches: Bool
        do {
            matches = try await gate.run { PasswordHash.verify(password: password, encoded: encoded) }
        } catch is PasswordGate.Busy {
            try await refund(keys)
            return .busy
        }
        guard let user, matches else { return .wrongCredentials }
        try await refund(keys)
        if try await passwordsRefused(for: user.0) { return .useIdentityProvider }
        let token = SecretToken.random()
        let csrf = SecretToken.random()
        let lifetime = lifetimeSeconds
        try await pool.query("""
            INSERT INTO sessions (token_sha256, user_id, csrf_token, expires_at)
            VALUES (\(Self.digest(token)), \(user.0)::uuid, \(csrf), now() + make_interval(secs => \(lifetime)))
            """)
        return .success(token: token, session: Session(userID: user.0, name: user.1, email: user.2, csrfToken: csrf))
    }

    /// Why a typed address or password is refused before anything else (a
    /// Swedish sentence), or nil. Control characters (NUL included) and
    /// overlong values never reach the database.
    public static func loginInputProblem(email: String, password: String) -> String? {
        TextRule.email.problem(email) ?? TextRule.password.problem(password)
    }

    /// Reserves an attempt in the three counters, in one statement; true when
    /// all three admit it. The address counter is only touched when the
    /// other two admit the attempt, so attempts refused per client do not
    /// slow the address down for its owner. Also deletes up to 100 expired
    /// rows, so the table stays bounded by the attempts of one window.
    func reserve(_ keys: (pair: String, client: String, address: String)) async throws -> Bool {
        let t = throttle
        let row = try await pool.query("""
            WITH pair AS (
                INSERT INTO login_throttle AS t (scope, key, attempts, window_start, expires_at)
                VALUES ('address-client', \(keys.pair), 1, now(), now() + make_interval(secs => \(t.windowSeconds)))
                ON CONFLICT (scope, key) DO UPDATE SET
                    attempts = CASE WHEN t.expires_at <= now() THEN 1 ELSE t.attempts + 1 END,
                    window_start = CASE WHEN t.expires_at <= now() THEN now() ELSE t.window_start END,
                    expires_at = CASE WHEN t.expires_at <= now() THEN now() + make_interval(secs => \(t.windowSeconds)) ELSE t.expires_at END
                RETURNING attempts
            ), client AS (
                INSERT INTO login_throttle AS t (scope, key, attempts, window_start, expires_at)
                VALUES ('client', \(keys.client), 1, now(), now() + make_interval(secs => \(t.windowSeconds)))
                ON CONFLICT (scope, key) DO UPDATE SET
                    attempts = CASE WHEN t.expires_at <= now() THEN 1 ELSE t.attempts + 1 END,
                    window_start = CASE WHEN t.expires_at <= now() THEN now() ELSE t.window_start END,
                    expires_at = CASE WHEN t.expires_at <= now() THEN now() + make_interval(secs => \(t.windowSeconds)) ELSE t.expires_at END
                RETURNING attempts
            ), address AS (
                INSERT INTO login_throttle AS t (scope, key, attempts, window_start, expires_at)
                SELECT 'address', \(keys.address), 1, now(), now() + make_interval(secs => \(t.windowSeconds))
                FROM pair, client WHERE pair.attempts <= \(t.perAddressAndClient) AND client.attempts <= \(t.perClient)
                ON CONFLICT (scope, key) DO UPDATE SET
                    attempts = CASE WHEN t.expires_at <= now() THEN 1 ELSE t.attempts + 1 END,
                    window_start = CASE WHEN t.expires_at <= now() THEN now() ELSE t.window_start END,
                    admitted = t.expires_at <= now() OR t.attempts + 1 <= \(t.perAddress) OR t.next_allowed_at <= now(),
                    next_allowed_at = CASE
                        WHEN t.expires_at <= now() OR t.attempts + 1 <= \(t.perAddress) THEN '-infinity'
                        WHEN t.next_allowed_at <= now()
                            THEN now() + make_interval(secs => LEAST(\(t.spacingSeconds) * power(2, LEAST(t.attempts - \(t.perAddress), 20)), \(t.maximumSpacingSeconds)))
                        ELSE t.next_allowed_at END,
                    expires_at = CASE WHEN t.expires_at <= now() THEN now() + make_interval(secs => \(t.windowSeconds))
                                      ELSE GREATEST(t.expires_at, t.next_allowed_at) END
                RETURNING admitted
            ), purge AS (
                DELETE FROM login_throttle WHERE ctid IN (
                    SELECT ctid FROM login_throttle WHERE expires_at < now() AND key NOT IN (\(keys.pair), \(keys.client), \(keys.address))
                    LIMIT 100 FOR UPDATE SKIP LOCKED)
            )
            SELECT coalesce((SELECT admitted FROM address), false)
            """).single()
        return try row.decode(Bool.self, at: 0)
    }

    /// Gives back the slots of an attempt that succeeded (or was never
    /// checked): the address-and-client counter starts again, the others
    /// count one attempt less.
    func refund(_ keys: (pair: String, client: String, address: String)) async throws {
        try await pool.query("""
            WITH cleared AS (DELETE FROM login_throttle WHERE scope = 'address-client' AND key = \(keys.pair))
            UPDATE login_throttle SET attempts = GREATEST(attempts - 1, 0)
            WHERE (scope = 'client' AND key = \(keys.client)) OR (scope = 'address' AND key = \(keys.address))
            """)
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

    /// Ends the session; returns the organisation whose identity provider
    /// opened it (for logging out there too), or nil for a password session.
    @discardableResult
    public func logOut(token: String) async throws -> OrganisationID? {
        try await pool.query("""
            DELETE FROM sessions WHERE token_sha256 = \(Self.digest(token)) RETURNING idp_organisation_id::text
            """).first?.decode(OrganisationID?.self, at: 0)
    }

    // MARK: API tokens

    /// How long a new API token lives when no lifetime is given. 90 days.
    public static let defaultTokenLifetimeDays = 90
    /// The longest lifetime a token may be given. 2 years.
    public static let maximumTokenLifetimeDays = 730

    /// A new API token for the person, valid for `lifetimeDays`; the token
    /// itself is shown once and never stored. The prefix tells a leaked
    /// token apart from a session cookie.
    public func issueAPIToken(userID: PersonID, name: String, lifetimeDays: Int = SessionStore.defaultTokenLifetimeDays) async throws
        -> (id: String, token: String, expiresAt: String) {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(name.count) else { throw CaseError(.invalidInput, "Ge nyckeln ett namn på 1–100 tecken.") }
        try TextRule.name("Nyckelns namn").check(name, parameter: "name")
        guard (1...Self.maximumTokenLifetimeDays).contains(lifetimeDays) else {
            throw CaseError(.invalidInput, "En nyckel gäller 1–\(Self.maximumTokenLifetimeDays) dagar, inte \(lifetimeDays).")
        }
        let token = "blk_" + SecretToken.random()
        let row = try await pool.query("""
            INSERT INTO api_tokens (user_id, name, token_sha256, expires_at)
            VALUES (\(userID)::uuid, \(name), \(Self.digest(token)), now() + make_interval(days => \(lifetimeDays)::int))
            RETURNING id::text, \(unsafeSQL: Self.utc("expires_at"))
            """).single()
        let (id, expiresAt) = try row.decode((String, String).self)
        return (id, token, expiresAt)
    }

    /// The person an unrevoked, unexpired API token belongs to. The CSRF
    /// token is empty: a bearer token is not sent by browsers on their own,
    /// so there is nothing to forge.
    public func session(apiToken token: String) async throws -> Session? {
        guard token.hasPrefix("blk_"), token.count <= 128 else { return nil }
        // A read: a GET stays a read-only request. The last-used time is
        // written at most once a minute per token, by its own statement, and
        // skipped rather than waited for when another request is writing it
        // (clients sharing a token would otherwise queue on its row).
        guard let row = try await pool.query("""
            SELECT t.id::text, u.id::text, u.name, u.email, coalesce(t.last_used_at < now() - interval '1 minute', true)
            FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_sha256 = \(Self.digest(token)) AND t.revoked_at IS NULL AND t.expires_at > now()
            """).first else { return nil }
        let (tokenID, id, name, email, stale) = try row.decode((String, PersonID, String, String, Bool).self)
        if stale {
            try await pool.query("""
                UPDATE api_tokens SET last_used_at = now()
                WHERE id = (SELECT id FROM api_tokens WHERE id = \(tokenID)::uuid
                              AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') FOR UPDATE SKIP LOCKED)
                """)
        }
        return Session(userID: id, name: name, email: email, csrfToken: "")
    }

    /// An API token as listed: never the token itself. Times are UTC, ISO 8601.
    public struct APIToken: Sendable, Hashable {
        public let id: String
        public let ownerEmail: String
        public let name: String
        public let createdAt: String
        public let lastUsedAt: String?
        public let expiresAt: String
        public let revokedAt: String?
        /// Neither revoked nor expired.
        public let isActive: Bool
    }

    /// The tokens of one person, or of everyone (nil), newest first.
    public func apiTokens(userID: PersonID? = nil) async throws -> [APIToken] {
        try await pool.query("""
            SELECT t.id::text, u.email, t.name, \(unsafeSQL: Self.utc("t.created_at")), \(unsafeSQL: Self.utc("t.last_used_at")),
                   \(unsafeSQL: Self.utc("t.expires_at")), \(unsafeSQL: Self.utc("t.revoked_at")), t.revoked_at IS NULL AND t.expires_at > now()
            FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE \(userID)::uuid IS NULL OR t.user_id = \(userID)::uuid
            ORDER BY t.created_at DESC, t.id
            """).map { row in
            let (id, email, name, created, used, expires, revoked, active) = try row.decode((String, String, String, String, String?, String, String?, Bool).self)
            return APIToken(id: id, ownerEmail: email, name: name, createdAt: created, lastUsedAt: used, expiresAt: expires, revokedAt: revoked, isActive: active)
        }
    }

    /// The active tokens of the members of an organisation (or of its
    /// units), for its administrator, newest first.
    public func apiTokens(ofMembersOf organisationID: OrganisationID) async throws -> [APIToken] {
        try await pool.query("""
            SELECT t.id::text, u.email, t.name, \(unsafeSQL: Self.utc("t.created_at")), \(unsafeSQL: Self.utc("t.last_used_at")),
                   \(unsafeSQL: Self.utc("t.expires_at")), \(unsafeSQL: Self.utc("t.revoked_at")), true
            FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.revoked_at IS NULL AND t.expires_at > now()
              AND EXISTS (SELECT 1 FROM memberships m JOIN organisations o ON o.id = m.organisation_id
                          WHERE m.user_id = t.user_id AND \(organisationID)::uuid IN (o.id, o.parent_id))
            ORDER BY t.created_at DESC, t.id
            """).map { row in
            let (id, email, name, created, used, expires, revoked, active) = try row.decode((String, String, String, String, String?, String, String?, Bool).self)
            return APIToken(id: id, ownerEmail: email, name: name, createdAt: created, lastUsedAt: used, expiresAt: expires, revokedAt: revoked, isActive: active)
        }
    }

    /// Revokes a token of a member of the organisation (or of its units), for
    /// its administrator; false when there is no such unrevoked token.
    public func revokeAPIToken(id: String, ofMemberOf organisationID: OrganisationID) async throws -> Bool {
        guard UUID(uuidString: id) != nil else { return false }
        return try await pool.query("""
            UPDATE api_tokens t SET revoked_at = now()
            WHERE t.id = \(id.lowercased())::uuid AND t.revoked_at IS NULL
              AND EXISTS (SELECT 1 FROM memberships m JOIN organisations o ON o.id = m.organisation_id
                          WHERE m.user_id = t.user_id AND \(organisationID)::uuid IN (o.id, o.parent_id))
            RETURNING t.id
            """).first != nil
    }

    /// Revokes a token of the person (`userID`), or any token (nil, for the
    /// command line); false when there is no such unrevoked token. Takes
    /// effect on the token's next request.
    public func revokeAPIToken(id: String, userID: PersonID? = nil) async throws -> Bool {
        guard UUID(uuidString: id) != nil else { return false }
        return try await pool.query("""
            UPDATE api_tokens SET revoked_at = now()
            WHERE id = \(id.lowercased())::uuid AND (\(userID)::uuid IS NULL OR user_id = \(userID)::uuid) AND revoked_at IS NULL RETURNING id
            """).first != nil
    }

    /// A timestamp column as UTC ISO 8601 text (`2026-12-04T03:41:00Z`), or NULL.
    static func utc(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    }

    static func digest(_ token: String) -> String {
        Digest.sha256Hex(token.utf8)
    }

}
