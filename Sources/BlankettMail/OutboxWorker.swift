import BlankettPostgres
import Logging
import ServiceLifecycle

/// Delivers the outbox: a ServiceLifecycle `Service` that claims due messages,
/// sends them through a `MailTransport` and records each outcome.
///
/// - Claiming is one short transaction: `FOR UPDATE SKIP LOCKED` picks due
///   rows no other worker holds, marks them `sending` with a lease, and adds
///   an attempt row. Sending happens outside any transaction.
/// - A temporary failure re-queues the message with exponential backoff and
///   jitter (`RetryPolicy`) until its attempts run out; then, or at once on a
///   permanent failure, the message is `failed` with the server's reply.
/// - A worker that dies between sending and recording leaves the row
///   `sending`; once its lease has expired another worker sends it again: at
///   most one duplicate, with the same stored bytes and Message-ID.
public final class OutboxWorker: Service, Sendable {
    public struct Configuration: Sendable {
        /// How often to look for due messages when nobody calls `wake()`. Default 5 s.
        public var pollInterval: Duration
        /// Messages claimed and sent at once. Default 2 (the SMTP transport's default threads).
        public var concurrency: Int
        public var retry: RetryPolicy
        /// How long a claimed message stays with its worker before another may
        /// send it again. Must exceed the transport's timeout. Default 15 min.
        public var sendingLease: Duration

        public init(
            pollInterval: Duration = .seconds(5),
            concurrency: Int = 2,
            retry: RetryPolicy = RetryPolicy(),
            sendingLease: Duration = .seconds(900)
        ) {
            self.pollInterval = pollInterval
            self.concurrency = max(1, concurrency)
            self.retry = retry
            self.sendingLease = sendingLease
        }
    }

    /// What one `runOnce()` did.
    public struct Report: Sendable, Hashable {
        public var sent = 0
        /// Temporary failures that will be tried again.
        public var retried = 0
        /// Messages marked failed (permanent failure or out of attempts).
        public var failed = 0
        public var attempted: Int { sent + retried + failed }

        public init(sent: Int = 0, retried: Int = 0, failed: Int = 0) {
            self.sent = sent
            self.retried = retried
            self.failed = failed
        }
    }

    public let configuration: Configuration
    private let pool: PostgresConnectionPool
    private let transport: any MailTransport
    private let logger: Logger
    private let wakeSignal = WakeSignal()

