import BlankettCore

/// The PDFs sent with a case's messages (`case_documents`), for the case page
/// to offer as they were sent. Access is the caller's to check (the case
/// service's `open` for the person).
public struct CaseDocuments: Sendable {
    public struct Summary: Sendable, Equatable {
        public let id: Int64
        /// `form` or `decision`.
        public let kind: String
        public let filename: String
        public let size: Int
        /// UTC, ISO 8601.
        public let createdAt: String
    }

    public let pool: PostgresConnectionPool

    public init(pool: PostgresConnectionPool) {
        self.pool = pool
    }

    /// The case's documents, oldest first, without their content.
    public func list(caseID: CaseID) async throws -> [Summary] {
        try await pool.query("""
            SELECT id, kind, filename, octet_length(content), to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            FROM case_documents WHERE case_id = \(caseID)::uuid ORDER BY id
            """).map { row in
            let (id, kind, filename, size, createdAt) = try row.decode((Int64, String, String, Int, String).self)
            return Summary(id: id, kind: kind, filename: filename, size: size, createdAt: createdAt)
        }
    }

    /// One document of the case; nil when the id names none of its documents.
    public func content(id: Int64, caseID: CaseID) async throws -> (filename: String, bytes: [UInt8])? {
        try await pool.query("""
            SELECT filename, content FROM case_documents WHERE id = \(id) AND case_id = \(caseID)::uuid
            """).first.map { row in
            let (filename, content) = try row.decode((String, PostgresBytes).self)
            return (filename, content.bytes)
        }
    }
}
