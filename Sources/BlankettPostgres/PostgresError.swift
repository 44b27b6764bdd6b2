/// An error from PostgreSQL or from this adapter.
///
/// `description` names the kind, the SQLSTATE and PostgreSQL's primary message;
/// it never contains bound parameter values or the server's DETAIL text (which
/// repeats row values such as `Key (email)=(…)`), because those may be personal
/// data. The SQL text of the failing statement is only in `debugDescription`.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        let name: String
        /// Could not open a connection (server down, wrong credentials, timeout).
        public static let connectionFailed = Kind(name: "connection failed")
        /// The connection broke while in use; it has been discarded.
        public static let connectionLost = Kind(name: "connection lost")
        /// The server rejected the statement; see `sqlState`.
        public static let server = Kind(name: "server error")
        /// A parameter cannot be sent (e.g. text containing NUL).
        public static let invalidParameter = Kind(name: "invalid parameter")
        /// A column could not be decoded into the requested Swift type.
        public static let decoding = Kind(name: "decoding failed")
        /// The pool has been shut down.
        public static let poolClosed = Kind(name: "pool closed")
        /// Waited longer than the pool's acquire timeout for a connection.
        public static let acquireTimeout = Kind(name: "timed out waiting for a connection")
        public var description: String { name }
    }

    public let kind: Kind
    /// Five-character SQLSTATE, e.g. `23505` for unique_violation.
    public let sqlState: String?
    /// PostgreSQL's primary message, or the adapter's own.
    public let message: String
    /// The violated constraint's name, when the server reports one.
    public let constraintName: String?
    /// The statement text, for logs at debug level only.
    public let statement: String?

    public init(kind: Kind, sqlState: String? = nil, message: String, constraintName: String? = nil, statement: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.constraintName = constraintName
        self.statement = statement
    }

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isSerializationFailure: Bool { sqlState == "40001" || sqlState == "40P01" }

    /// The database cannot be reached or is shutting down or overloaded: the
    /// same request may well succeed in a moment (HTTP 503, not 500).
    /// SQLSTATE classes 08 (connection exception), 53 (insufficient
    /// resources) and 57P (operator intervention: shutdown, crash) count.
    public var isUnavailable: Bool {
        if [Kind.connectionFailed, .connectionLost, .poolClosed, .acquireTimeout].contains(kind) { return true }
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || sqlState.hasPrefix("53") || sqlState.hasPrefix("57P")
    }

    public var description: String {
        var text = "PostgreSQL \(kind)"
        if let sqlState { text += " [\(sqlState)]" }
        text += ": \(message)"
        return text
    }

    public var debugDescription: String {
        guard let statement else { return description }
        return description + " in statement: \(statement)"
    }
}
