import CLibPQ
import Glibc

/// One libpq connection. Every method blocks: call them only from the pool's
/// thread pool (see `PostgresConnectionPool.withConnection`), never from the
/// cooperative pool or an event loop.
///
/// A `PGconn` must have one user at a time. The pool guarantees that by handing
/// a connection to exactly one closure; the `Mutex` inside makes any slip a
/// wait instead of memory corruption.
public final class PostgresConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    private let lock = HandleLock()
    private(set) var isClosed = false
    /// The statements this connection has prepared, by SQL text and
    /// parameter types: the server parses (and, after a few runs, plans)
    /// each once per connection instead of on every call. A new connection
    /// after a reconnect starts empty, so nothing refers to a statement of
    /// an earlier server session.
    private var prepared: [PreparedKey: String] = [:]
    /// Beyond this many, further statements run unnamed, as before: the
    /// code's statements are a fixed set far below it, and nothing grows
    /// without bound if some caller builds SQL text dynamically.
    static let preparedLimit = 1_000
    /// Statements sent since the pool lent the connection (`beginLease`).
    private var statementsThisLease = 0

    private struct PreparedKey: Hashable {
        let sql: String
        let types: [Oid]
    }

    /// Opens a connection; throws `.connectionFailed` with libpq's reason.
    public init(configuration: PostgresConfiguration) throws(PostgresError) {
        let parameters = configuration.connectParameters
        let keywords = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        var keywordPointers = keywords.map { UnsafePointer<CChar>($0) } + [nil]
        var valuePointers = values.map { UnsafePointer<CChar>($0) } + [nil]
        let connection = keywordPointers.withUnsafeMutableBufferPointer { keywordBuffer in
            valuePointers.withUnsafeMutableBufferPointer { valueBuffer in
                PQconnectdbParams(keywordBuffer.baseAddress, valueBuffer.baseAddress, 1)
            }
        }
        guard let connection else {
            throw PostgresError(kind: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.errorMessage(connection)
            PQfinish(connection)
            throw PostgresError(kind: .connectionFailed, message: message)
        }
        blankett_pg_silence_notices(connection)
        handle = connection
    }

    deinit {
        if !isClosed { PQfinish(handle) }
    }

    /// False once the server has gone away or the socket broke.
    public var isHealthy: Bool {
        lock.withLock {
            guard !isClosed else { return false }
            // Reads whatever the server sent meanwhile (e.g. the FATAL message of
            // a shutdown), so a dead idle connection shows as bad before use.
            _ = PQconsumeInput(handle)
            return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
        }
    }

    /// The server process serving this connection (`pg_backend_pid()`).
    public var backendPID: Int32 {
        lock.withLock { PQbackendPID(handle) }
    }

    /// Called by the pool as it lends the connection out.
    func beginLease() {
        lock.withLock { statementsThisLease = 0 }
    }

    /// Whether `error` shows that the lease's first statement found the
    /// connection dead and that statement was a read or a BEGIN: then the
    /// server did nothing for this lease, and the work may run again on a
    /// fresh connection. (A server gone between executing a write and
    /// answering it is the one case a retry could repeat; writes are not retried.)
    func diedBeforeAnyWork(_ error: any Error) -> Bool {
        guard let error = error as? PostgresError, error.kind == .connectionLost, let statement = error.statement else { return false }
        let count = lock.withLock { statementsThisLease }
        guard count == 1 else { return false }
        let head = statement.drop { $0.isWhitespace }.prefix(6).uppercased()
        return head.hasPrefix("SELECT") || head.hasPrefix("BEGIN")
    }

    func close() {
        lock.withLock {
            guard !isClosed else { return }
            isClosed = true
            PQfinish(handle)
        }
    }

    /// Runs one parameterised statement and copies its result out.
    @discardableResult
    public func query(_ query: PostgresQuery) throws(PostgresError) -> PostgresRows {
        try lock.withLock { () throws(PostgresError) -> PostgresRows in
            try runLocked(query)
        }
    }

    /// Runs trusted SQL that may hold several statements (migration files),
    /// without parameters.
    public func executeScript(unsafeSQL sql: String) throws(PostgresError) {
        try lock.withLock { () throws(PostgresError) in
            guard !isClosed else { throw PostgresError(kind: .connectionLost, message: "connection is closed") }
            guard let result = PQexec(handle, sql) else { throw connectionError(statement: sql) }
            defer { PQclear(result) }
            _ = try check(result, statement: sql)
            // A script may change tables a prepared statement reads ("cached
            // plan must not change result type"): prepare afresh after one.
            if !prepared.isEmpty, let cleared = PQexec(handle, "DEALLOCATE ALL") {
                PQclear(cleared)
                prepared.removeAll()
            }
        }
    }

    private func runLocked(_ query: PostgresQuery) throws(PostgresError) -> PostgresRows {
        guard !isClosed else { throw PostgresError(kind: .connectionLost, message: "connection is closed") }
        statementsThisLease += 1
        var values: [UnsafeMutablePointer<CChar>?] = []
        values.reserveCapacity(query.binds.count)
        defer { values.forEach { free($0) } }
        for bind in query.binds {
            if let text = bind.text {
                guard !text.utf8.contains(0) else {
                    throw PostgresError(kind: .invalidParameter, message: "a text parameter contains a NUL character", statement: query.sql)
                }
                values.append(strdup(text))
            } else {
                values.append(nil)
            }
        }
        let types = query.binds.map { Oid($0.typeOID) }
        let valuePointers = values.map { UnsafePointer<CChar>($0) }
        let count = Int32(query.binds.count)
        let result: OpaquePointer?
        if let name = try preparedName(query.sql, types: types) {
            result = valuePointers.withUnsafeBufferPointer { valueBuffer in
                PQexecPrepared(handle, name, count, valueBuffer.baseAddress, nil, nil, 0)
            }
        } else {
            result = types.withUnsafeBufferPointer { typeBuffer in
                valuePointers.withUnsafeBufferPointer { valueBuffer in
                    PQexecParams(handle, query.sql, count, typeBuffer.baseAddress, valueBuffer.baseAddress, nil, nil, 0)
                }
            }
        }
        guard let result else { throw connectionError(statement: query.sql) }
        defer { PQclear(result) }
        return try check(result, statement: query.sql)
    }

    /// The name `sql` is prepared under on this connection, preparing it on
    /// first use; nil once the cache is full. A statement the server refuses
    /// to prepare (a syntax error, an aborted transaction) throws as running
    /// it would, and is not remembered.
    private func preparedName(_ sql: String, types: [Oid]) throws(PostgresError) -> String? {
        let key = PreparedKey(sql: sql, types: types)
        if let name = prepared[key] { return name }
        guard prepared.count < Self.preparedLimit else { return nil }
        let name = "blankett_\(prepared.count + 1)"
        let result = types.withUnsafeBufferPointer { typeBuffer in
            PQprepare(handle, name, sql, Int32(types.count), typeBuffer.baseAddress)
        }
        guard let result else { throw connectionError(statement: sql) }
        defer { PQclear(result) }
        _ = try check(result, statement: sql)
        prepared[key] = name
        return name
    }

    /// How many statements this connection has prepared (for tests).
    public var preparedStatementCount: Int {
        lock.withLock { prepared.count }
    }

    private func check(_ result: OpaquePointer, statement: String) throws(PostgresError) -> PostgresRows {
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return Self.copyRows(result)
        default:
            if PQstatus(handle) != CONNECTION_OK { throw connectionError(statement: statement) }
            func field(_ code: Int32) -> String? {
                PQresultErrorField(result, code).map { String(cString: $0) }
            }
            throw PostgresError(
                kind: .server,
                sqlState: field(blankett_pg_diag_sqlstate()),
                message: field(blankett_pg_diag_message_primary()) ?? "statement failed",
                constraintName: field(blankett_pg_diag_constraint_name()),
                statement: statement
            )
        }
    }

    private func connectionError(statement: String?) -> PostgresError {
        PostgresError(kind: .connectionLost, message: Self.errorMessage(handle), statement: statement)
    }

    private static func errorMessage(_ connection: OpaquePointer) -> String {
        guard let raw = PQerrorMessage(connection) else { return "unknown libpq error" }
        let message = String(cString: raw).trimmingWhitespace
        return message.isEmpty ? "unknown libpq error" : message
    }

    private static func copyRows(_ result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var cells: [[String?]] = []
        cells.reserveCapacity(rowCount)
        for row in 0..<Int32(rowCount) {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else {
                    let length = Int(PQgetlength(result, row, column))
                    let bytes = UnsafeRawPointer(PQgetvalue(result, row, column)!)
                    values.append(String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self))
                }
            }
            cells.append(values)
        }
        let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
        return PostgresRows(columns: columns, cells: cells, affectedRows: affected)
    }
}

extension String {
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }
}
