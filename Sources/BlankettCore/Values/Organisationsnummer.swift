/// A Swedish organisationsnummer, `NNNNNN-NNNN`, whose last digit is a Luhn
/// (mod 10) check digit over all ten (Botkyrka kommun: `212000-2882`).
///
/// Accepted input: `212000-2882`, `2120002882`, spaces anywhere, an en dash
/// instead of the hyphen, and the twelve-digit form with the century prefix
/// `16` that Skatteverket uses for legal persons (`16212000-2882`,
/// `162120002882`), which is stripped. Only the check digit is verified: the
/// third digit is not required to be ≥ 2, because a sole trader's
/// organisationsnummer is their personnummer.
public struct Organisationsnummer: Sendable, Hashable, CustomStringConvertible {
    /// The ten digits, `"2120002882"`.
    public let digits: String

    private init(checkedDigits: [UInt8]) {
        self.digits = ValueText.string(checkedDigits)
    }

    /// Errors: `invalid-organisationsnummer` (not ten digits), `checksum`.
    public static func parse(_ text: some StringProtocol) -> Result<Organisationsnummer, ValueError> {
        guard let (digits, dash) = ValueText.digitsWithDash(ValueText.trimmedScalars(text)) else {
            return .failure(invalid)
        }
        var number = digits
        switch digits.count {
        case 10:
            guard dash == nil || dash == 6 else { return .failure(invalid) }
        case 12:
            guard digits[0] == 1, digits[1] == 6, dash == nil || dash == 8 else { return .failure(invalid) }
            number.removeFirst(2)
        default:
            return .failure(invalid)
        }
        guard Luhn.isValid(number) else { return .failure(checksum) }
        return .success(Organisationsnummer(checkedDigits: number))
    }

    /// `"212000-2882"`.
    public var formatted: String {
        String(digits.prefix(6)) + "-" + String(digits.suffix(4))
    }

    /// The stored form, the same as `formatted`.
    public var canonical: String { formatted }

    public var description: String { formatted }

    static let invalid = ValueError(
        code: ValueError.Code.invalidOrganisationsnummer,
        message: "Ange organisationsnumret med tio siffror, till exempel 212000-2882."
    )
    static let checksum = ValueError(
        code: ValueError.Code.checksum,
        message: "Kontrollsiffran stämmer inte. Kontrollera organisationsnumret (till exempel 212000-2882)."
    )
}
