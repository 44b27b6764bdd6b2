import BlankettCore
import BlankettMail
import BlankettPostgres
import Foundation
import Logging
import ServiceLifecycle

/// Reminds the editors and signatories of every case not yet sent when its
/// deadline is 14, 7 and 1 days away: each threshold once per case, however
/// often `run(today:)` is called (the row in `case_reminders` and the queued
/// message are written in one transaction). Days are Swedish calendar days.
public struct DeadlineReminders: Sendable {
    public static let thresholds = [14, 7, 1]
    public let pool: PostgresConnectionPool
    public let sender: MailAddress
    /// Today's date and the messages' date come from it; default the system clock.
    public let clock: any WallClock

    public init(pool: PostgresConnectionPool, sender: MailAddress, clock: any WallClock = SystemClock()) {
        self.pool = pool
        self.sender = sender
        self.clock = clock
    }

    /// Queues the reminders due on `today`; returns how many messages were queued.
    @discardableResult
    public func run(today: LocalDate) async throws -> Int {
        let sender = self.sender
        let now = SwedishTime(clock.now())
        return try await pool.withTransaction { connection in
            var queued = 0
            let due = try connection.query("""
                SELECT c.id::text, c.organisation_id::text, o.name, r.title, r.deadline, (r.deadline - \(today)::date) AS days_left
                FROM cases c JOIN grant_rounds r ON r.id = c.round_id JOIN organisations o ON o.id = c.organisation_id
                WHERE c.state NOT IN ('sent', 'received') AND r.deadline > \(today)::date AND r.deadline - \(today)::date <= \(Self.thresholds.max()!)
                ORDER BY r.deadline
                """).map { try $0.decode((CaseID, OrganisationID, String, String, LocalDate, Int).self) }
            for (caseID, organisationID, organisation, title, deadline, daysLeft) in due {
                // The smallest threshold reached: a job that missed the 7-day run still reminds once at 7, not twice.
                guard let threshold = Self.thresholds.filter({ daysLeft <= $0 }).min() else { continue }
                let inserted = try connection.query("""
                    INSERT INTO case_reminders (case_id, days_before) VALUES (\(caseID)::uuid, \(threshold)) ON CONFLICT DO NOTHING
                    """).affectedRows
                guard inserted == 1 else { continue }
                let recipients = try MailAddress.members(of: organisationID, roles: [.editor, .signatory], on: connection)
                guard !recipients.isEmpty else { continue }
                let body = """
                    Sista dag för \(title) (\(organisation)) är \(deadline), om \(daysLeft) \(daysLeft == 1 ? "dag" : "dagar").
                    Ärendet är ännu inte skickat till myndigheten. Sena eller felaktiga redovisningar kan leda till att statsbidrag måste betalas tillbaka.
                    """
                var generator = SystemRandomNumberGenerator()
                let message = try MailMessage(from: sender, to: recipients, subject: "Påminnelse: \(title) – sista dag \(deadline)",
                                              body: body, date: now.instant, utcOffsetMinutes: now.utcOffsetMinutes, using: &generator)
                try Outbox.enqueue(message, kind: .reminder, caseID: caseID, organisationID: organisationID, on: connection)
                queued += 1
            }
            return queued
        }
    }
}

/// Runs the reminders inside `serve`: at start and then every hour (each
/// threshold is sent once, so running often is harmless).
public struct DeadlineReminderService: Service {
    public let reminders: DeadlineReminders
    public let logger: Logger

    public init(reminders: DeadlineReminders, logger: Logger) {
        self.reminders = reminders
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    do {
                        let queued = try await reminders.run(today: reminders.clock.swedishToday())
                        if queued > 0 { logger.info("Deadline reminders queued", metadata: ["count": "\(queued)"]) }
                    } catch is CancellationError {
                        return
                    } catch {
                        logger.warning("Deadline reminders failed; next try in an hour", metadata: ["error": "\(error)"])
                    }
                    try await Task.sleep(for: .seconds(3600))
                }
            }
        } catch is CancellationError {
            return
        }
    }
}
