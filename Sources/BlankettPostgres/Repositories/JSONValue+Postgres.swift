import BlankettCore

/// JSON travels as text; bind it with a `::jsonb` cast in the SQL.
extension JSONValue: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { PostgresBind(text: serialized()) }

    public init(postgresText text: String?) throws(PostgresError) {
        guard let text else { throw .unexpectedNull(JSONValue.self) }
        do {
            self = try JSONValue.parse(text)
        } catch {
            throw PostgresError(kind: .decoding, message: "a json column does not hold JSON")
        }
    }
}

extension LocalDate: PostgresEncodable, PostgresDecodable {
    public var postgresBind: PostgresBind { PostgresBind(text: description, typeOID: 1082) }

    public init(postgresText text: String?) throws(PostgresError) {
        guard let text else { throw .unexpectedNull(LocalDate.self) }
        guard let date = LocalDate(iso: text) else {
            throw PostgresError(kind: .decoding, message: "not a date")
        }
        self = date
    }
}
