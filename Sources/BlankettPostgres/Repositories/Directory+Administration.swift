import BlankettCore

/// What an organisation's administrator sees and changes on the admin page.
extension Directory {
    /// The people with a role in the organisation, by name.
    public func members(organisationID: OrganisationID) async throws -> [(user: User, roles: Set<Role>)] {
        return try await pool.query("""
            SELECT u.id::text, u.email, u.name, u.title, string_agg(m.role, ',' ORDER BY m.role)
            FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.organisation_id = \(organisationID)::uuid
            GROUP BY u.id, u.email, u.name, u.title ORDER BY u.name, u.email
            """).map { row in
            let (id, email, name, title, roles) = try row.decode((PersonID, String, String, String, String).self)
            return (User(id: id, email: email, name: name, title: title), Set(roles.split(separator: ",").compactMap { Role(rawValue: String($0)) }))
        }
    }

    /// Replaces a person's roles in the organisation. `actingUserID` cannot
    /// take away their own administrator role: nobody would be left to give it back.
    public func setRoles(_ roles: Set<Role>, userID: PersonID, organisationID: OrganisationID, actingUserID: PersonID) async throws {
        if userID == actingUserID && !roles.contains(.admin) {
            throw CaseError(.invalidInput, "Du kan inte ta bort din egen administratörsroll. Be en annan administratör om det.")
        }
        try await pool.withTransaction { connection in
            guard try connection.query("SELECT 1 FROM users WHERE id = \(userID)::uuid").first != nil else { throw CaseError.notFound("Personen") }
            try connection.query("DELETE FROM memberships WHERE user_id = \(userID)::uuid AND organisation_id = \(organisationID)::uuid")
            for role in roles.sorted() {
                try connection.query("INSERT INTO memberships (user_id, organisation_id, role) VALUES (\(userID)::uuid, \(organisationID)::uuid, \(role.rawValue))")
            }
        }
    }

    public struct Namnd: Sendable, Hashable {
        public let id: NamndID
        public let name: String
        public let diariumPrefix: String
    }

    public func namnder(organisationID: OrganisationID) async throws -> [Namnd] {
        return try await pool.query("""
            SELECT id::text, name, diarium_prefix FROM namnder WHERE organisation_id = \(organisationID)::uuid ORDER BY name
            """).map { row in
            let (id, name, prefix) = try row.decode((NamndID, String, String).self)
            return Namnd(id: id, name: name, diariumPrefix: prefix)
        }
    }

    /// The sub-units (stadsdelsförvaltningar) of an organisation.
    public func units(parentID: OrganisationID) async throws -> [Organisation] {
        return try await pool.query("""
            SELECT o.id::text, o.name, p.organisationsnummer, o.parent_id::text FROM organisations o JOIN organisations p ON p.id = o.parent_id
            WHERE o.parent_id = \(parentID)::uuid ORDER BY o.name
            """).map { row in
            let (id, name, number, parent) = try row.decode((OrganisationID, String, String, OrganisationID?).self)
            return Organisation(id: id, name: name, organisationsnummer: number, parentID: parent)
        }
    }

    /// What each round gives the organisation, by round id.
    public func prefills(organisationID: OrganisationID) async throws -> [RoundID: JSONObject] {
        var result: [RoundID: JSONObject] = [:]
        for row in try await pool.query("SELECT round_id::text, inputs FROM round_prefills WHERE organisation_id = \(organisationID)::uuid") {
            let (round, inputs) = try row.decode((RoundID, JSONValue).self)
            result[round] = inputs.objectValue ?? JSONObject()
        }
        return result
    }
}
