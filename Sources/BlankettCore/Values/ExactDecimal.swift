/// An exact decimal number, `units / 10^scale`.
///
/// Money, posts and FTE are never held in floating point: a value typed as
/// `2,80` stays 280 hundredths through every sum and comparison. `Int128`
/// units leave room for kronor amounts far beyond any grant while keeping the
/// arithmetic on machine integers. Operations that could overflow return `nil`
/// instead of trapping, so bad input can never crash the server.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The number times `10^scale`.
    public let units: Int128
    /// Digits after the decimal point, 0…`maximumScale`.
    public let scale: Int

    /// The most decimals any value or intermediate result keeps.
    public static let maximumScale = 18
    /// Decimals kept by division before truncation.
    public static let divisionScale = 10

    public static let zero = ExactDecimal(units: 0, scale: 0)

    public init(units: Int128, scale: Int) {
        precondition(scale >= 0 && scale <= Self.maximumScale, "scale out of range")
        self.units = units
        self.scale = scale
    }

    public init(_ integer: Int) {
        self.init(units: Int128(integer), scale: 0)
    }

    public init(_ integer: Int64) {
        self.init(units: Int128(integer), scale: 0)
    }

    /// Parses the canonical machine form: optional `-`, digits, optionally a `.`
    /// and more digits (`"1127386"`, `"-2.80"`). No grouping, no comma: Swedish
    /// input is parsed by the value types in this folder.
    public init?(canonical text: Substring) {
        var negative = false
        var rest = text[...]
        if rest.first == "-" {
            negative = true
            rest = rest.dropFirst()
        }
        guard !rest.isEmpty else { return nil }
        var units: Int128 = 0
        var scale = 0
        var seenPoint = false
        var digitCount = 0
        for character in rest.utf8 {
            if character == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard character >= UInt8(ascii: "0"), character <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflow1) = units.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = shifted.addingReportingOverflow(Int128(character - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            units = added
            digitCount += 1
            if seenPoint { scale += 1 }
        }
        guard digitCount > 0, scale <= Self.maximumScale, rest.last != "." else { return nil }
        self.init(units: negative ? -units : units, scale: scale)
    }

    public init?(canonical text: String) {
        self.init(canonical: text[...])
    }

    // MARK: Inspection

    public var isZero: Bool { units == 0 }
    public var isNegative: Bool { units < 0 }

    /// The value as an integer when it has no fractional part (`2.00` → 2).
    public var integerValue: Int128? {
        let divisor = Self.power(scale)
        return units % divisor == 0 ? units / divisor : nil
    }

    /// Decimals needed to write the value without loss (`2.80` → 1, `3.00` → 0).
    public var significantScale: Int {
        var units = self.units
        var scale = self.scale
        while scale > 0, units % 10 == 0 {
            units /= 10
            scale -= 1
        }
        return scale
    }

    /// The same value written with `newScale` decimals, or `nil` when that would
    /// lose digits or overflow.
    public func rescaled(to newScale: Int) -> ExactDecimal? {
        guard newScale >= 0, newScale <= Self.maximumScale else { return nil }
        if newScale == scale { return self }
        if newScale > scale {
            let (result, overflow) = units.multipliedReportingOverflow(by: Self.power(newScale - scale))
            return overflow ? nil : ExactDecimal(units: result, scale: newScale)
        }
        let divisor = Self.power(scale - newScale)
        guard units % divisor == 0 else { return nil }
        return ExactDecimal(units: units / divisor, scale: newScale)
    }

    // MARK: Arithmetic (nil on overflow)

    public func adding(_ other: ExactDecimal) -> ExactDecimal? {
        guard let (a, b, scale) = Self.aligned(self, other) else { return nil }
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : ExactDecimal(units: sum, scale: scale)
    }

    public func subtracting(_ other: ExactDecimal) -> ExactDecimal? {
        guard let (a, b, scale) = Self.aligned(self, other) else { return nil }
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? nil : ExactDecimal(units: difference, scale: scale)
    }

    public func multiplying(by other: ExactDecimal) -> ExactDecimal? {
        let (product, overflow) = units.multipliedReportingOverflow(by: other.units)
        guard !overflow else { return nil }
        var scale = self.scale + other.scale
        var units = product
        // Drop trailing zeros first; truncate only what exceeds the maximum scale.
        while scale > Self.maximumScale || (scale > 0 && units % 10 == 0) {
            units /= 10
            scale -= 1
        }
        return ExactDecimal(units: units, scale: scale)
    }

    /// Division truncated toward zero at `divisionScale` decimals; `nil` for a
    /// zero divisor or overflow.
    public func dividing(by other: ExactDecimal) -> ExactDecimal? {
        guard other.units != 0 else { return nil }
        // self / other = (a / 10^sa) / (b / 10^sb) = a * 10^(sb + d - sa) / b at scale d.
        let targetScale = Self.divisionScale
        let exponent = other.scale + targetScale - scale
        var numerator = units
        var denominator = other.units
        if exponent >= 0 {
            let (shifted, overflow) = numerator.multipliedReportingOverflow(by: Self.power(exponent))
            guard !overflow else { return nil }
            numerator = shifted
        } else {
            let (shifted, overflow) = denominator.multipliedReportingOverflow(by: Self.power(-exponent))
            guard !overflow else { return nil }
            denominator = shifted
        }
        return ExactDecimal(units: numerator / denominator, scale: targetScale).normalized
    }

    public var negated: ExactDecimal { ExactDecimal(units: -units, scale: scale) }

    /// Largest integer not greater than the value.
    public var floor: ExactDecimal {
        let divisor = Self.power(scale)
        var quotient = units / divisor
        if units % divisor != 0, units < 0 { quotient -= 1 }
        return ExactDecimal(units: quotient, scale: 0)
    }

    /// Rounded to `decimals` places, halves away from zero (the Swedish
    /// "avrundning" convention).
    public func rounded(toDecimals decimals: Int) -> ExactDecimal {
        let decimals = max(0, min(decimals, Self.maximumScale))
        guard decimals < scale else { return self }
        let divisor = Self.power(scale - decimals)
        var quotient = units / divisor
        let remainder = units % divisor
        if remainder.magnitude * 2 >= divisor.magnitude {
            quotient += units < 0 ? -1 : 1
        }
        return ExactDecimal(units: quotient, scale: decimals)
    }

    /// The same value without trailing zero decimals.
    public var normalized: ExactDecimal {
        let scale = significantScale
        return ExactDecimal(units: units / Self.power(self.scale - scale), scale: scale)
    }

    // MARK: Comparison and hashing by value (2.8 == 2.80)

    // Values of the same scale (most answers and bounds) compare by their units directly.

    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        if lhs.scale == rhs.scale { return lhs.units == rhs.units }
        return compare(lhs, rhs) == 0
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        if lhs.scale == rhs.scale { return lhs.units < rhs.units }
        return compare(lhs, rhs) < 0
    }

    public func hash(into hasher: inout Hasher) {
        let normal = normalized
        hasher.combine(normal.units)
        hasher.combine(normal.scale)
    }

    /// Machine form: `-1234.50` (as many decimals as `scale`).
    public var description: String {
        formatted(decimalSeparator: ".")
    }

    /// Digits with the given separator and `scale` decimals, no grouping.
    public func formatted(decimalSeparator: String) -> String {
        let magnitude = units.magnitude
        let divisor = UInt128(Self.power(scale))
        let integerPart = String(magnitude / divisor)
        var text = units < 0 ? "-" + integerPart : integerPart
        if scale > 0 {
            let fraction = String(magnitude % divisor)
            text += decimalSeparator + String(repeating: "0", count: scale - fraction.count) + fraction
        }
        return text
    }

    // MARK: Helpers

    static func power(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    private static func aligned(_ a: ExactDecimal, _ b: ExactDecimal) -> (Int128, Int128, Int)? {
        if a.scale == b.scale { return (a.units, b.units, a.scale) }
        let scale = max(a.scale, b.scale)
        guard let left = a.rescaled(to: scale), let right = b.rescaled(to: scale) else { return nil }
        return (left.units, right.units, scale)
    }

    private static func compare(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if let (left, right, _) = aligned(a, b) {
            return left < right ? -1 : (left == right ? 0 : 1)
        }
        // Aligning overflowed: the integer parts alone decide unless they tie.
        let leftFloor = a.floor.units, rightFloor = b.floor.units
        if leftFloor != rightFloor { return leftFloor < rightFloor ? -1 : 1 }
        let leftFraction = a.subtracting(a.floor) ?? .zero
        let rightFraction = b.subtracting(b.floor) ?? .zero
        return compare(leftFraction, rightFraction)
    }
}
