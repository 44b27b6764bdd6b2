/// An exact decimal number written with a fixed number of decimals, such as
/// posts and FTE (`2,80`).
///
/// Read with `DecimalNumber.parse(_:decimals:)`: `2,80`, `2.8`, `2,8`,
/// `1 234,5` (see `SwedishNumber`). More decimals than the field allows is
/// `too-many-decimals` (`2,805` for two decimals), never rounded.
///
/// `value` always has exactly `decimals` decimals (`2,8` read with two
/// decimals is 2.80). Two numbers are equal when their values are
/// (`2.8 == 2.80`), whatever their `decimals`.
public struct DecimalNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The number, with `scale == decimals`.
    public let value: ExactDecimal
    /// Decimals written, 0…`ExactDecimal.maximumScale`.
    public let decimals: Int

    /// `value` written with `decimals` decimals, or `nil` when that would lose
    /// digits (`2.805` with 2) or `decimals` is out of range.
    public init?(_ value: ExactDecimal, decimals: Int) {
        guard decimals >= 0, decimals <= ExactDecimal.maximumScale,
              let rescaled = value.rescaled(to: decimals) else { return nil }
        self.value = rescaled
        self.decimals = decimals
    }

    /// Reads a typed number with at most `decimals` decimals. Errors:
    /// `invalid-decimal`, `too-many-decimals`.
    public static func parse(_ text: some StringProtocol, decimals: Int) -> Result<DecimalNumber, ValueError> {
        let decimals = max(0, min(decimals, ExactDecimal.maximumScale))
        return SwedishNumber.parseDecimal(text, maximumDecimals: decimals).flatMap { value in
            guard let number = DecimalNumber(value, decimals: decimals) else {
                return .failure(ValueError(
                    code: ValueError.Code.invalidDecimal,
                    message: SwedishNumber.Messages.tooLarge
                ))
            }
            return .success(number)
        }
    }

    /// The stored form, with a decimal point: `"2.80"`.
    public var canonical: String { value.description }

    /// For people, with a decimal comma: `"2,80"`, `"1 234,50"`.
    public var formatted: String { formatted() }

    public func formatted(groupSeparator: String = " ") -> String {
        SwedishNumber.format(value, decimals: decimals, groupSeparator: groupSeparator)
    }

    public var description: String { canonical }

    public static func == (lhs: DecimalNumber, rhs: DecimalNumber) -> Bool { lhs.value == rhs.value }

    public func hash(into hasher: inout Hasher) { hasher.combine(value) }

    public static func < (lhs: DecimalNumber, rhs: DecimalNumber) -> Bool { lhs.value < rhs.value }
}
