import CCurl

/// One libcurl easy handle set up for one SMTP server, reused message after
/// message so that its connection is reused too.
///
/// Blocking: call `send` only on a thread-pool thread. One user at a time —
/// `SMTPTransport` lends each handle to exactly one send.
final class CurlSMTPHandle: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let upload = UploadSource()
    private let replies = ReplyCollector()

    /// Sets every option that does not change between messages.
    init(configuration: SMTPConfiguration) throws(MailDeliveryError) {
        SMTPTransport.initializeCurlOnce()
        guard let handle = curl_easy_init() else {
            throw MailDeliveryError(kind: .temporary, message: "libcurl could not create an easy handle")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

        var failed: (String, CURLcode)?
        func set(_ name: String, _ result: CURLcode) {
            if result != CURLE_OK, failed == nil { failed = (name, result) }
        }
        set("URL", blankett_curl_setopt_string(handle, CURLOPT_URL, configuration.curlURL))
        set("PROTOCOLS_STR", blankett_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps"))
        if let username = configuration.username {
            set("USERNAME", blankett_curl_setopt_string(handle, CURLOPT_USERNAME, username))
        }
        if let password = configuration.password {
            set("PASSWORD", blankett_curl_setopt_string(handle, CURLOPT_PASSWORD, password))
        }
        let useSSL: curl_usessl
        switch configuration.security {
        case .implicitTLS, .startTLSRequired: useSSL = CURLUSESSL_ALL
        case .startTLSOptional: useSSL = CURLUSESSL_TRY
        case .plain: useSSL = CURLUSESSL_NONE
        }
        set("USE_SSL", blankett_curl_setopt_long(handle, CURLOPT_USE_SSL, Int(useSSL.rawValue)))
        // Signals are no way to time out in a multi-threaded process.
        set("NOSIGNAL", blankett_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        set("CONNECTTIMEOUT_MS", blankett_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeoutMilliseconds))
        set("TIMEOUT_MS", blankett_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, configuration.timeoutMilliseconds))
        set("ERRORBUFFER", blankett_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        set("UPLOAD", blankett_curl_setopt_long(handle, CURLOPT_UPLOAD, 1))
        set("READFUNCTION", blankett_curl_setopt_read_callback(handle, CURLOPT_READFUNCTION, uploadRead))
        set("READDATA", blankett_curl_setopt_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(upload).toOpaque()))
        // SMTP replies come to the header callback, one line at a time.
        set("HEADERFUNCTION", blankett_curl_setopt_write_callback(handle, CURLOPT_HEADERFUNCTION, replyLine))
        set("HEADERDATA", blankett_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, Unmanaged.passUnretained(replies).toOpaque()))
        if let (name, code) = failed {
            curl_easy_cleanup(handle)
            errorBuffer.deallocate()
            throw MailDeliveryError(kind: .temporary, message: "libcurl refused option \(name): \(Self.text(of: code))", curlCode: Int(code.rawValue))
        }
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// MAIL FROM, RCPT TO for each recipient, DATA with the message bytes
    /// (libcurl dot-stuffs them), on the handle's open connection when it
    /// still works.
    func send(_ envelope: MailEnvelope) -> Result<MailDeliveryReceipt, MailDeliveryError> {
        var recipients: UnsafeMutablePointer<curl_slist>?
        for recipient in envelope.recipients {
            guard let appended = curl_slist_append(recipients, "<\(recipient)>") else {
                curl_slist_free_all(recipients)
                return .failure(MailDeliveryError(kind: .temporary, message: "out of memory building the recipient list"))
            }
            recipients = appended
        }
        defer {
            _ = blankett_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, nil)
            curl_slist_free_all(recipients)
            upload.reset([])
        }
        _ = blankett_curl_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(envelope.sender)>")
        _ = blankett_curl_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipients)
        _ = blankett_curl_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(envelope.bytes.count))
        upload.reset(envelope.bytes)
        replies.reset()
        errorBuffer[0] = 0

        let code = curl_easy_perform(handle)
        var replyCode = 0
        _ = blankett_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &replyCode)
        // After a failure libcurl closes with QUIT: report the reply that failed, not "221 Bye".
        let reply = replies.last(withCode: replyCode)
        if code == CURLE_OK {
            return .success(MailDeliveryReceipt(replyCode: replyCode, reply: reply ?? "\(replyCode)"))
        }
        let detail = errorBuffer[0] == 0 ? Self.text(of: code) : String(cString: errorBuffer)
        return .failure(Self.classify(curlCode: code, replyCode: replyCode, reply: reply, message: detail))
    }

    /// Temporary unless the server gave a 5xx reply about the message itself:
    /// a 5xx to the login or to STARTTLS is a configuration problem that an
    /// operator can fix, so those messages wait and retry.
    static func classify(curlCode: CURLcode, replyCode: Int, reply: String?, message: String) -> MailDeliveryError {
        let configurationCodes: Set<UInt32> = [
            CURLE_LOGIN_DENIED.rawValue, CURLE_USE_SSL_FAILED.rawValue, CURLE_AUTH_ERROR.rawValue,
        ]
        let isPermanent = (500..<600).contains(replyCode) && !configurationCodes.contains(curlCode.rawValue)
        return MailDeliveryError(
            kind: isPermanent ? .permanent : .temporary,
            message: message,
            replyCode: replyCode == 0 ? nil : replyCode,
            reply: replyCode == 0 ? nil : reply,
            curlCode: Int(curlCode.rawValue)
        )
    }

    static func text(of code: CURLcode) -> String {
        curl_easy_strerror(code).map { String(cString: $0) } ?? "libcurl error \(code.rawValue)"
    }
}

/// The bytes being uploaded and how far libcurl has read them.
private final class UploadSource {
    var bytes: [UInt8] = []
    var offset = 0

    func reset(_ bytes: [UInt8]) {
        self.bytes = bytes
        offset = 0
    }
}

/// Collects the server's reply lines; keeps the last complete reply
/// (all lines of a multi-line one, joined by newlines).
private final class ReplyCollector {
    private var current: [String] = []
    private var replies: [String] = []

    func reset() {
        current = []
        replies = []
    }

    /// The last complete reply with this code, else the last reply.
    func last(withCode code: Int) -> String? {
        let prefix = String(code)
        return replies.last { $0.hasPrefix(prefix) } ?? replies.last
    }

    func add(_ line: String) {
        current.append(line)
        // "250-…" continues a reply, "250 …" (or a bare "250") ends it.
        let utf8 = Array(line.utf8)
        if utf8.count <= 3 || utf8[3] != UInt8(ascii: "-") {
            replies.append(current.joined(separator: "\n"))
            current = []
        }
    }
}

private func uploadRead(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userData: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let userData else { return 0 }
    let source = Unmanaged<UploadSource>.fromOpaque(userData).takeUnretainedValue()
    let length = min(size * count, source.bytes.count - source.offset)
    guard length > 0 else { return 0 }
    source.bytes.withUnsafeBytes { raw in
        UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress! + source.offset, byteCount: length)
    }
    source.offset += length
    return length
}

private func replyLine(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userData: UnsafeMutableRawPointer?) -> Int {
    let length = size * count
    guard let data, let userData else { return length }
    let collector = Unmanaged<ReplyCollector>.fromOpaque(userData).takeUnretainedValue()
    var line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    while line.last == "\n" || line.last == "\r" || line.last == "\r\n" { line.removeLast() }
    collector.add(line)
    return length
}
