/// A Swedish postnummer: five digits, the first 1–9, written `NNN NN`
/// (`147 85`).
///
/// Accepted input: `147 85`, `14785`, a no-break or thin space in the middle,
/// and the country prefixes `SE-`, `SE ` and `S-` (`SE-147 85`),
/// case-insensitive.
public struct Postnummer: Sendable, Hashable, CustomStringConvertible {
    /// The five digits, `"14785"`.
    public let digits: String

    private init(checkedDigits: [UInt8]) {
        self.digits = ValueText.string(checkedDigits)
    }

    /// Errors: `invalid-postnummer`.
    public static func parse(_ text: some StringProtocol) -> Result<Postnummer, ValueError> {
        var scalars = ValueText.trimmedScalars(text)[...]
        for prefix in ["SE-", "SE", "S-"] where ValueText.hasPrefix(scalars, caseInsensitive: prefix) {
            scalars = scalars.dropFirst(prefix.unicodeScalars.count)
            while let first = scalars.first, ValueText.isGroupSpace(first) { scalars = scalars.dropFirst() }
            break
        }
        var digits: [UInt8] = []
        for (index, scalar) in zip(0..., scalars) {
            if let digit = ValueText.digit(scalar) {
                digits.append(digit)
            } else if !(ValueText.isGroupSpace(scalar) && index == 3 && digits.count == 3) {
                return .failure(invalid)
            }
        }
        guard digits.count == 5, digits[0] != 0 else { return .failure(invalid) }
        return .success(Postnummer(checkedDigits: digits))
    }

    /// `"147 85"`.
    public var formatted: String {
        String(digits.prefix(3)) + " " + String(digits.suffix(2))
    }

    /// The stored form, the same as `formatted`.
    public var canonical: String { formatted }

    public var description: String { formatted }

    static let invalid = ValueError(
        code: ValueError.Code.invalidPostnummer,
        message: "Ange postnumret med fem siffror, till exempel 147 85."
    )
}
