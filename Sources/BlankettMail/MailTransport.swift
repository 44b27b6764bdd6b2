/// Delivers one rendered message. Implementations run their blocking work on
/// a `NIOThreadPool`, never on Swift's cooperative pool.
public protocol MailTransport: Sendable {
    /// Sends `envelope.bytes` from `envelope.sender` to every recipient.
    /// Throws `MailDeliveryError`, telling a temporary failure (retry later)
    /// from a permanent one.
    func send(_ envelope: MailEnvelope) async throws(MailDeliveryError) -> MailDeliveryReceipt

    /// Releases connections and threads; the transport sends nothing afterwards.
    func shutdown() async
}

extension MailTransport {
    public func shutdown() async {}
}

/// What a transport sends: the SMTP envelope and the finished message bytes
/// (as rendered once and stored in the outbox, so a repeated send carries the
/// same Message-ID and the same bytes).
public struct MailEnvelope: Sendable, Hashable {
    /// `MAIL FROM`.
    public var sender: String
    /// `RCPT TO`, one per address.
    public var recipients: [String]
    public var messageID: MessageID
    public var bytes: [UInt8]

    public init(sender: String, recipients: [String], messageID: MessageID, bytes: [UInt8]) {
        self.sender = sender
        self.recipients = recipients
        self.messageID = messageID
        self.bytes = bytes
    }

    /// Renders `message` within `sizeLimit` (default 20 MB); throws `tooLarge` beyond it.
    public init(_ message: MailMessage, sizeLimit: Int = MailMessage.defaultSizeLimit) throws(MailError) {
        self.init(sender: message.from.email, recipients: message.recipients,
                  messageID: message.messageID, bytes: try message.rendered(limit: sizeLimit))
    }
}

/// A successful delivery: the server's final reply, or where the file went.
public struct MailDeliveryReceipt: Sendable, Hashable {
    /// The SMTP reply code (250), nil for the folder transport.
    public var replyCode: Int?
    /// The server's final reply text (`250 OK queued as …`), or the file written.
    public var reply: String

    public init(replyCode: Int?, reply: String) {
        self.replyCode = replyCode
        self.reply = reply
    }
}

/// Why a message was not delivered, and whether trying again may help.
///
/// `description` holds what failed and the server's reply; it never holds
/// the SMTP password or the message.
public struct MailDeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Try again later: no connection, a timeout, a 4xx reply.
        case temporary
        /// Do not retry: a 5xx reply (unknown recipient, refused message), a
        /// message over the size limit, a configuration libcurl refuses.
        case permanent
    }

    public let kind: Kind
    /// What went wrong, in English, for operators (`RCPT failed: 550`, `connection refused`).
    public let message: String
    /// The SMTP reply code of the last reply, when the server answered.
    public let replyCode: Int?
    /// The server's reply text (all lines of a multi-line reply), when it answered.
    public let reply: String?
    /// libcurl's `CURLcode`, for the SMTP transport.
    public let curlCode: Int?

    public init(kind: Kind, message: String, replyCode: Int? = nil, reply: String? = nil, curlCode: Int? = nil) {
        self.kind = kind
        self.message = message
        self.replyCode = replyCode
        self.reply = reply
        self.curlCode = curlCode
    }

    public var isPermanent: Bool { kind == .permanent }

    public var description: String {
        var text = "\(kind) delivery failure: \(message)"
        if let reply { text += " (server: \(reply))" } else if let replyCode { text += " (reply code \(replyCode))" }
        return text
    }
}
