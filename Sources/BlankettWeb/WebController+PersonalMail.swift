import BlankettCore
import BlankettMail

/// Mail to a person rather than about a case (a password reset link, an
/// invitation): one sender, greeting and signature, queued through the outbox
/// by the caller in the transaction that makes what the mail tells of.
extension WebController {
    /// The sender of such mail: the configured one, or a local placeholder.
    var personalMailSender: MailAddress? {
        services.mailSender ?? (try? MailAddress("blankett@localhost", name: "Blankett"))
    }

    /// "Hej {name}!", the paragraphs, and Blankett's signature, a blank line between each.
    static func personalMessage(to email: String, name: String, from sender: MailAddress, subject: String,
                                paragraphs: [String], now: SwedishTime) throws -> MailMessage {
        let body = (["Hej \(name)!"] + paragraphs + ["Med vänlig hälsning\nBlankett"]).joined(separator: "\n\n")
        var generator = SystemRandomNumberGenerator()
        return try MailMessage(from: sender, to: [try MailAddress(email, name: name)], subject: subject,
                               body: body, date: now.instant, utcOffsetMinutes: now.utcOffsetMinutes, using: &generator)
    }
}
