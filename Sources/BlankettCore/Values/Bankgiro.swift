/// A bankgiro number: 7 or 8 digits, written `NNN-NNNN` or `NNNN-NNNN`, whose
/// last digit is a Luhn (mod 10) check digit over all of them (Botkyrka
/// kommun: `624-1061`).
///
/// Accepted input: with or without the dash (which must stand before the last
/// four digits), spaces anywhere, an en dash instead of the hyphen.
public struct Bankgiro: Sendable, Hashable, CustomStringConvertible {
    /// The 7 or 8 digits, `"6241061"`.
    public let digits: String

    private init(checkedDigits: [UInt8]) {
        self.digits = ValueText.string(checkedDigits)
    }

    /// Errors: `invalid-bankgiro` (not 7 or 8 digits), `checksum`.
    public static func parse(_ text: some StringProtocol) -> Result<Bankgiro, ValueError> {
        guard let (digits, dash) = ValueText.digitsWithDash(ValueText.trimmedScalars(text)),
              digits.count == 7 || digits.count == 8,
              dash == nil || dash == digits.count - 4 else {
            return .failure(invalid)
        }
        guard Luhn.isValid(digits) else { return .failure(checksum) }
        return .success(Bankgiro(checkedDigits: digits))
    }

    /// `"624-1061"`, `"5050-1055"`.
    public var formatted: String {
        String(digits.dropLast(4)) + "-" + String(digits.suffix(4))
    }

    /// The stored form, the same as `formatted`.
    public var canonical: String { formatted }

    public var description: String { formatted }

    static let invalid = ValueError(
        code: ValueError.Code.invalidBankgiro,
        message: "Ange bankgironumret med sju eller åtta siffror, till exempel 624-1061."
    )
    static let checksum = ValueError(
        code: ValueError.Code.checksum,
        message: "Kontrollsiffran stämmer inte. Kontrollera bankgironumret (till exempel 624-1061)."
    )
}
