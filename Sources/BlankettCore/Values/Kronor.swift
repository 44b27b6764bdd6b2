/// An amount in whole Swedish kronor (`1 127 386 kr`).
///
/// Read with `Kronor.parse(_:)`, which accepts what people type (see
/// `SwedishNumber`): `1127386`, `1 127 386`, `1 127 386 kr`, `1127386:-`,
/// `1 127 386,00`. Öre other than `,0`/`,00` are rejected (`invalid-kronor`),
/// never rounded; `1,000` and `1.000` are rejected too, since they could mean
/// one or a thousand.
public struct Kronor: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let amount: Int64

    public static let zero = Kronor(0)

    public init(_ amount: Int64) {
        self.amount = amount
    }

    /// The value as whole kronor, or `nil` when it has a fractional part or
    /// does not fit in 64 bits.
    public init?(exactly value: ExactDecimal) {
        guard let integer = value.integerValue, let amount = Int64(exactly: integer) else { return nil }
        self.amount = amount
    }

    /// Reads typed kronor; errors have the code `invalid-kronor`.
    public static func parse(_ text: some StringProtocol) -> Result<Kronor, ValueError> {
        guard let number = SwedishNumber.scan(text, suffixes: SwedishNumber.kronorSuffixes) else {
            return .failure(invalid)
        }
        guard number.fractionDigitCount <= 2, number.fractionIsZero else {
            return .failure(invalid)
        }
        guard let amount = number.int64 else {
            return .failure(ValueError(
                code: ValueError.Code.invalidKronor,
                message: "Beloppet är för stort. Kontrollera att det är rätt skrivet."
            ))
        }
        return .success(Kronor(amount))
    }

    /// The amount as an exact decimal, for calculations.
    public var decimal: ExactDecimal { ExactDecimal(amount) }

    /// The stored form: digits only, `"1127386"` (`"-500"`).
    public var canonical: String { String(amount) }

    /// For people: `"1 127 386 kr"`.
    public var formatted: String { formatted() }

    /// Grouped with `groupSeparator` (e.g. `"\u{00A0}"` in HTML, so the number
    /// never breaks across lines), with or without the ` kr` unit.
    public func formatted(groupSeparator: String = " ", unit: Bool = true) -> String {
        let number = SwedishNumber.format(amount, groupSeparator: groupSeparator)
        return unit ? number + groupSeparator + "kr" : number
    }

    public var description: String { canonical }

    public static func < (lhs: Kronor, rhs: Kronor) -> Bool { lhs.amount < rhs.amount }

    static let invalid = ValueError(
        code: ValueError.Code.invalidKronor,
        message: "Ange beloppet i hela kronor, till exempel 1 127 386."
    )
}
