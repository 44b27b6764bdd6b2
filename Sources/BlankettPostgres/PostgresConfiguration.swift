/// How to reach PostgreSQL and how patient to be.
public struct PostgresConfiguration: Sendable {
    /// A libpq connection string: a `postgresql://` URI or `key=value` pairs.
    /// `nil` lets libpq use its standard `PG*` environment variables
    /// (`PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD`, …).
    public var connectionString: String?
    /// Seconds libpq waits for a new connection. Default 5.
    public var connectTimeoutSeconds: Int
    /// Milliseconds after which the server cancels a statement; 0 disables. Default 30 000.
    public var statementTimeoutMilliseconds: Int
    /// Most connections the pool opens. Default 8.
    public var maximumConnections: Int
    /// Seconds a caller waits for a free connection before failing. Default 10.
    public var acquireTimeoutSeconds: Int
    /// Reported as `application_name` in `pg_stat_activity`. Default "blankett".
    public var applicationName: String

    public init(
        connectionString: String? = nil,
        connectTimeoutSeconds: Int = 5,
        statementTimeoutMilliseconds: Int = 30_000,
        maximumConnections: Int = 8,
        acquireTimeoutSeconds: Int = 10,
        applicationName: String = "blankett"
    ) {
        self.connectionString = connectionString
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        self.maximumConnections = maximumConnections
        self.acquireTimeoutSeconds = acquireTimeoutSeconds
        self.applicationName = applicationName
    }

    /// Reads `DATABASE_URL`, `BLANKETT_DB_POOL_SIZE`, `BLANKETT_DB_STATEMENT_TIMEOUT_MS`
    /// and `BLANKETT_DB_CONNECT_TIMEOUT_S`; anything missing keeps its default.
    public init(environment: [String: String]) {
        self.init(connectionString: environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 })
        if let size = environment["BLANKETT_DB_POOL_SIZE"].flatMap(Int.init), size > 0 {
            maximumConnections = size
        }
        if let timeout = environment["BLANKETT_DB_STATEMENT_TIMEOUT_MS"].flatMap(Int.init), timeout >= 0 {
            statementTimeoutMilliseconds = timeout
        }
        if let timeout = environment["BLANKETT_DB_CONNECT_TIMEOUT_S"].flatMap(Int.init), timeout > 0 {
            connectTimeoutSeconds = timeout
        }
    }

    /// Keyword/value pairs for `PQconnectdbParams` with `expand_dbname`: the
    /// connection string comes first, so it may be a URI, and the timeouts after it win.
    var connectParameters: [(String, String)] {
        var parameters: [(String, String)] = []
        if let connectionString { parameters.append(("dbname", connectionString)) }
        parameters.append(("connect_timeout", String(connectTimeoutSeconds)))
        parameters.append(("options", "-c statement_timeout=\(statementTimeoutMilliseconds)"))
        parameters.append(("application_name", applicationName))
        parameters.append(("client_encoding", "UTF8"))
        return parameters
    }
}
