import BlankettCore

/// Invitations: how an administrator gives roles to a person whose account
/// belongs to another kommun. The administrator learns nothing about the
/// account; the person accepts or declines on their own dashboard.
extension Directory {
    /// Days an invitation stays open.
    public static let invitationLifetimeDays = 14

    /// An open invitation as the invited person sees it.
    public struct InvitationToMe: Sendable, Hashable {
        public let id: String
        public let organisationName: String
        public let roles: Set<Role>
        public let invitedByName: String
        public let expiresAt: LocalDate
    }

    /// An open invitation as the organisation's administrator sees it: the
    /// address they typed, never the account's name.
    public struct InvitationFromUs: Sendable, Hashable {
        public let id: String
        public let email: String
        public let roles: Set<Role>
        public let expiresAt: LocalDate
    }

    /// Who to write to, for the mail queued with the invitation.
    public struct Invitee: Sendable {
        public let name: String
        public let email: String
        public let organisationName: String
        public let invitedByName: String
        public let roles: Set<Role>
    }

    /// Opens (or renews, with these roles and a new expiry) an invitation
    /// for `userID` to `organisationID`, and lets `send` queue its mail on
    /// the same transaction, so an invitation exists exactly when its mail does.
    public func invite(userID: PersonID, email: String, roles: Set<Role>, organisationID: OrganisationID, invitedBy: PersonID,
                       send: @escaping @Sendable (Invitee, PostgresConnection) throws -> Void) async throws {
        let lifetime = Self.invitationLifetimeDays
        let roleList = PostgresTextArray(roles.map(\.rawValue).sorted())
        try await pool.withTransaction { connection in
            try connection.query("""
                INSERT INTO invitations (organisation_id, user_id, email, roles, invited_by, expires_at)
                VALUES (\(organisationID)::uuid, \(userID)::uuid, \(email), \(roleList)::text[], \(invitedBy)::uuid, now() + make_interval(days => \(lifetime)::int))
                ON CONFLICT (organisation_id, user_id) WHERE answered_at IS NULL
                DO UPDATE SET roles = EXCLUDED.roles, email = EXCLUDED.email, invited_by = EXCLUDED.invited_by,
                              created_at = now(), expires_at = EXCLUDED.expires_at
                """)
            let (name, address, organisationName, inviter) = try connection.query("""
                SELECT u.name, u.email, o.name, i.name
                FROM users u, organisations o, users i
                WHERE u.id = \(userID)::uuid AND o.id = \(organisationID)::uuid AND i.id = \(invitedBy)::uuid
                """).single().decode((String, String, String, String).self)
            try send(Invitee(name: name, email: address, organisationName: organisationName, invitedByName: inviter, roles: roles), connection)
        }
    }

    /// The invitations waiting for the person's answer, newest first.
    public func invitations(to userID: PersonID) async throws -> [InvitationToMe] {
        try await pool.query("""
            SELECT i.id::text, o.name, array_to_string(i.roles, ','), u.name, (i.expires_at AT TIME ZONE 'Europe/Stockholm')::date
            FROM invitations i JOIN organisations o ON o.id = i.organisation_id JOIN users u ON u.id = i.invited_by
            WHERE i.user_id = \(userID)::uuid AND i.answered_at IS NULL AND i.expires_at > now()
            ORDER BY i.created_at DESC
            """).map { row in
            let (id, organisation, roles, inviter, expires) = try row.decode((String, String, String, String, LocalDate).self)
            return InvitationToMe(id: id, organisationName: organisation, roles: Self.roleSet(roles), invitedByName: inviter, expiresAt: expires)
        }
    }

    /// The organisation's invitations not yet answered, newest first.
    public func invitations(from organisationID: OrganisationID) async throws -> [InvitationFromUs] {
        try await pool.query("""
            SELECT id::text, email, array_to_string(roles, ','), (expires_at AT TIME ZONE 'Europe/Stockholm')::date
            FROM invitations
            WHERE organisation_id = \(organisationID)::uuid AND answered_at IS NULL AND expires_at > now()
            ORDER BY created_at DESC
            """).map { row in
            let (id, email, roles, expires) = try row.decode((String, String, String, LocalDate).self)
            return InvitationFromUs(id: id, email: email, roles: Self.roleSet(roles), expiresAt: expires)
        }
    }

    /// Answers an open, unexpired invitation of `userID`'s: accepting gives
    /// its roles. False when there is none by that id for this person (a
    /// wrong id, someone else's, answered, expired): nothing changes.
    public func answerInvitation(_ invitationID: String, by userID: PersonID, accept: Bool) async throws -> Bool {
        guard PersonID.isUUID(invitationID) else { return false }
        return try await pool.withTransaction { connection in
            guard let (organisationID, roles) = try connection.query("""
                UPDATE invitations SET answered_at = now(), accepted = \(accept)
                WHERE id = \(invitationID)::uuid AND user_id = \(userID)::uuid AND answered_at IS NULL AND expires_at > now()
                RETURNING organisation_id::text, array_to_string(roles, ',')
                """).first.map({ try $0.decode((OrganisationID, String).self) }) else { return false }
            guard accept else { return true }
            for role in Self.roleSet(roles).sorted() {
                try connection.query("""
                    INSERT INTO memberships (user_id, organisation_id, role) VALUES (\(userID)::uuid, \(organisationID)::uuid, \(role.rawValue))
                    ON CONFLICT DO NOTHING
                    """)
            }
            return true
        }
    }

    static func roleSet(_ text: String) -> Set<Role> {
        Set(text.split(separator: ",").compactMap { Role(rawValue: String($0)) })
    }
}
