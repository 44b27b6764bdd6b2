import Foundation

/// One e-mail as a value: addresses, subject, a Swedish plain-text body and
/// attachments. Pure: the date and the Message-ID (or the random source that
/// makes one) are passed in; `rendered()` gives the same bytes for the same
/// value, every time.
public struct MailMessage: Sendable, Hashable {
    /// How the text body is written on the wire.
    public enum BodyEncoding: String, Sendable, Hashable {
        /// Readable in the raw message; Swedish letters as `=C3=A5`. The default.
        case quotedPrintable = "quoted-printable"
        case base64
    }

    /// 20 MB (20 × 1024 × 1024 bytes): the default most rendered bytes a
    /// message may have (many receiving servers refuse more than 25 MB).
    public static let defaultSizeLimit = 20 * 1024 * 1024

    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var replyTo: [MailAddress]
    public var subject: String
    /// Plain text; any line breaks (LF, CRLF, CR) are sent as CRLF.
    public var body: String
    public var bodyEncoding: BodyEncoding
    public var attachments: [MailAttachment]
    public var date: Date
    /// The offset from UTC written in the Date header, in minutes (60 for
    /// Swedish winter time, 120 for summer time). Default 0.
    public var utcOffsetMinutes: Int
    public var messageID: MessageID

    public init(
        from: MailAddress,
        to: [MailAddress],
        cc: [MailAddress] = [],
        replyTo: [MailAddress] = [],
        subject: String,
        body: String,
        bodyEncoding: BodyEncoding = .quotedPrintable,
        attachments: [MailAttachment] = [],
        date: Date,
        utcOffsetMinutes: Int = 0,
        messageID: MessageID
    ) throws(MailError) {
        guard !to.isEmpty else {
            throw MailError(.noRecipients, "Meddelandet har ingen mottagare.")
        }
        guard !subject.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw MailError(.invalidHeader, "Ämnesraden får inte innehålla radbrytningar eller styrtecken.")
        }
        guard subject.utf8.count <= 500 else {
            throw MailError(.invalidHeader, "Ämnesraden är längre än 500 byte.")
        }
        guard (-24 * 60 + 1...24 * 60 - 1).contains(utcOffsetMinutes) else {
            throw MailError(.invalidHeader, "Tidszonens förskjutning \(utcOffsetMinutes) minuter är orimlig.")
        }
        self.from = from
        self.to = to
        self.cc = cc
        self.replyTo = replyTo
        self.subject = subject
        self.body = body
        self.bodyEncoding = bodyEncoding
        self.attachments = attachments
        self.date = date
        self.utcOffsetMinutes = utcOffsetMinutes
        self.messageID = messageID
    }

    /// As above, with a Message-ID made from `generator` at the sender's domain.
    public init(
        from: MailAddress,
        to: [MailAddress],
        cc: [MailAddress] = [],
        replyTo: [MailAddress] = [],
        subject: String,
        body: String,
        bodyEncoding: BodyEncoding = .quotedPrintable,
        attachments: [MailAttachment] = [],
        date: Date,
        utcOffsetMinutes: Int = 0,
        using generator: inout some RandomNumberGenerator
    ) throws(MailError) {
        try self.init(
            from: from, to: to, cc: cc, replyTo: replyTo, subject: subject, body: body,
            bodyEncoding: bodyEncoding, attachments: attachments, date: date,
            utcOffsetMinutes: utcOffsetMinutes,
            messageID: MessageID.generate(domain: from.domain, using: &generator)
        )
    }

    /// Every envelope recipient: To, then Cc, without repeats.
    public var recipients: [String] {
        var seen = Set<String>()
        return (to + cc).map(\.email).filter { seen.insert($0.lowercased()).inserted }
    }

    /// A cheap upper-bound guess of the rendered size, to refuse a huge
    /// message before spending time rendering it.
    public var estimatedSize: Int {
        let attachmentBytes = attachments.reduce(0) { $0 + $1.bytes.count }
        return 4 * 1024 + body.utf8.count * 3 + attachmentBytes / 57 * 78 + attachments.count * 400
    }

    /// The complete message with the size limit applied: throws `tooLarge`
    /// (with the size and the limit, in Swedish) instead of returning more
    /// than `limit` bytes.
    public func rendered(limit: Int) throws(MailError) -> [UInt8] {
        let attachmentBytes = attachments.reduce(0) { $0 + $1.bytes.count }
        // Base64 alone makes the attachments 4/3 as large: refuse before rendering.
        if attachmentBytes / 3 * 4 > limit {
            throw Self.tooLarge(size: attachmentBytes / 3 * 4, limit: limit)
        }
        let bytes = rendered()
        guard bytes.count <= limit else { throw Self.tooLarge(size: bytes.count, limit: limit) }
        return bytes
    }

    static func tooLarge(size: Int, limit: Int) -> MailError {
        func megabytes(_ bytes: Int) -> String {
            let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024)
            return "\(tenths / 10),\(tenths % 10) MB"
        }
        return MailError(.tooLarge, "Meddelandet blir \(megabytes(size)) med bilagor, men det får vara högst \(megabytes(limit)). Ta bort bilagor eller gör dem mindre.")
    }
}
