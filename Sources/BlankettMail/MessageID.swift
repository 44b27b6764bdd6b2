import BlankettCore

/// A Message-ID without its angle brackets: `blankett.3f9c…@kommun.se`.
///
/// It names the message everywhere: in the header, the outbox row, the folder
/// transport's file name, and on a duplicate sent after a crash (which carries
/// the same ID, so the recipient's system can recognise it).
public struct MessageID: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// Accepts `left@right` (with or without `<>`), printable ASCII without
    /// spaces or the characters that need quoting, at most 250 bytes.
    public init(_ text: String) throws(MailError) {
        var text = Substring(text)
        if text.hasPrefix("<"), text.hasSuffix(">"), text.count >= 2 {
            text = text.dropFirst().dropLast()
        }
        let forbidden = Set("<>()[]\\,;:\" ".utf8)
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }), text.utf8.count <= 250,
              text.utf8.allSatisfy({ $0 > 32 && $0 < 127 && !forbidden.contains($0) }) else {
            throw MailError(.invalidHeader, "\"\(MailAddress.printable(String(text)))\" är inte ett giltigt Message-ID (vänster@höger).")
        }
        value = String(text)
    }

    /// A new ID from `generator`: 128 random bits in hex at `domain`
    /// (usually the sender's). The same generator state gives the same ID.
    public static func generate(domain: some StringProtocol, using generator: inout some RandomNumberGenerator) -> MessageID {
        var hex: [UInt8] = []
        hex.reserveCapacity(32)
        for _ in 0..<2 {
            let word = generator.next() as UInt64
            for shift in stride(from: 0, to: 64, by: 8) {
                // Each word's nibbles from the lowest up, as Message-IDs have
                // always been written: a seed still gives the same ID.
                let byte = UInt8(truncatingIfNeeded: word >> shift)
                Hex.append(byte << 4 | byte >> 4, to: &hex)
            }
        }
        let domainText = domain.isEmpty ? "blankett.invalid" : String(domain)
        // The domain comes from a validated address, so this cannot fail.
        return try! MessageID("blankett." + String(decoding: hex, as: UTF8.self) + "@" + domainText)
    }

    /// `<value>`, as written in the header.
    public var bracketed: String { "<\(value)>" }

    public var description: String { bracketed }

    /// A file name derived from the ID: characters other than letters,
    /// digits, `.`, `-`, `_`, `@` and `+` become `_`; at most 200 bytes.
    public var fileName: String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_@+".utf8)
        var bytes = value.utf8.map { allowed.contains($0) ? $0 : UInt8(ascii: "_") }
        if bytes.first == UInt8(ascii: ".") { bytes[0] = UInt8(ascii: "_") }
        return String(decoding: bytes.prefix(200), as: UTF8.self)
    }
}
