import BlankettCore

extension SessionStore {
    /// Opens a session for a person the organisation's identity provider
    /// vouched for; the provider's own session id (`sid`) is kept for logout.
    public func openSession(userID: PersonID, through organisationID: OrganisationID, providerSessionID: String?) async throws -> (token: String, session: Session) {
        let token = SecretToken.random()
        let csrf = SecretToken.random()
        let lifetime = lifetimeSeconds
        let row = try await pool.query("""
            WITH opened AS (
                INSERT INTO sessions (token_sha256, user_id, csrf_token, expires_at, idp_organisation_id, idp_session_id)
                VALUES (\(Self.digest(token)), \(userID)::uuid, \(csrf), now() + make_interval(secs => \(lifetime)), \(organisationID)::uuid,
                        \(providerSessionID.map { String($0.prefix(300)) }))
                RETURNING user_id)
            SELECT u.name, u.email FROM opened JOIN users u ON u.id = opened.user_id
            """).single()
        let (name, email) = try row.decode((String, String).self)
        return (token, Session(userID: userID, name: name, email: email, csrfToken: csrf))
    }

    /// Whether the person belongs to an organisation that signs in through
    /// its identity provider only (passwords switched off).
    public func passwordsRefused(for userID: PersonID) async throws -> Bool {
        try await pool.query("""
            SELECT 1 FROM memberships m JOIN organisations o ON o.id = m.organisation_id
            JOIN identity_providers p ON p.organisation_id IN (o.id, o.parent_id)
            WHERE m.user_id = \(userID)::uuid AND NOT p.passwords_allowed LIMIT 1
            """).first != nil
    }
}
