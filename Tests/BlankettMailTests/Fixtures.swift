import BlankettCore
import BlankettMail
import BlankettPostgres
import BlankettTestSupport
import Foundation
import Logging

/// A deterministic random source (SplitMix64) for Message-IDs in tests.
enum Fixture {
    /// 2021-01-07 06:13:20 UTC, a Thursday.
    static let date = Date(timeIntervalSince1970: 1_610_000_000)

    static let subject = "Redovisning av statsbidrag för personligt ombud 2020 – Botkyrka kommun (SN 2021:12)"

    /// Swedish text with what trips encoders: å ä ö, a line that is only a
    /// dot, a line starting with a dot, trailing spaces, an `=`, a long line.
    static let body = """
        Hej!

        Här kommer Botkyrka kommuns redovisning av statsbidraget för personligt ombud för år 2020, undertecknad av socialnämndens ordförande och handläggaren på socialförvaltningen.
        .
        .punkt först på raden
        Summa = 1 127 386 kr\u{20}\u{20}
        Tabb\tmitt i

        Med vänliga hälsningar
        Socialförvaltningen, Botkyrka kommun
        """

    /// "%PDF-1.4" and 64 KB of every byte value, CR, LF and dots included.
    static func pdf(size: Int = 64 * 1024) -> [UInt8] {
        var generator = SeededGenerator(seed: 2020)
        var bytes = Array("%PDF-1.4\n%âãÏÓ\n".utf8)
        bytes += Array("\r\n.\r\n".utf8)
        while bytes.count < size - 6 {
            bytes.append(UInt8(truncatingIfNeeded: generator.next()))
        }
        bytes += Array("%%EOF\n".utf8)
        return bytes
    }

    static func message(
        number: Int = 0,
        to: [String] = ["stockholm@lansstyrelsen.se"],
        cc: [String] = [],
        subject: String = Fixture.subject,
        attachments: [MailAttachment] = [],
        seed: UInt64? = nil
    ) throws -> MailMessage {
        var generator = SeededGenerator(seed: seed ?? UInt64(number) &+ 1)
        return try MailMessage(
            from: MailAddress("noreply@botkyrka.se", name: "Blankett – Botkyrka kommun"),
            to: to.map { try MailAddress($0, name: "Länsstyrelsen i Stockholms län") },
            cc: cc.map { try MailAddress($0) },
            replyTo: [MailAddress("anna.rydberg@botkyrka.se", name: "Anna Rydberg")],
            subject: subject,
            body: body,
            attachments: attachments,
            date: date,
            utcOffsetMinutes: 60,
            using: &generator
        )
    }

    static func pdfAttachment(size: Int = 64 * 1024) throws -> MailAttachment {
        try MailAttachment(filename: "Redovisning PO 2020 – Botkyrka (SN 2021:12).pdf", contentType: "application/pdf", bytes: pdf(size: size))
    }
}

/// A migrated database with one case to attach outbox messages to.
struct OutboxWorld {
    let pool: PostgresConnectionPool
    let caseID: CaseID
    let organisationID: OrganisationID

    static func make(poolSize: Int = 6) async throws -> OutboxWorld {
        let pool = try await TestCluster.migratedPool(size: poolSize)
        let (caseID, organisationID) = try await pool.withTransaction { connection in
            let organisation = try connection.query("""
                INSERT INTO organisations (name, organisationsnummer) VALUES ('Botkyrka kommun', '212000-2882') RETURNING id::text
                """).single().decode(OrganisationID.self, at: 0)
            let authority = try connection.query("""
                INSERT INTO authorities (key, name, recipient_email, subject_template)
                VALUES ('lansstyrelsen-stockholm', 'Länsstyrelsen Stockholm', 'stockholm@lansstyrelsen.se', '{form} – {organisation}')
                RETURNING id::text
                """).single().decode(String.self, at: 0)
            let round = try connection.query("""
                INSERT INTO grant_rounds (key, title, form_id, authority_id, period_start, period_end, deadline)
                VALUES ('po-2020', 'PO 2020', 'po-redovisning-2020', \(authority)::uuid, '2020-01-01', '2020-12-31', '2021-01-15')
                RETURNING id::text
                """).single().decode(String.self, at: 0)
            let user = try connection.query("""
                INSERT INTO users (email, name, password_hash) VALUES ('anna.rydberg@botkyrka.se', 'Anna Rydberg', 'x') RETURNING id::text
                """).single().decode(String.self, at: 0)
            let caseID = try connection.query("""
                INSERT INTO cases (organisation_id, round_id, form_id, form_sha256, required_signatures, created_by)
                VALUES (\(organisation)::uuid, \(round)::uuid, 'po-redovisning-2020', \(String(repeating: "a", count: 64)), 1, \(user)::uuid)
                RETURNING id::text
                """).single().decode(CaseID.self, at: 0)
            return (caseID, organisation)
        }
        return OutboxWorld(pool: pool, caseID: caseID, organisationID: organisationID)
    }

    var outbox: Outbox { Outbox(pool: pool) }

    @discardableResult
    func enqueue(_ message: MailMessage, kind: OutboxKind = .formWithDecision) async throws -> Int64 {
        let caseID = caseID
        let organisationID = organisationID
        return try await pool.withTransaction { connection in
            try Outbox.enqueue(message, kind: kind, caseID: caseID, organisationID: organisationID, on: connection)
        }
    }

    func status(_ id: Int64) async throws -> OutboxEntry {
        guard let entry = try await outbox.message(id: id) else { throw TestSetupError("no outbox row \(id)") }
        return entry
    }

    /// A worker with quick retries, for tests.
    func worker(_ transport: any MailTransport, maximumAttempts: Int = 5, concurrency: Int = 2) -> OutboxWorker {
        OutboxWorker(pool: pool, transport: transport, configuration: .init(
            pollInterval: .milliseconds(50),
            concurrency: concurrency,
            retry: RetryPolicy(maximumAttempts: maximumAttempts, initialDelay: .milliseconds(100), maximumDelay: .milliseconds(400)),
            sendingLease: .seconds(60)
        ), logger: Self.quietLogger)
    }

    /// Warnings and errors only: a line per sent message drowns the test output.
    static var quietLogger: Logger {
        var logger = Logger(label: "blankett.mail.outbox")
        logger.logLevel = .warning
        return logger
    }
}
