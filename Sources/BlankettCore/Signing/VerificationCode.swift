/// The code printed under each signature and checked at `/verify/{code}`:
/// the first 80 bits (20 hex digits) of the signed snapshot's SHA-256, in
/// groups of four, so that guessing a valid code is hopeless. Forms signed
/// before the codes grew carry 12 digits (48 bits); those still verify,
/// and the page's rate limit keeps guessing them slow.
public enum VerificationCode {
    public static let digits = 20
    static let earlierDigits = 12

    /// `3F2A-9C1B-…` from the snapshot's SHA-256 in hex.
    public static func make(snapshotSHA256Hex: String) -> String {
        let digits = Array(snapshotSHA256Hex.prefix(Self.digits).uppercased())
        return stride(from: 0, to: digits.count, by: 4).map { String(digits[$0..<min($0 + 4, digits.count)]) }.joined(separator: "-")
    }

    /// The lower-case hex digits of a typed code (dashes and spaces ignored),
    /// nil when it is no code of either length.
    public static func digits(of typed: String) -> String? {
        guard typed.count <= 64 else { return nil }
        let kept = typed.filter { $0 != "-" && $0 != " " }
        guard kept.allSatisfy({ $0.isASCII && $0.isHexDigit }), kept.count == digits || kept.count == earlierDigits else { return nil }
        return kept.lowercased()
    }
}
