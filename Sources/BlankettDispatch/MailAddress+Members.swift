import BlankettCore
import BlankettMail
import BlankettPostgres

extension MailAddress {
    /// The people who hold any of `roles` in the organisation (not in its
    /// parent), each once, by address. An address the mail module cannot
    /// write to is left out rather than failing the transaction that asks:
    /// one odd account must not stop a case or a reminder.
    static func members(of organisationID: OrganisationID, roles: Set<Role>, excluding userID: PersonID? = nil,
                        on connection: PostgresConnection) throws -> [MailAddress] {
        let roleList = roles.map(\.rawValue).sorted().joined(separator: ",")
        return try connection.query("""
            SELECT DISTINCT u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id
            WHERE m.organisation_id = \(organisationID)::uuid AND m.role = ANY(string_to_array(\(roleList), ','))
              AND u.id::text IS DISTINCT FROM \(userID)
            ORDER BY u.email
            """).compactMap { row in
            let (email, name) = try row.decode((String, String).self)
            return try? MailAddress(email, name: name)
        }
    }
}
