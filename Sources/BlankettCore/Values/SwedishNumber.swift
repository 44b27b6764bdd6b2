/// Reading and writing numbers the way Swedes type them.
///
/// Accepted input, surrounded by any white space:
/// - digits, optionally grouped in thousands with one space, no-break space
///   (U+00A0), narrow no-break space (U+202F) or thin space (U+2009) between
///   groups: `1127386`, `1 127 386`. A grouped number has 1–3 digits in its
///   first group and exactly 3 in every other (`11 27 386` is rejected);
/// - a decimal comma or point with at least one digit on each side: `2,80`,
///   `2.8` (`,5` and `5,` are rejected);
/// - a leading `-` or Unicode minus (U+2212);
/// - a unit suffix depending on the kind of number, case-insensitive, with or
///   without a space before it: `kr`, `kr.`, `kronor`, `sek`, `:-`, `,-` for
///   kronor; `st`, `st.` for integers; none for decimals.
///
/// Rejected as ambiguous or wrong: two decimal separators (`1.127.386`,
/// `1,127.50`), points or commas used for grouping, letters, an empty text.
/// Values are never rounded while reading: more decimals than allowed is an
/// error (`too-many-decimals`), never a silently changed number.
///
/// Formatting groups thousands with a plain space (U+0020) unless another
/// separator is asked for, and writes decimals with a comma.
public enum SwedishNumber {
    /// Suffixes accepted after an amount in kronor.
    static let kronorSuffixes = ["kronor", "kr.", "kr", "sek", ":-", ",-"]
    /// Suffixes accepted after a count.
    static let integerSuffixes = ["st.", "st"]

    // MARK: Reading

    /// Reads a whole number (`12`, `1 200`, `5 st`). Decimals, even `5,0`, are
    /// an error (`invalid-integer`).
    public static func parseInteger(_ text: some StringProtocol) -> Result<Int64, ValueError> {
        guard let number = scan(text, suffixes: integerSuffixes) else {
            return .failure(Messages.invalidInteger)
        }
        guard number.fractionDigitCount == 0 else {
            return .failure(Messages.integerWithDecimals)
        }
        guard let value = number.int64 else {
            return .failure(ValueError(code: ValueError.Code.invalidInteger, message: Messages.tooLarge))
        }
        return .success(value)
    }

    /// Reads a number with at most `maximumDecimals` decimals (`2,80`, `2.8`,
    /// `-1 234,5`). The result keeps the decimals as typed (`2,8` has scale 1).
    /// More decimals than allowed is `too-many-decimals`, never rounded;
    /// anything unreadable is `invalid-decimal`.
    public static func parseDecimal(
        _ text: some StringProtocol,
        maximumDecimals: Int
    ) -> Result<ExactDecimal, ValueError> {
        let maximumDecimals = max(0, min(maximumDecimals, ExactDecimal.maximumScale))
        guard let number = scan(text, suffixes: []) else {
            return .failure(Messages.invalidDecimal(decimals: maximumDecimals))
        }
        guard number.fractionDigitCount <= maximumDecimals else {
            return .failure(Messages.tooManyDecimals(decimals: maximumDecimals))
        }
        guard let value = number.exactDecimal else {
            return .failure(ValueError(code: ValueError.Code.invalidDecimal, message: Messages.tooLarge))
        }
        return .success(value)
    }

    // MARK: Writing

    /// `1127386` → `"1 127 386"`, `-5000` → `"-5 000"`.
    public static func format(_ value: Int64, groupSeparator: String = " ") -> String {
        let digits = grouped(String(value.magnitude), separator: groupSeparator)
        return value < 0 ? "-" + digits : digits
    }

    /// The value with exactly `decimals` decimals after a comma and grouped
    /// thousands: `2.8` with 2 decimals → `"2,80"`, `1234.5` → `"1 234,50"`.
    /// A value with more decimals than asked for is rounded half away from zero
    /// (this is for display of computed values; input is never rounded).
    public static func format(_ value: ExactDecimal, decimals: Int, groupSeparator: String = " ") -> String {
        let decimals = max(0, min(decimals, ExactDecimal.maximumScale))
        let rounded = value.rounded(toDecimals: decimals)
        let exact = rounded.rescaled(to: decimals) ?? rounded
        let text = exact.formatted(decimalSeparator: ",")
        let negative = text.hasPrefix("-")
        let unsigned = negative ? text.dropFirst() : text[...]
        let parts = unsigned.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        var result = grouped(String(parts[0]), separator: groupSeparator)
        if parts.count > 1 { result += "," + parts[1] }
        return negative ? "-" + result : result
    }

    /// An example number with `decimals` decimals for messages: 0 → `3`,
    /// 1 → `2,8`, 2 → `2,80`, 3 → `2,800`.
    static func example(decimals: Int) -> String {
        decimals == 0 ? "3" : "2,8" + String(repeating: "0", count: decimals - 1)
    }

    static func grouped(_ digits: String, separator: String) -> String {
        let characters = Array(digits)
        var result = ""
        for (index, character) in characters.enumerated() {
            if index > 0, (characters.count - index) % 3 == 0 { result += separator }
            result.append(character)
        }
        return result
    }

    // MARK: Scanning

    /// A number as typed: sign, its digits as one magnitude, how many of
    /// them come after the decimal separator.
    struct Scanned {
        var negative = false
        /// Every digit, integer part then decimals; `nil` once too large for `Int128`.
        var magnitude: Int128? = 0
        var integerDigitCount = 0
        var fractionDigitCount = 0
        var fractionIsZero = true

