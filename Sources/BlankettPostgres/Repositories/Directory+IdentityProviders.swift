import BlankettCore

/// An organisation's OpenID Provider, as its administrator set it up.
public struct IdentityProviderSettings: Sendable, Equatable {
    public var organisationID: OrganisationID
    public var displayName: String
    public var issuer: String
    public var clientID: String
    /// `env:NAME` or `file:/path`: where the client secret is.
    public var clientSecretFrom: String
    public var identityClaim: String
    public var allowedDomains: [String]
    public var signingACRValues: [String]
    public var passwordsAllowed: Bool

    public init(organisationID: OrganisationID, displayName: String, issuer: String, clientID: String, clientSecretFrom: String,
                identityClaim: String = "email", allowedDomains: [String] = [], signingACRValues: [String] = [], passwordsAllowed: Bool = true) {
        self.organisationID = organisationID
        self.displayName = displayName
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecretFrom = clientSecretFrom
        self.identityClaim = identityClaim
        self.allowedDomains = allowedDomains
        self.signingACRValues = signingACRValues
        self.passwordsAllowed = passwordsAllowed
    }

    /// Why the settings cannot be saved (Swedish, naming the field), or nil.
    public var problem: String? {
        if let problem = TextRule.name("Namnet på inloggningen").problem(displayName) { return problem }
        guard (1...100).contains(displayName.count) else { return "Ge inloggningen ett namn på 1–100 tecken." }
        guard issuer.count <= 300, issuer.hasPrefix("https://"), issuer.count > "https://".count,
              !issuer.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) else {
            return "Utfärdaren (issuer) ska vara en https-adress, högst 300 tecken."
        }
        guard (1...200).contains(clientID.count), TextRule.name("Klient-id").problem(clientID) == nil else { return "Klient-id ska vara 1–200 tecken." }
        guard clientSecretFrom.wholeMatch(of: /env:[A-Z_][A-Z0-9_]{0,99}|file:\/[^\x00-\x1F\x7F]{1,500}/) != nil else {
            return "Ange var klienthemligheten finns: env:NAMN (en miljövariabel) eller file:/sökväg. Själva hemligheten sparas aldrig i Blankett."
        }
        guard identityClaim.wholeMatch(of: /[A-Za-z0-9_:.\-]{1,100}/) != nil else { return "Identitetsanspråket ska vara ett namn som email eller upn." }
        for domain in allowedDomains where domain.wholeMatch(of: /[a-z0-9åäö.\-]{1,253}/) == nil {
            return "Domänen \(domain.prefix(80)) är ingen domän (till exempel botkyrka.se)."
        }
        guard allowedDomains.count <= 20, signingACRValues.count <= 10,
              signingACRValues.allSatisfy({ (1...300).contains($0.count) && !$0.contains(where: { $0.isWhitespace }) }) else {
            return "För många domäner eller tillitsnivåer, eller en tillitsnivå med mellanslag."
        }
        return nil
    }
}

extension Directory {
    /// The organisations that sign in through a provider, for the sign-in page's buttons.
    public func identityProviderButtons() async throws -> [(organisationID: OrganisationID, displayName: String)] {
        try await pool.query("SELECT organisation_id::text, display_name FROM identity_providers ORDER BY display_name").map { row in
            try row.decode((OrganisationID, String).self)
        }
    }

    public func identityProvider(of organisationID: OrganisationID) async throws -> IdentityProviderSettings? {
        try await pool.query("""
            SELECT display_name, issuer, client_id, client_secret_from, identity_claim, array_to_string(allowed_domains, ' '),
                   array_to_string(signing_acr_values, ' '), passwords_allowed
            FROM identity_providers WHERE organisation_id = \(organisationID)::uuid
            """).first.map { row in
            let (name, issuer, client, secret, claim, domains, acr, passwords) = try row.decode((String, String, String, String, String, String, String, Bool).self)
            return IdentityProviderSettings(organisationID: organisationID, displayName: name, issuer: issuer, clientID: client, clientSecretFrom: secret,
                                            identityClaim: claim, allowedDomains: domains.split(separator: " ").map(String.init),
                                            signingACRValues: acr.split(separator: " ").map(String.init), passwordsAllowed: passwords)
        }
    }

    /// Sets (or replaces) the organisation's provider; refuses settings with a problem.
    public func setIdentityProvider(_ settings: IdentityProviderSettings) async throws {
        if let problem = settings.problem { throw CaseError(.invalidInput, problem) }
        try await pool.query("""
            INSERT INTO identity_providers (organisation_id, display_name, issuer, client_id, client_secret_from, identity_claim,
                                            allowed_domains, signing_acr_values, passwords_allowed)
            VALUES (\(settings.organisationID)::uuid, \(settings.displayName), \(settings.issuer), \(settings.clientID), \(settings.clientSecretFrom),
                    \(settings.identityClaim), \(PostgresTextArray(settings.allowedDomains))::text[], \(PostgresTextArray(settings.signingACRValues))::text[],
                    \(settings.passwordsAllowed))
            ON CONFLICT (organisation_id) DO UPDATE SET display_name = EXCLUDED.display_name, issuer = EXCLUDED.issuer,
                client_id = EXCLUDED.client_id, client_secret_from = EXCLUDED.client_secret_from, identity_claim = EXCLUDED.identity_claim,
                allowed_domains = EXCLUDED.allowed_domains, signing_acr_values = EXCLUDED.signing_acr_values,
                passwords_allowed = EXCLUDED.passwords_allowed, updated_at = now()
            """)
    }

