/// One mailbox: an address and an optional display name
/// (`Socialförvaltningen Botkyrka <socialforvaltningen@botkyrka.se>`).
///
/// Only ASCII addresses are accepted (no SMTPUTF8); the display name may be
/// any text without line breaks and is RFC 2047 encoded when it is not ASCII.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    public let email: String
    public let name: String?

    public init(_ email: String, name: String? = nil) throws(MailError) {
        guard Self.isValidEmail(email) else {
            throw MailError(.invalidAddress, "E-postadressen \"\(Self.printable(email))\" är inte giltig.")
        }
        if let name {
            guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw MailError(.invalidHeader, "Namnet till \(email) innehåller radbrytningar eller styrtecken.")
            }
            guard name.utf8.count <= 200 else {
                throw MailError(.invalidHeader, "Namnet till \(email) är längre än 200 byte.")
            }
        }
        self.email = email
        let trimmed = name?.trimmingSpaces
        self.name = (trimmed?.isEmpty ?? true) ? nil : trimmed
    }

    /// The address as text, for logs and tests: `Name <a@b.se>` (not header-encoded).
    public var description: String {
        guard let name else { return email }
        return "\(name) <\(email)>"
    }

    /// The domain after the `@`.
    public var domain: Substring {
        email[email.index(after: email.lastIndex(of: "@")!)...]
    }

    /// A conservative check: `local@domain`, printable ASCII without spaces or
    /// the characters that need quoting in headers, at most 254 bytes.
    static func isValidEmail(_ email: String) -> Bool {
        let bytes = Array(email.utf8)
        guard (3...254).contains(bytes.count) else { return false }
        let forbidden = Set("<>()[]\\,;:\" @".utf8)
        var atIndex: Int?
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "@") {
                guard atIndex == nil else { return false }
                atIndex = index
                continue
            }
            guard byte > 32, byte < 127, !forbidden.contains(byte) else { return false }
        }
        guard let atIndex, atIndex > 0, atIndex < bytes.count - 1, atIndex <= 64 else { return false }
        let domain = bytes[(atIndex + 1)...]
        guard domain.first != UInt8(ascii: "."), domain.last != UInt8(ascii: "."),
              !domain.contains(where: { $0 == UInt8(ascii: "_") }) else { return false }
        return true
    }

    /// Text safe to show in an error message: control characters replaced.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(100).map {
            $0.properties.generalCategory == .control ? "?" : $0
        }))
    }
}

extension String {
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[start...end])
    }
}
