import BlankettCore
import Foundation

/// One outbox message as shown with its case: what, to whom, and how
/// delivery is going. The message bytes stay in the database.
public struct OutboxEntry: Sendable, Hashable {
    public let id: Int64
    public let caseID: CaseID
    public let kind: OutboxKind
    /// The To addresses, comma-separated.
    public let recipient: String
    public let subject: String?
    public let messageID: String?
    public let status: OutboxStatus
    /// Attempts since the message was queued (or re-queued by `resend`).
    public let attempts: Int
    public let createdAt: Date
    public let sentAt: Date?
    public let nextAttemptAt: Date
    /// What went wrong last time, for operators.
    public let lastError: String?
    public let lastReplyCode: Int?
    /// The server's last reply (`550 5.1.1 <x@y>: Recipient address rejected`).
    public let lastReply: String?
}

/// One delivery attempt of an outbox message (`outbox_attempts`).
public struct OutboxAttempt: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        case sent
        case temporaryFailure = "temporary_failure"
        case permanentFailure = "permanent_failure"
    }

    public let id: Int64
    public let number: Int
    public let startedAt: Date
    public let finishedAt: Date?
    /// nil while sending, or when the worker stopped during the attempt.
    public let outcome: Outcome?
    public let replyCode: Int?
    public let reply: String?
    public let error: String?
}
