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
        guard number.fractionDigits.isEmpty else {
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
        guard number.fractionDigits.count <= maximumDecimals else {
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

    /// A number as typed: sign, integer digits, decimal digits.
    struct Scanned {
        var negative: Bool
        var integerDigits: [UInt8]
        var fractionDigits: [UInt8]

        var int64: Int64? {
            var value: Int64 = 0
            for digit in integerDigits {
                let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (added, overflow2) = shifted.addingReportingOverflow(Int64(digit))
                guard !overflow1, !overflow2 else { return nil }
                value = added
            }
            return negative ? -value : value
        }

        /// The number, or `nil` when it does not fit (more than
        /// `ExactDecimal.maximumScale` decimals, or too many digits).
        var exactDecimal: ExactDecimal? {
            guard fractionDigits.count <= ExactDecimal.maximumScale else { return nil }
            var units: Int128 = 0
            func append(_ digits: [UInt8]) -> Bool {
                for digit in digits {
                    let (shifted, overflow1) = units.multipliedReportingOverflow(by: 10)
                    let (added, overflow2) = shifted.addingReportingOverflow(Int128(digit))
                    guard !overflow1, !overflow2 else { return false }
                    units = added
                }
                return true
            }
            guard append(integerDigits), append(fractionDigits) else { return nil }
            return ExactDecimal(units: negative ? -units : units, scale: fractionDigits.count)
        }
    }

    /// Reads a number written plainly, `-?[0-9]+([.,][0-9]+)?` and nothing
    /// else, as JSON numbers and most answers are; `nil` for any other text.
    /// For such a text `scan` finds no white space to trim, no suffix (every
    /// suffix ends in a letter, a point or a dash, never a digit) and a single
    /// digit group, so the result is the same without its scalar arrays.
    private static func scanPlain(_ text: some StringProtocol) -> Scanned? {
        var negative = false
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        var seenSeparator = false
        integerDigits.reserveCapacity(text.utf8.count)
        var isFirst = true
        for byte in text.utf8 {
            defer { isFirst = false }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if seenSeparator {
                    fractionDigits.append(byte - UInt8(ascii: "0"))
                } else {
                    integerDigits.append(byte - UInt8(ascii: "0"))
                }
            case UInt8(ascii: "-") where isFirst:
                negative = true
            case UInt8(ascii: ","), UInt8(ascii: "."):
                guard !seenSeparator, !integerDigits.isEmpty else { return nil }
                seenSeparator = true
            default:
                return nil
            }
        }
        guard !integerDigits.isEmpty, !seenSeparator || !fractionDigits.isEmpty else { return nil }
        return Scanned(negative: negative, integerDigits: integerDigits, fractionDigits: fractionDigits)
    }

    /// Splits typed text into its parts, or `nil` when it is not a number of
    /// the accepted shape. `suffixes` are unit suffixes allowed at the end.
    static func scan(_ text: some StringProtocol, suffixes: [String]) -> Scanned? {
        if let plain = scanPlain(text) { return plain }
        var scalars = ValueText.trimmedScalars(text)[...]
        for suffix in suffixes where ValueText.hasSuffix(scalars, caseInsensitive: suffix) {
            scalars = scalars.dropLast(suffix.unicodeScalars.count)
            while let last = scalars.last, last.properties.isWhitespace { scalars = scalars.dropLast() }
            break
        }
        var negative = false
        if let first = scalars.first, first == "-" || first == "\u{2212}" {
            negative = true
            scalars = scalars.dropFirst()
        }

        var position = scalars.startIndex
        func digitRun() -> [UInt8] {
            var digits: [UInt8] = []
            while position < scalars.endIndex, let digit = ValueText.digit(scalars[position]) {
                digits.append(digit)
                position += 1
            }
            return digits
        }

        var groups = [digitRun()]
        guard !groups[0].isEmpty else { return nil }
        while position + 1 < scalars.endIndex,
              ValueText.isGroupSpace(scalars[position]),
              ValueText.digit(scalars[position + 1]) != nil {
            position += 1
            groups.append(digitRun())
        }
        if groups.count > 1 {
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                return nil
            }
        }
        var fraction: [UInt8] = []
        if position < scalars.endIndex, scalars[position] == "," || scalars[position] == "." {
            position += 1
            fraction = digitRun()
            guard !fraction.isEmpty else { return nil }
        }
        guard position == scalars.endIndex else { return nil }
        return Scanned(negative: negative, integerDigits: groups.flatMap { $0 }, fractionDigits: fraction)
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
