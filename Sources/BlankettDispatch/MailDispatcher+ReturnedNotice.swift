import BlankettCore
import BlankettMail
import BlankettPostgres
import Foundation

extension MailDispatcher {
    /// The notice to the case's editors that a signatory or the secretary
    /// returned it to draft: which case, who, their comment and what became
    /// of the signatures. Replies go to the person who returned it, who can
    /// explain more than the comment does.
    public func notifyReturned(_ record: CaseRecord, by actor: CaseActor, comment: String, voidedSignatures: Int,
                               on connection: PostgresConnection) throws {
        // The one who returned it knows already, even when they are an editor too.
        let editors = try MailAddress.members(of: record.organisationID, roles: [.editor], excluding: actor.userID, on: connection)
        guard !editors.isEmpty else { return }
        let (email, title) = try connection.query("SELECT email, title FROM users WHERE id = \(actor.userID)::uuid").single().decode((String, String).self)
        let returner = title.allSatisfy(\.isWhitespace) ? actor.name : "\(actor.name) (\(title))"
        let formTitle = catalog[record.formID]?.definition.title ?? record.formID
        let signatures = switch voidedSignatures {
        case 0: "Blanketten var inte underskriven."
        case 1: "Underskriften har upphört att gälla. Blanketten behöver skrivas under igen när den är rättad."
        default: "De \(voidedSignatures) underskrifterna har upphört att gälla. Blanketten behöver skrivas under igen när den är rättad."
        }
        let body = (
            ["Hej!", "", "\(returner) har skickat tillbaka blanketten till utkast.", "",
             "Ärende: \(record.roundTitle)", "Blankett: \(formTitle)", "Organisation: \(record.organisationName)"]
            + (record.workflow.namndDiarienummer.map { ["Diarienummer: \($0.formatted)"] } ?? [])
            + ["", "Kommentar från \(actor.name):", comment.trimmingCharacters(in: .whitespacesAndNewlines), "",
               signatures,
               "Rätta blanketten i Blankett och skicka den till underskrift igen. Sista dag att skicka den till \(record.authorityName) är \(record.deadline)."]
        ).joined(separator: "\n")
        var generator = SystemRandomNumberGenerator()
        let now = SwedishTime(clock.now())
        let message = try MailMessage(
            from: sender, to: editors, replyTo: (try? MailAddress(email, name: actor.name)).map { [$0] } ?? [],
            subject: "Tillbakaskickad till utkast: \(record.roundTitle) – \(record.organisationName)",
            body: body, date: now.instant, utcOffsetMinutes: now.utcOffsetMinutes, using: &generator
        )
        try Outbox.enqueue(message, kind: .returnedNotice, caseID: record.id, organisationID: record.organisationID, on: connection)
    }
}
