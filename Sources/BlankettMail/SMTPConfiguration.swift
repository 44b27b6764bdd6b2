/// Where and how to send mail over SMTP, read from `SMTP_URL`:
///
///     smtp://mail.kommun.se:587                 plain SMTP, STARTTLS if offered
///     smtp://user:p%40ss@mail.kommun.se:587     credentials (percent-decoded); STARTTLS required
///     smtps://user:pw@mail.kommun.se            TLS from the first byte (port 465)
///     smtp://localhost:1025?starttls=off        a local catcher (Mailpit) without TLS
///     smtp://mail.kommun.se/blankett.kommun.se  the path, when given, is the EHLO name
///
/// `description` never contains the password.
public struct SMTPConfiguration: Sendable, Hashable, CustomStringConvertible {
    public enum Security: String, Sendable, Hashable {
        /// `smtps://`: TLS from the first byte.
        case implicitTLS = "tls"
        /// `smtp://` that refuses to send unless the server upgrades with STARTTLS.
        case startTLSRequired = "required"
        /// `smtp://` that upgrades with STARTTLS when the server offers it.
        case startTLSOptional = "optional"
        /// `smtp://` in plain text, even when the server offers STARTTLS.
        case plain = "off"
    }

    public var host: String
    /// Default 25 for `smtp://`, 465 for `smtps://`.
    public var port: Int
    public var username: String?
    public var password: String?
    /// Default for `smtp://`: `startTLSRequired` when credentials are given,
    /// else `startTLSOptional`.
    public var security: Security
    /// The name sent in EHLO; nil lets libcurl choose. Default nil.
    public var heloName: String?
    /// Most milliseconds to wait for the TCP (and TLS) connection. Default 10 000.
    public var connectTimeoutMilliseconds: Int = 10_000
    /// Most milliseconds one message may take from connecting to the final
    /// reply. Default 120 000 (a 20 MB message over a slow link).
    public var timeoutMilliseconds: Int = 120_000

    public init(host: String, port: Int, username: String? = nil, password: String? = nil, security: Security, heloName: String? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.security = security
        self.heloName = heloName
    }

    /// `SMTP_URL` from the environment; nil when it is missing or empty (the
    /// caller then writes mail to a folder, see `MailDelivery`).
    public init?(environment: [String: String]) throws(MailError) {
        guard let url = environment["SMTP_URL"], !url.isEmpty else { return nil }
        try self.init(url: url)
    }

    /// Parses an `smtp://` or `smtps://` URL; throws `invalidConfiguration`
    /// naming what is wrong (without repeating the password).
    public init(url: String) throws(MailError) {
        func fail(_ reason: String) -> MailError {
            MailError(.invalidConfiguration, "SMTP_URL is not usable: \(reason). Expected smtp://[user:password@]host[:port][?starttls=required|optional|off] or smtps://[user:password@]host[:port].")
        }
        guard let schemeEnd = url.range(of: "://") else { throw fail("it has no scheme") }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "smtp" || scheme == "smtps" else {
            throw fail("the scheme is \"\(scheme.prefix(20))\", not smtp or smtps")
        }
        var rest = url[schemeEnd.upperBound...]
        guard !rest.contains("#") else { throw fail("it has a fragment (#…)") }
        guard !rest.unicodeScalars.contains(where: { $0.value <= 32 || $0.value >= 127 }) else {
            throw fail("it contains spaces, control or non-ASCII characters (percent-encode them)")
        }
        var query: Substring = ""
        if let questionMark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: questionMark)...]
            rest = rest[..<questionMark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let user: Substring
            if let colon = userInfo.firstIndex(of: ":") {
                user = userInfo[..<colon]
                guard let decoded = Self.percentDecoded(userInfo[userInfo.index(after: colon)...]) else {
                    throw fail("the password has an invalid percent escape")
                }
                password = decoded
            } else {
                user = userInfo
            }
            guard let decodedUser = Self.percentDecoded(user), !decodedUser.isEmpty else {
                throw fail("the user name is empty or has an invalid percent escape")
            }
            username = decodedUser
        }
        // Host: a name, an IPv4 address, or an IPv6 address in brackets.
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw fail("an IPv6 address lacks its closing ]") }
            host = rest[...close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("unexpected text after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = rest.firstIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        let hostCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_[]:".utf8)
        guard !host.isEmpty, host.utf8.allSatisfy({ hostCharacters.contains($0) }) else {
            throw fail("the host is missing or has characters a host name cannot have")
        }
        var port = scheme == "smtps" ? 465 : 25
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number), portText.allSatisfy(\.isNumber) else {
                throw fail("the port \"\(portText.prefix(10))\" is not a number from 1 to 65535")
            }
            port = number
        }
        var heloName: String?
        if !path.isEmpty {
            guard let decoded = Self.percentDecoded(path), !decoded.contains("/"),
                  decoded.utf8.allSatisfy({ hostCharacters.contains($0) }) else {
                throw fail("the path must be empty or one host name (sent in EHLO)")
            }
            heloName = decoded
        }
        var startTLS: Security?
        for item in query.split(separator: "&") {
            let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, pair[0] == "starttls" else {
                throw fail("unknown parameter \"\(pair[0].prefix(20))\"; only starttls is understood")
            }
            guard startTLS == nil else { throw fail("starttls is given twice") }
            switch pair[1].lowercased() {
            case "required": startTLS = .startTLSRequired
            case "optional": startTLS = .startTLSOptional
            case "off": startTLS = .plain
            default: throw fail("starttls=\(pair[1].prefix(20)) is not required, optional or off")
            }
        }
        let security: Security
        if scheme == "smtps" {
            guard startTLS == nil else {
                throw fail("starttls does not apply to smtps:// (TLS from the first byte); use smtp:// for STARTTLS")
            }
            security = .implicitTLS
        } else {
            security = startTLS ?? (username != nil ? .startTLSRequired : .startTLSOptional)
        }
        self.init(host: String(host), port: port, username: username, password: password, security: security, heloName: heloName)
    }

    /// The URL handed to libcurl: scheme, host, port and EHLO name, never credentials.
    var curlURL: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        return "\(scheme)://\(host):\(port)/\(heloName ?? "")"
    }

    /// `smtp://user:***@host:port?starttls=required`: for logs.
    public var description: String {
        var text = security == .implicitTLS ? "smtps://" : "smtp://"
        if let username {
            text += username + (password == nil ? "" : ":***") + "@"
        }
        text += "\(host):\(port)"
        if let heloName { text += "/" + heloName }
        if security != .implicitTLS { text += "?starttls=\(security.rawValue)" }
        return text
    }

    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        func hex(_ byte: UInt8?) -> UInt8? {
            guard let byte else { return nil }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = hex(iterator.next()), let low = hex(iterator.next()) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        guard !bytes.contains(0) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
