import BlankettCore

/// Why a message cannot be built, rendered or configured for sending. Nothing
/// is queued or sent when one is thrown.
///
/// `message` is for the person (Swedish when a user can cause it, such as a
/// message that is too large); `code` is stable, for tests and APIs. Neither
/// ever contains an SMTP password.
public typealias MailError = CodedError<MailErrorCode>

public enum MailErrorCode: String, Sendable, Hashable {
    /// An e-mail address that cannot be used in a header or SMTP envelope.
    case invalidAddress = "invalid-address"
    /// A header value (subject, name, Message-ID, file name, content type) that cannot be written safely.
    case invalidHeader = "invalid-header"
    /// A message without any To recipient.
    case noRecipients = "no-recipients"
    /// The rendered message exceeds the size limit.
    case tooLarge = "too-large"
    /// `SMTP_URL` (or another mail setting) is not understood.
    case invalidConfiguration = "invalid-configuration"
}
