import BlankettCore
import BlankettPostgres
import Foundation

/// The `outbox` table: messages written in the transaction of the transition
/// that sends them, delivered afterwards by `OutboxWorker`.
///
/// `enqueue` runs on the caller's connection, inside its transaction, so a
/// message exists exactly when the transition committed. Reading and
/// re-queueing go through the pool.
public struct Outbox: Sendable {
    public let pool: PostgresConnectionPool

    public init(pool: PostgresConnectionPool) {
        self.pool = pool
    }

    /// Renders `message` (refusing it with `MailError.tooLarge` beyond
    /// `sizeLimit`, default 20 MB, before anything is written) and queues it
    /// for immediate delivery. Call inside the caller's transaction. Returns
    /// the outbox id.
    @discardableResult
    public static func enqueue(
        _ message: MailMessage,
        kind: OutboxKind,
        caseID: CaseID,
        organisationID: OrganisationID,
        sizeLimit: Int = MailMessage.defaultSizeLimit,
        on connection: PostgresConnection
    ) throws -> Int64 {
        try insert(message, kind: kind, caseID: caseID, organisationID: organisationID, sizeLimit: sizeLimit, on: connection)
    }

    /// Queues a message to a person that belongs to no case (a password
    /// reset link), like `enqueue(_:kind:caseID:organisationID:…)` otherwise.
    /// Such a row is never listed with a case.
    @discardableResult
    public static func enqueuePersonal(
        _ message: MailMessage,
        kind: OutboxKind,
        sizeLimit: Int = MailMessage.defaultSizeLimit,
        on connection: PostgresConnection
    ) throws -> Int64 {
        try insert(message, kind: kind, caseID: nil, organisationID: nil, sizeLimit: sizeLimit, on: connection)
    }

    /// The one INSERT behind both: a case's message carries the case and its organisation.
    private static func insert(_ message: MailMessage, kind: OutboxKind, caseID: CaseID?, organisationID: OrganisationID?,
                               sizeLimit: Int, on connection: PostgresConnection) throws -> Int64 {
        let envelope = try MailEnvelope(message, sizeLimit: sizeLimit)
        let recipient = message.to.map(\.email).joined(separator: ", ")
        return try connection.query("""
            INSERT INTO outbox (case_id, organisation_id, kind, recipient, message, message_id, subject, sender, recipients)
            VALUES (\(caseID)::uuid, \(organisationID)::uuid, \(kind.rawValue), \(recipient), \(PostgresBytes(envelope.bytes)),
                    \(envelope.messageID.value), \(message.subject), \(envelope.sender), \(PostgresTextArray(envelope.recipients))::text[])
            RETURNING id
            """).single().decode(Int64.self, at: 0)
    }

    /// The case's messages, oldest first.
    public func messages(caseID: CaseID) async throws -> [OutboxEntry] {
        try await pool.withConnection { connection in try Self.messages(caseID: caseID, on: connection) }
    }

    /// The case's messages, oldest first, on the caller's connection.
    public static func messages(caseID: CaseID, on connection: PostgresConnection) throws -> [OutboxEntry] {
        try connection.query("""
            SELECT id, case_id::text, kind, recipient, subject, message_id, status, attempts,
                   extract(epoch FROM created_at)::float8::text, extract(epoch FROM sent_at)::float8::text,
                   extract(epoch FROM next_attempt_at)::float8::text, last_error, last_reply_code, last_reply
            FROM outbox WHERE case_id = \(caseID)::uuid ORDER BY id
            """).map(Self.entry)
    }

    /// One message of a case by id, or nil (also for a personal message, which has no case).
    public func message(id: Int64) async throws -> OutboxEntry? {
        try await pool.withConnection { connection in
            try connection.query("""
                SELECT id, case_id::text, kind, recipient, subject, message_id, status, attempts,
                       extract(epoch FROM created_at)::float8::text, extract(epoch FROM sent_at)::float8::text,
                       extract(epoch FROM next_attempt_at)::float8::text, last_error, last_reply_code, last_reply
                FROM outbox WHERE id = \(id) AND case_id IS NOT NULL
                """).first.map(Self.entry)
        }
    }

    /// Every attempt to deliver message `outboxID`, oldest first.
    public func attempts(outboxID: Int64) async throws -> [OutboxAttempt] {
        try await pool.withConnection { connection in
            try connection.query("""
                SELECT id, number, extract(epoch FROM started_at)::float8::text, extract(epoch FROM finished_at)::float8::text,
                       outcome, reply_code, reply, error
                FROM outbox_attempts WHERE outbox_id = \(outboxID) ORDER BY id
                """).map { row in
                    OutboxAttempt(
                        id: try row.decode(Int64.self, at: 0),
                        number: try row.decode(Int.self, at: 1),
                        startedAt: try Self.date(row.decode(String.self, at: 2)),
                        finishedAt: try row.decode(String?.self, at: 3).map(Self.date),
                        outcome: try row.decode(String?.self, at: 4).flatMap(OutboxAttempt.Outcome.init(rawValue:)),
                        replyCode: try row.decode(Int?.self, at: 5),
                        reply: try row.decode(String?.self, at: 6),
                        error: try row.decode(String?.self, at: 7)
                    )
                }
        }
    }

    /// Puts a failed message back in the queue for immediate delivery, with
    /// its attempt count restarted (earlier attempts stay in
    /// `outbox_attempts`). The same stored bytes are sent. Returns false
    /// when no failed message has this id.
    @discardableResult
    public func resend(id: Int64) async throws -> Bool {
        try await pool.withConnection { connection in
            try connection.query("""
                UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = now(), lease_expires_at = NULL
                WHERE id = \(id) AND status = 'failed' AND message IS NOT NULL
                """).affectedRows == 1
        }
    }

    // MARK: Decoding

    private static func entry(_ row: PostgresRow) throws -> OutboxEntry {
        let kindText = try row.decode(String.self, at: 2)
        let statusText = try row.decode(String.self, at: 6)
        guard let kind = OutboxKind(rawValue: kindText), let status = OutboxStatus(rawValue: statusText) else {
            throw PostgresError(kind: .decoding, message: "unknown outbox kind or status")
        }
        return OutboxEntry(
            id: try row.decode(Int64.self, at: 0),
            caseID: try row.decode(CaseID.self, at: 1),
            kind: kind,
            recipient: try row.decode(String.self, at: 3),
            subject: try row.decode(String?.self, at: 4),
            messageID: try row.decode(String?.self, at: 5),
            status: status,
            attempts: try row.decode(Int.self, at: 7),
            createdAt: try date(row.decode(String.self, at: 8)),
            sentAt: try row.decode(String?.self, at: 9).map(date),
            nextAttemptAt: try date(row.decode(String.self, at: 10)),
            lastError: try row.decode(String?.self, at: 11),
            lastReplyCode: try row.decode(Int?.self, at: 12),
            lastReply: try row.decode(String?.self, at: 13)
        )
    }

    static func date(_ epochText: String) throws -> Date {
        guard let seconds = Double(epochText) else {
            throw PostgresError(kind: .decoding, message: "not an epoch timestamp")
        }
        return Date(timeIntervalSince1970: seconds)
    }
}