        mutating func appendInteger(_ digit: UInt8) {
            integerDigitCount += 1
            append(digit)
        }

        mutating func appendFraction(_ digit: UInt8) {
            fractionDigitCount += 1
            if digit != 0 { fractionIsZero = false }
            append(digit)
        }

        private mutating func append(_ digit: UInt8) {
            guard let current = magnitude else { return }
            let (shifted, overflow1) = current.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = shifted.addingReportingOverflow(Int128(digit))
            magnitude = overflow1 || overflow2 ? nil : added
        }

        /// The integer part (the decimals, zero or none where this is asked, dropped).
        var int64: Int64? {
            guard var integer = magnitude else { return nil }
            for _ in 0..<fractionDigitCount { integer /= 10 }
            guard integer <= Int128(Int64.max) else { return nil }
            let value = Int64(integer)
            return negative ? -value : value
        }

        /// The number, or `nil` when it does not fit (more than
        /// `ExactDecimal.maximumScale` decimals, or too many digits).
        var exactDecimal: ExactDecimal? {
            guard fractionDigitCount <= ExactDecimal.maximumScale, let magnitude else { return nil }
            return ExactDecimal(units: negative ? -magnitude : magnitude, scale: fractionDigitCount)
        }
    }

    /// Reads a number written plainly, `-?[0-9]+([.,][0-9]+)?` and nothing
    /// else, as JSON numbers and most answers are; `nil` for any other text.
    /// For such a text `scan` finds no white space to trim, no suffix (every
    /// suffix ends in a letter, a point or a dash, never a digit) and a single
    /// digit group, so the result is the same without its scalar arrays.
    private static func scanPlain(_ text: some StringProtocol) -> Scanned? {
        var number = Scanned()
        var seenSeparator = false
        var isFirst = true
        for byte in text.utf8 {
            defer { isFirst = false }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if seenSeparator {
                    number.appendFraction(byte - UInt8(ascii: "0"))
                } else {
                    number.appendInteger(byte - UInt8(ascii: "0"))
                }
            case UInt8(ascii: "-") where isFirst:
                number.negative = true
            case UInt8(ascii: ","), UInt8(ascii: "."):
                guard !seenSeparator, number.integerDigitCount > 0 else { return nil }
                seenSeparator = true
            default:
                return nil
            }
        }
        guard number.integerDigitCount > 0, !seenSeparator || number.fractionDigitCount > 0 else { return nil }
        return number
    }

    /// Splits typed text into its parts, or `nil` when it is not a number of
    /// the accepted shape. `suffixes` are unit suffixes allowed at the end.
    static func scan(_ text: some StringProtocol, suffixes: [String]) -> Scanned? {
        if let plain = scanPlain(text) { return plain }
        var scalars = ValueText.trimmedScalars(text)[...]
        for suffix in suffixes where ValueText.hasSuffix(scalars, caseInsensitive: suffix) {
            scalars = scalars.dropLast(suffix.unicodeScalars.count)
            while let last = scalars.last, ValueText.isWhitespace(last) { scalars = scalars.dropLast() }
            break
        }
        var number = Scanned()
        if let first = scalars.first, first == "-" || first == "\u{2212}" {
            number.negative = true
            scalars = scalars.dropFirst()
        }

        var position = scalars.startIndex
        /// Reads a run of digits into the number; returns how many.
        func digitRun(fraction: Bool) -> Int {
            var count = 0
            while position < scalars.endIndex, let digit = ValueText.digit(scalars[position]) {
                if fraction { number.appendFraction(digit) } else { number.appendInteger(digit) }
                count += 1
                position += 1
            }
            return count
        }

        var groupSizes = [digitRun(fraction: false)]
        guard groupSizes[0] > 0 else { return nil }
        while position + 1 < scalars.endIndex,
              ValueText.isGroupSpace(scalars[position]),
              ValueText.digit(scalars[position + 1]) != nil {
            position += 1
            groupSizes.append(digitRun(fraction: false))
        }
        if groupSizes.count > 1 {
            guard (1...3).contains(groupSizes[0]), groupSizes.dropFirst().allSatisfy({ $0 == 3 }) else {
                return nil
            }
        }
        if position < scalars.endIndex, scalars[position] == "," || scalars[position] == "." {
            position += 1
            guard digitRun(fraction: true) > 0 else { return nil }
        }
        guard position == scalars.endIndex else { return nil }
        return number
    }

    // MARK: Messages

    enum Messages {
        static let tooLarge = "Talet är för stort. Kontrollera att det är rätt skrivet."

        static let invalidInteger = ValueError(
            code: ValueError.Code.invalidInteger,
            message: "Ange ett heltal, till exempel 12."
        )
        static let integerWithDecimals = ValueError(
            code: ValueError.Code.invalidInteger,
            message: "Ange ett heltal utan decimaler, till exempel 12."
        )

        static func invalidDecimal(decimals: Int) -> ValueError {
            let message = decimals == 0
                ? "Ange ett tal, till exempel 3."
                : "Ange ett tal med decimalkomma, till exempel \(example(decimals: decimals))."
            return ValueError(code: ValueError.Code.invalidDecimal, message: message)
        }

        static func tooManyDecimals(decimals: Int) -> ValueError {
            let message = switch decimals {
            case 0: "Ange talet utan decimaler, till exempel 3."
            case 1: "Ange högst 1 decimal, till exempel 2,8."
            default: "Ange högst \(decimals) decimaler, till exempel \(example(decimals: decimals))."
            }
            return ValueError(code: ValueError.Code.tooManyDecimals, message: message)
        }
    }
}
