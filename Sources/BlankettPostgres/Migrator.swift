import Logging

/// Applies `sql/` migrations in order, each in its own transaction, and
/// records them with a SHA-256 checksum in `schema_migrations`.
///
/// A session-level advisory lock serialises concurrent migrators (two app
/// instances starting together): the second waits, then finds nothing to do.
public struct Migrator: Sendable {
    public let migrations: [Migration]
    private let pool: PostgresConnectionPool
    private let logger: Logger

    /// Arbitrary constant naming Blankett's migration lock ("BLANKETT" in hex-ish).
    static let advisoryLockKey: Int64 = 0x0B1A_4E77_0000_0001

    public init(migrations: [Migration], pool: PostgresConnectionPool, logger: Logger = Logger(label: "blankett.migrate")) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.pool = pool
        self.logger = logger
    }

    public struct Report: Sendable {
        /// File names applied by this run, in order.
        public var applied: [String]
        /// How many were already applied before.
        public var alreadyApplied: Int
    }

    /// Applies what is pending. Throws `changedAfterApply` (applying nothing)
    /// when a file recorded as applied no longer matches its checksum.
    @discardableResult
    public func migrate() async throws -> Report {
        let migrations = self.migrations
        let logger = self.logger
        return try await pool.withConnection { connection in
            try connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))")
            defer { _ = try? connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))") }
            try connection.executeScript(unsafeSQL: Self.createTable)
            let applied = try Self.appliedChecksums(connection)
            let checksums = try migrations.map { try Self.checksum(of: $0.sql, on: connection) }
            for (migration, checksum) in zip(migrations, checksums) {
                if let recorded = applied[migration.version], recorded != checksum {
                    throw MigrationError(
                        code: .changedAfterApply,
                        message: "sql/\(migration.fileName) was changed after it was applied "
                            + "(recorded checksum \(recorded.prefix(12))…, file now \(checksum.prefix(12))…). "
                            + "Applied migrations must not be edited: restore the file and add a new migration."
                    )
                }
            }
            var report = Report(applied: [], alreadyApplied: 0)
            for (migration, checksum) in zip(migrations, checksums) {
                if applied[migration.version] != nil {
                    report.alreadyApplied += 1
                    continue
                }
                try connection.transaction {
                    try connection.executeScript(unsafeSQL: migration.sql)
                    try connection.query("""
                        INSERT INTO schema_migrations (version, name, checksum)
                        VALUES (\(migration.version), \(migration.name), \(checksum))
                        """)
                }
                logger.info("Applied migration", metadata: ["file": "\(migration.fileName)"])
                report.applied.append(migration.fileName)
            }
            return report
        }
    }

    public struct Status: Sendable {
        /// Known files not yet applied.
        public var pending: [String]
        /// Applied files whose content differs from the recorded checksum.
        public var changed: [String]
        /// Versions in the database that this build does not know.
        public var unknownVersions: [Int]
        public var isCurrent: Bool { pending.isEmpty && changed.isEmpty }
    }

    /// Compares the database with the files without changing anything.
    public func status() async throws -> Status {
        let migrations = self.migrations
        return try await pool.withConnection { connection in
            let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL").single().decode(Bool.self, at: 0)
            let applied = exists ? try Self.appliedChecksums(connection) : [:]
            var status = Status(pending: [], changed: [], unknownVersions: [])
            for migration in migrations {
                guard let recorded = applied[migration.version] else {
                    status.pending.append(migration.fileName)
                    continue
                }
                if try recorded != Self.checksum(of: migration.sql, on: connection) {
                    status.changed.append(migration.fileName)
                }
            }
            let known = Set(migrations.map(\.version))
            status.unknownVersions = applied.keys.filter { !known.contains($0) }.sorted()
            return status
        }
    }

    static let createTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer PRIMARY KEY,
            name       text NOT NULL,
            checksum   text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """

    private static func appliedChecksums(_ connection: PostgresConnection) throws -> [Int: String] {
        var applied: [Int: String] = [:]
        for row in try connection.query("SELECT version, checksum FROM schema_migrations") {
            let (version, checksum) = try row.decode((Int, String).self)
            applied[version] = checksum
        }
        return applied
    }

    /// SHA-256 of the file's UTF-8 bytes, computed by PostgreSQL itself.
    private static func checksum(of sql: String, on connection: PostgresConnection) throws -> String {
        try connection.query("SELECT encode(sha256(convert_to(\(sql), 'UTF8')), 'hex')").single().decode(String.self, at: 0)
    }
}
