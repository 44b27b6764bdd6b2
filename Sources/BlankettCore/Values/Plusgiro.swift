/// A plusgiro number: 2–8 digits whose last digit is a Luhn (mod 10) check
/// digit over all of them, written with a dash before the check digit
/// (`412345-1`).
///
/// Accepted input: with or without the dash (which must stand before the last
/// digit), spaces anywhere, so the traditional grouping `41 23 45-1` works,
/// an en dash instead of the hyphen.
public struct Plusgiro: Sendable, Hashable, CustomStringConvertible {
    /// The 2–8 digits, `"4123451"`.
    public let digits: String

    private init(checkedDigits: [UInt8]) {
        self.digits = ValueText.string(checkedDigits)
    }

    /// Errors: `invalid-plusgiro` (not 2–8 digits), `checksum`.
    public static func parse(_ text: some StringProtocol) -> Result<Plusgiro, ValueError> {
        guard let (digits, dash) = ValueText.digitsWithDash(ValueText.trimmedScalars(text)),
              (2...8).contains(digits.count),
              dash == nil || dash == digits.count - 1 else {
            return .failure(invalid)
        }
        guard Luhn.isValid(digits) else { return .failure(checksum) }
        return .success(Plusgiro(checkedDigits: digits))
    }

    /// `"412345-1"`: the digits with a dash before the check digit.
    public var formatted: String {
        String(digits.dropLast()) + "-" + String(digits.suffix(1))
    }

    /// The stored form, the same as `formatted`.
    public var canonical: String { formatted }

    public var description: String { formatted }

    static let invalid = ValueError(
        code: ValueError.Code.invalidPlusgiro,
        message: "Ange plusgironumret med två till åtta siffror, till exempel 412345-1."
    )
    static let checksum = ValueError(
        code: ValueError.Code.checksum,
        message: "Kontrollsiffran stämmer inte. Kontrollera plusgironumret (till exempel 412345-1)."
    )
}
