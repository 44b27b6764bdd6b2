/// Bytes as hexadecimal text, two digits a byte, lowercase unless asked:
/// the one encoder behind digests, key ids, Message-IDs, `bytea` literals,
/// JSON's `\u00XX` and MIME's `=XX` and `%XX`. Decoding stays with each
/// format, since each has its own rules for what it accepts.
public enum Hex {
    /// `[0x0f, 0xa0]` → `"0fa0"` (`"0FA0"` with `uppercase`).
    public static func encode(_ bytes: some Sequence<UInt8>, uppercase: Bool = false) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes { append(byte, to: &output, uppercase: uppercase) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the two digits of `byte`, as ASCII, to `output`: for encoders
    /// that build their output as bytes.
    @inlinable
    public static func append(_ byte: UInt8, to output: inout [UInt8], uppercase: Bool = false) {
        output.append(digit(byte >> 4, uppercase: uppercase))
        output.append(digit(byte & 0x0F, uppercase: uppercase))
    }

    @inlinable
    static func digit(_ nibble: UInt8, uppercase: Bool) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : (uppercase ? UInt8(ascii: "A") : UInt8(ascii: "a")) + nibble - 10
    }

    /// Percent-encoding (RFC 3986 §2.1) of the UTF-8 of `text`: every byte
    /// outside A–Z, a–z, 0–9 and `- . _ ~` as `%XX`, uppercase — what form
    /// bodies (with `+` for space) and RFC 8187's `filename*` both take.
    public static func percentEncoded(_ text: String) -> String {
        var output: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                output.append(byte)
            default:
                output.append(UInt8(ascii: "%"))
                append(byte, to: &output, uppercase: true)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
