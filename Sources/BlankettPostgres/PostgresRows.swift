/// The complete result of one statement, copied out of libpq so that it can
/// leave the thread pool (`PGresult` itself is not `Sendable`).
public struct PostgresRows: Sendable, Sequence {
    public let columns: [String]
    public let rows: [PostgresRow]
    /// Rows inserted, updated or deleted (`PQcmdTuples`), 0 for other statements.
    public let affectedRows: Int

    public init(columns: [String], cells: [[String?]], affectedRows: Int) {
        self.columns = columns
        let index = PostgresRow.ColumnIndex(columns)
        self.rows = cells.map { PostgresRow(columns: index, cells: $0) }
        self.affectedRows = affectedRows
    }

    public var count: Int { rows.count }
    public var first: PostgresRow? { rows.first }
    public func makeIterator() -> IndexingIterator<[PostgresRow]> { rows.makeIterator() }

    /// The only row, or an error naming how many there were.
    public func single() throws(PostgresError) -> PostgresRow {
        guard rows.count == 1 else {
            throw PostgresError(kind: .decoding, message: "expected exactly one row, got \(rows.count)")
        }
        return rows[0]
    }
}

public struct PostgresRow: Sendable {
    final class ColumnIndex: Sendable {
        let names: [String]
        init(_ names: [String]) { self.names = names }
        func position(of name: String) -> Int? { names.firstIndex(of: name) }
    }

    let columns: ColumnIndex
    public let cells: [String?]

    init(columns: ColumnIndex, cells: [String?]) {
        self.columns = columns
        self.cells = cells
    }

    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at index: Int) throws(PostgresError) -> T {
        guard cells.indices.contains(index) else {
            throw PostgresError(kind: .decoding, message: "no column at index \(index) (row has \(cells.count))")
        }
        do {
            return try T(postgresText: cells[index])
        } catch {
            throw PostgresError(kind: .decoding, message: "column \(columns.names[index]): \(error.message)")
        }
    }

    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, column name: String) throws(PostgresError) -> T {
        guard let index = columns.position(of: name) else {
            throw PostgresError(kind: .decoding, message: "no column named \(name)")
        }
        return try decode(type, at: index)
    }

    /// Decodes the leading columns in order: `let (id, name) = try row.decode((Int, String).self)`.
    public func decode<each T: PostgresDecodable>(_ types: (repeat each T).Type) throws(PostgresError) -> (repeat each T) {
        var index = 0
        func next<U: PostgresDecodable>(_ type: U.Type) throws(PostgresError) -> U {
            defer { index += 1 }
            return try decode(type, at: index)
        }
        return (repeat try next((each T).self))
    }
}

/// A Swift type read from PostgreSQL's text format.
public protocol PostgresDecodable: Sendable {
    init(postgresText text: String?) throws(PostgresError)
}

extension PostgresError {
    static func unexpectedNull(_ type: Any.Type) -> PostgresError {
        PostgresError(kind: .decoding, message: "unexpected NULL for \(type)")
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresText text: String?) throws(PostgresError) {
        self = text == nil ? .none : .some(try Wrapped(postgresText: text))
    }
}

extension String: PostgresDecodable {
    public init(postgresText text: String?) throws(PostgresError) {
        guard let text else { throw .unexpectedNull(String.self) }
        self = text
    }
}

extension Int: PostgresDecodable {
    public init(postgresText text: String?) throws(PostgresError) {
        guard let text else { throw .unexpectedNull(Int.self) }
        guard let value = Int(text) else {
            throw PostgresError(kind: .decoding, message: "not an integer")
        }
        self = value
    }
}

extension Int64: PostgresDecodable {
    public init(postgresText text: String?) throws(PostgresError) {
        self = Int64(try Int(postgresText: text))
    }
}

extension Int32: PostgresDecodable {
    public init(postgresText text: String?) throws(PostgresError) {
        guard let value = Int32(exactly: try Int(postgresText: text)) else {
            throw PostgresError(kind: .decoding, message: "integer out of range for Int32")
        }
        self = value
    }
}

extension Bool: PostgresDecodable {
    public init(postgresText text: String?) throws(PostgresError) {
        switch text {
        case "t": self = true
        case "f": self = false
        case nil: throw .unexpectedNull(Bool.self)
        default: throw PostgresError(kind: .decoding, message: "not a boolean")
        }
    }
}