    @discardableResult
    public func removeIdentityProvider(of organisationID: OrganisationID) async throws -> Bool {
        try await pool.query("DELETE FROM identity_providers WHERE organisation_id = \(organisationID)::uuid RETURNING 1").first != nil
    }

    // MARK: Requests on their way through the provider

    /// An authentication request on its way through the provider.
    public struct PendingAuthentication: Sendable {
        public let organisationID: OrganisationID
        public let nonce: String
        public let codeVerifier: String
        /// For a signature: the case and the person who asked to sign it.
        public let signing: (caseID: CaseID, userID: PersonID)?
        /// When the request was made, in seconds since 1970 (a signature's
        /// authentication must not be older).
        public let createdAt: Int
    }

    /// Remembers an authentication request for ten minutes, under the digest
    /// of its `state`; `signing` when it is for a signature.
    public func rememberAuthenticationRequest(state: String, organisationID: OrganisationID, nonce: String, codeVerifier: String,
                                              signing: (caseID: CaseID, userID: PersonID)? = nil) async throws {
        try await pool.query("DELETE FROM oidc_requests WHERE expires_at < now()")
        try await pool.query("""
            INSERT INTO oidc_requests (state_sha256, organisation_id, nonce, code_verifier, expires_at, purpose, case_id, user_id)
            VALUES (\(Digest.sha256Hex(state.utf8)), \(organisationID)::uuid, \(nonce), \(codeVerifier), now() + interval '10 minutes',
                    \(signing == nil ? "login" : "sign"), \(signing?.caseID)::uuid, \(signing?.userID)::uuid)
            """)
    }

    /// The request `state` belongs to, removed so that it answers only once; nil when unknown or expired.
    public func takeAuthenticationRequest(state: String) async throws -> PendingAuthentication? {
        guard (1...200).contains(state.utf8.count) else { return nil }
        return try await pool.query("""
            DELETE FROM oidc_requests WHERE state_sha256 = \(Digest.sha256Hex(state.utf8)) AND expires_at > now()
            RETURNING organisation_id::text, nonce, code_verifier, case_id::text, user_id::text, extract(epoch FROM created_at)::bigint
            """).first.map { row in
            let (organisationID, nonce, verifier, caseID, userID, created) = try row.decode((OrganisationID, String, String, CaseID?, PersonID?, Int).self)
            let signing = caseID.flatMap { caseID in userID.map { (caseID, $0) } }
            return PendingAuthentication(organisationID: organisationID, nonce: nonce, codeVerifier: verifier, signing: signing, createdAt: created)
        }
    }

    /// The organisation whose identity provider its people sign in and sign
    /// with: the organisation's own, or its kommun's for a unit.
    public func identityProvider(governing organisationID: OrganisationID) async throws -> IdentityProviderSettings? {
        if let own = try await identityProvider(of: organisationID) { return own }
        guard let parent = try await pool.query("SELECT parent_id::text FROM organisations WHERE id = \(organisationID)::uuid AND parent_id IS NOT NULL")
            .first?.decode(OrganisationID.self, at: 0) else { return nil }
        return try await identityProvider(of: parent)
    }

    // MARK: Matching the asserted person

    /// The person of the organisation (or one of its units) whose e-mail is `email`.
    public func member(email: String, of organisationID: OrganisationID) async throws -> PersonID? {
        try await pool.query("""
            SELECT DISTINCT u.id::text FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = m.organisation_id
            WHERE lower(u.email) = lower(\(email)) AND (o.id = \(organisationID)::uuid OR o.parent_id = \(organisationID)::uuid)
            """).first?.decode(PersonID.self, at: 0)
    }

    /// A sign-in the provider vouched for and Blankett refused, for the administrator.
    public func recordRefusedSignIn(organisationID: OrganisationID, identity: String, reason: String) async throws {
        try await pool.query("""
            INSERT INTO oidc_refusals (organisation_id, identity, reason) VALUES (\(organisationID)::uuid, \(String(identity.prefix(320))), \(String(reason.prefix(300))))
            """)
    }

    /// The latest refused sign-ins of the organisation, newest first.
    public func refusedSignIns(of organisationID: OrganisationID, limit: Int = 20) async throws -> [(at: String, identity: String, reason: String)] {
        try await pool.query("""
            SELECT to_char(at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD HH24:MI'), identity, reason FROM oidc_refusals
            WHERE organisation_id = \(organisationID)::uuid ORDER BY at DESC LIMIT \(limit)
            """).map { try $0.decode((String, String, String).self) }
    }
}
