import BlankettCore

/// Ids bind as their UUID text (the SQL casts with `::uuid`) and read back
/// from `id::text` columns without checking again: the database made them.
extension PostgresEncodable where Self: EntityID {
    public var postgresBind: PostgresBind { PostgresBind(text: uuid) }
}

extension PostgresDecodable where Self: EntityID {
    public init(postgresText text: String?) throws(PostgresError) {
        guard let text else { throw .unexpectedNull(Self.self) }
        self.init(unchecked: text)
    }
}

extension CaseID: PostgresEncodable, PostgresDecodable {}
extension PersonID: PostgresEncodable, PostgresDecodable {}
extension OrganisationID: PostgresEncodable, PostgresDecodable {}
extension RoundID: PostgresEncodable, PostgresDecodable {}
extension NamndID: PostgresEncodable, PostgresDecodable {}