    public init(
        pool: PostgresConnectionPool,
        transport: any MailTransport,
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "blankett.mail.outbox")
    ) {
        self.pool = pool
        self.transport = transport
        self.configuration = configuration
        self.logger = logger
    }

    /// Delivers until graceful shutdown (or cancellation): `runOnce()`, then
    /// waits for the poll interval or a `wake()`. Errors (the database away)
    /// are logged and the loop goes on.
    public func run() async throws {
        logger.info("Outbox worker started")
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    try await runOnce()
                } catch {
                    logger.error("Outbox round failed", metadata: ["error": "\(error)"])
                }
                if Task.isCancelled || Task.isShuttingDownGracefully { break }
                await wakeSignal.wait(timeout: configuration.pollInterval)
            }
        } onGracefulShutdown: {
            self.wakeSignal.signal()
        }
        logger.info("Outbox worker stopped")
    }

    /// Makes a waiting `run()` look for due messages now (after `enqueue` commits).
    public func wake() {
        wakeSignal.signal()
    }

    /// Sends every message due now, `concurrency` at a time, and returns what
    /// happened. A message is tried at most once per call, even when its retry
    /// falls due during the call.
    @discardableResult
    public func runOnce() async throws -> Report {
        var report = Report()
        var handled: [Int64] = []
        while !Task.isShuttingDownGracefully {
            let claims = try await claim(excluding: handled)
            if claims.isEmpty { break }
            handled += claims.map(\.outboxID)
            let outcomes = await withTaskGroup(of: Report.self) { group in
                for claim in claims {
                    group.addTask { await self.deliver(claim) }
                }
                var combined = Report()
                for await outcome in group {
                    combined.sent += outcome.sent
                    combined.retried += outcome.retried
                    combined.failed += outcome.failed
                }
                return combined
            }
            report.sent += outcomes.sent
            report.retried += outcomes.retried
            report.failed += outcomes.failed
        }
        return report
    }

    // MARK: Steps

    /// A message this worker holds: what to send and which attempt row to complete.
    struct Claim: Sendable {
        let outboxID: Int64
        let attemptID: Int64
        let attempt: Int
        let envelope: MailEnvelope
    }

    /// One transaction: lock due rows no one else holds, mark them sending
    /// under a lease, count the attempt and add its row.
    private func claim(excluding handled: [Int64]) async throws -> [Claim] {
        let limit = configuration.concurrency
        let leaseMilliseconds = Int(RetryPolicy.seconds(configuration.sendingLease) * 1000)
        let excluded = "{" + handled.map(String.init).joined(separator: ",") + "}"
        return try await pool.withTransaction { connection in
            try connection.query("""
                WITH due AS (
                    SELECT id FROM outbox
                    WHERE message IS NOT NULL
                      AND ((status = 'queued' AND next_attempt_at <= now())
                           OR (status = 'sending' AND lease_expires_at <= now()))
                      AND NOT (id = ANY (\(excluded)::bigint[]))
                    ORDER BY next_attempt_at, id
                    LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED
                ), claimed AS (
                    UPDATE outbox o SET status = 'sending', attempts = o.attempts + 1,
                           lease_expires_at = now() + \(leaseMilliseconds) * interval '1 millisecond'
                    FROM due WHERE o.id = due.id
                    RETURNING o.id, o.attempts, o.sender, o.recipients, o.message_id, o.message
                ), attempt AS (
                    INSERT INTO outbox_attempts (outbox_id, number)
                    SELECT id, attempts FROM claimed
                    RETURNING id, outbox_id
                )
                SELECT claimed.id, attempt.id, claimed.attempts, claimed.sender,
                       array_to_string(claimed.recipients, E'\\n'), claimed.message_id, claimed.message
                FROM claimed JOIN attempt ON attempt.outbox_id = claimed.id
                ORDER BY claimed.id
                """).map { row in
                    let recipients = try row.decode(String.self, at: 4).split(separator: "\n").map(String.init)
                    return Claim(
                        outboxID: try row.decode(Int64.self, at: 0),
                        attemptID: try row.decode(Int64.self, at: 1),
                        attempt: try row.decode(Int.self, at: 2),
                        envelope: MailEnvelope(
                            sender: try row.decode(String.self, at: 3),
                            recipients: recipients,
                            messageID: try MessageID(row.decode(String.self, at: 5)),
                            bytes: try row.decode(PostgresBytes.self, at: 6).bytes
                        )
                    )
                }
        }
    }

    /// Sends one claimed message and records the outcome. Never throws: when
    /// the outcome cannot be recorded (the database is away) the row stays
    /// `sending` and is sent again once its lease expires.
    private func deliver(_ claim: Claim) async -> Report {
        var metadata: Logger.Metadata = [
            "outbox_id": "\(claim.outboxID)", "message_id": "\(claim.envelope.messageID)", "attempt": "\(claim.attempt)",
        ]
        let outcome: Result<MailDeliveryReceipt, MailDeliveryError>
        do {
            outcome = .success(try await transport.send(claim.envelope))
        } catch {
            outcome = .failure(error)
        }
        var report = Report()
        do {
            switch outcome {
            case .success(let receipt):
                try await recordSent(claim, receipt)
                report.sent = 1
                logger.info("Mail sent", metadata: metadata)
            case .failure(let error):
                let retry = error.kind == .temporary && configuration.retry.allowsRetry(afterAttempts: claim.attempt)
                let delay = configuration.retry.delay(afterAttempt: claim.attempt, random: Double.random(in: 0..<1))
                try await recordFailure(claim, error, retryAfter: retry ? delay : nil)
                metadata["error"] = "\(error)"
                if retry {
                    report.retried = 1
                    metadata["retry_in_ms"] = "\(Int(RetryPolicy.seconds(delay) * 1000))"
                    logger.warning("Mail not sent; will retry", metadata: metadata)
                } else {
                    report.failed = 1
                    logger.error("Mail failed", metadata: metadata)
                }
            }
        } catch {
            metadata["error"] = "\(error)"
            metadata["sent"] = "\((try? outcome.get()) != nil)"
            logger.error("Could not record the delivery outcome; the message is tried again when its lease expires", metadata: metadata)
        }
        return report
    }

    private func recordSent(_ claim: Claim, _ receipt: MailDeliveryReceipt) async throws {
        try await pool.withTransaction { connection in
            try connection.query("""
                UPDATE outbox_attempts SET finished_at = now(), outcome = 'sent', reply_code = \(receipt.replyCode), reply = \(receipt.reply)
                WHERE id = \(claim.attemptID)
                """)
            // Delivered is delivered, even if the lease ran out meanwhile.
            try connection.query("""
                UPDATE outbox SET status = 'sent', sent_at = coalesce(sent_at, now()), lease_expires_at = NULL,
                       last_reply_code = \(receipt.replyCode), last_reply = \(receipt.reply), last_error = NULL
                WHERE id = \(claim.outboxID)
                """)
        }
    }

    /// Re-queues after `retryAfter`, or marks failed when it is nil. Leaves
    /// the row alone if another worker took it over (or delivered it) meanwhile.
    private func recordFailure(_ claim: Claim, _ error: MailDeliveryError, retryAfter: Duration?) async throws {
        let outcome = error.kind == .permanent ? "permanent_failure" : "temporary_failure"
        let status = retryAfter == nil ? "failed" : "queued"
        let delayMilliseconds = retryAfter.map { Int(RetryPolicy.seconds($0) * 1000) } ?? 0
        try await pool.withTransaction { connection in
            try connection.query("""
                UPDATE outbox_attempts SET finished_at = now(), outcome = \(outcome), reply_code = \(error.replyCode),
                       reply = \(error.reply), error = \(error.message)
                WHERE id = \(claim.attemptID)
                """)
            try connection.query("""
                UPDATE outbox SET status = \(status), lease_expires_at = NULL,
                       next_attempt_at = now() + \(delayMilliseconds) * interval '1 millisecond',
                       last_error = \(error.description), last_reply_code = \(error.replyCode), last_reply = \(error.reply)
                WHERE id = \(claim.outboxID) AND status = 'sending' AND attempts = \(claim.attempt)
                """)
        }
    }
}
