import BlankettCore
import BlankettMail
import BlankettPDF
import BlankettPostgres
import Foundation

/// Composes the expediering to the authority: the signed form as PDF (and
/// the nämnd's decision when there is one), addressed by the authority's
/// subject convention, with the form's contact person as Cc, and queues it in
/// the outbox in the transition's transaction. Also tells the editors when a
/// case is returned to them (`MailDispatcher+ReturnedNotice.swift`).
public struct MailDispatcher: CaseDispatcher {
    public let catalog: FormCatalog
    public let sender: MailAddress
    /// The organisation's seal: signs the form PDF once per signatory (PAdES).
    public let seal: PDFSeal
    /// Dates the messages; default the system clock.
    public let clock: any WallClock

    public init(catalog: FormCatalog, sender: MailAddress, seal: PDFSeal, clock: any WallClock = SystemClock()) {
        self.catalog = catalog
        self.sender = sender
        self.seal = seal
        self.clock = clock
    }

    /// The code printed with each signature and checked at `/verify/{code}`.
    public static func verificationCode(_ snapshotSHA256: String) -> String {
        VerificationCode.make(snapshotSHA256Hex: snapshotSHA256)
    }

    public func enqueue(_ dispatch: WorkflowAction.Dispatch, for record: CaseRecord, workflow: CaseWorkflow, on connection: PostgresConnection) throws {
        guard let definition = catalog[record.formID]?.definition else {
            throw CaseError(.formUnavailable, "Blanketten \(record.formID) finns inte bland de publicerade blanketterna.")
        }
        let namnd = try record.namndID.flatMap { id in
            try connection.query("SELECT name FROM namnder WHERE id = \(id)::uuid").first?.decode(String.self, at: 0)
        } ?? "Nämnden"
        let year = String(record.periodEnd.year)
        let organisationSlug = record.organisationName.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        var documents: [(kind: String, attachment: MailAttachment)] = []
        var lines: [String] = []
        if dispatch != .decisionFollowUp {
            let signatures = try PostgresCaseStore.signatures(of: record.id, on: connection).map {
                SignatureLine(sequence: $0.sequence, name: $0.name, title: $0.title, signedAt: $0.signedAt,
                              snapshotSHA256Hex: $0.snapshotSHA256, verificationCode: Self.verificationCode($0.snapshotSHA256),
                              authentication: $0.assertion?.summary)
            }
            let unsigned = try PDFRenderer.renderForm(FormPDFInput(
                definition: definition, answers: record.answers, context: record.validationContext,
                organisationName: record.organisationName, organisationsnummer: record.organisationsnummer,
                namndDiarienummer: workflow.namndDiarienummer?.formatted, authorityDiarienummer: nil, signatures: signatures,
                texts: record.formTexts, sendTo: record.sendTo
            ))
            let pdf = try signatures.sorted { $0.sequence < $1.sequence }.reduce(unsigned) { pdf, signature in
                try seal.sign(pdf, for: Self.signatory(signature))
            }
            documents.append(("form", try MailAttachment(filename: "\(definition.id)-\(organisationSlug).pdf", contentType: "application/pdf", bytes: pdf)))
            lines.append("Härmed översänds \(record.organisationName)s \(definition.title.lowercased()) för \(year), undertecknad av "
                         + signatures.map { "\($0.name), \($0.title)" }.joined(separator: " och ") + ".")
        }
        if let reference = record.eserviceReference, dispatch != .decisionFollowUp, let service = record.authorityEService {
            lines.append("Uppgifterna är inskickade i \(service) med referens \(reference).")
        }
        if let decision = workflow.decision, dispatch != .formBeforeDecision {
            let pdf = try PDFRenderer.renderDecision(DecisionPDFInput(
                organisationName: record.organisationName, namndName: namnd, meetingDate: decision.meetingDate,
                paragraph: decision.paragraph, decisionText: decision.text,
                namndDiarienummer: workflow.namndDiarienummer?.formatted ?? "", formTitle: definition.title
            ))
            documents.append(("decision", try MailAttachment(filename: "beslut-\(definition.id)-\(organisationSlug).pdf", contentType: "application/pdf", bytes: pdf)))
            lines.append("\(namnd)s beslut \(decision.meetingDate) \(decision.paragraph) bifogas.")
        } else if dispatch == .formBeforeDecision {
            lines.append("När \(namnd.lowercased()) fattat sitt beslut kommer detta att översändas via mail.")
        }
        let subject = Self.subject(of: record, formTitle: definition.title, year: year, namndDiarienummer: workflow.namndDiarienummer)
        let body = (["Till \(record.authorityName)", ""] + lines + ["", "Diarienummer: \(workflow.namndDiarienummer?.formatted ?? "–")",
                     "Med vänlig hälsning", record.organisationName]).joined(separator: "\n")
        var generator = SystemRandomNumberGenerator()
        let now = SwedishTime(clock.now())
        let message = try MailMessage(
            from: sender, to: [try MailAddress(record.authorityEmail, name: record.authorityName)],
            cc: Self.contactCopy(definition: definition, answers: record.answers).map { [$0] } ?? [],
            subject: dispatch == .decisionFollowUp ? "Beslut: " + subject : subject, body: body,
            attachments: documents.map(\.attachment), date: now.instant, utcOffsetMinutes: now.utcOffsetMinutes, using: &generator
        )
        let outboxID = try Outbox.enqueue(message, kind: OutboxKind(dispatch), caseID: record.id, organisationID: record.organisationID, on: connection)
        for (kind, attachment) in documents {
            try connection.query("""
                INSERT INTO case_documents (case_id, outbox_id, kind, filename, content, sha256)
                VALUES (\(record.id)::uuid, \(outboxID), \(kind), \(attachment.filename), \(PostgresBytes(attachment.bytes)),
                        \(Digest.sha256Hex(attachment.bytes)))
                """)
        }
    }

    /// Who a PAdES signature names: the person, when they signed (the
    /// recorded time, which the sealed snapshot also holds) and the code that
    /// finds the signature at `/verify`.
    static func signatory(_ line: SignatureLine) throws -> PDFSignatory {
        guard let signedAt = try? Date(line.signedAt, strategy: .iso8601) else {
            throw PDFError(.signing, detail: "the signing time \(line.signedAt) is not ISO 8601")
        }
        return PDFSignatory(name: "\(line.name), \(line.title)", signedAt: signedAt, contactInfo: "Kontrollkod \(line.verificationCode)")
    }

    /// The authority's subject line: `{grant}` is the grant's name as the
    /// authority writes it (Socialstyrelsen asks for it), never an internal key.
    public static func subject(of record: CaseRecord, formTitle: String, year: String, namndDiarienummer: Diarienummer?) -> String {
        record.subjectTemplate
            .replacingOccurrences(of: "{grant}", with: record.formTexts.values["grant.name"] ?? record.roundTitle)
            .replacingOccurrences(of: "{form}", with: formTitle)
            .replacingOccurrences(of: "{organisation}", with: record.organisationName)
            .replacingOccurrences(of: "{year}", with: year)
            .replacingOccurrences(of: "{diarienummer}", with: namndDiarienummer?.formatted ?? "")
    }

    /// The contact person the form names (`contact_email`), copied so that
    /// they see what was sent and the authority can answer them directly.
    /// Nil when unanswered, or when the address is one the mail module cannot
    /// write to (say a domain with å): a missing copy must not stop the sending.
    public static func contactCopy(definition: FormDefinition, answers: JSONValue) -> MailAddress? {
        definition.contactEmail(in: answers).flatMap { try? MailAddress($0.address) }
    }
}
