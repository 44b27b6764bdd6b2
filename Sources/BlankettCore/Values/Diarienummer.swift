/// A diarienummer (case number) in one of the three dialects the forms meet.
///
/// | dialect | example | shape |
/// |---|---|---|
/// | `namnd` (a committee's register) | `SN 2021:1`, `KS 2020:15` | 1–6 letters, a space, year, `:`, running number |
/// | `lansstyrelsen` | `821-12345-2020`, `821-12345-2020/2021` | 3 digits, `-`, 1–7 digits, `-`, year, optionally `/` and a later year |
/// | `socialstyrelsen` | `16570/2020` | 1–7 digits, `/`, year |
///
/// Input may be surrounded by white space and start with `Dnr`, `Dnr.` or
/// `Dnr:` (`Dnr SN 2021:8`); en dashes count as hyphens. Normalisation: the
/// letters of a committee number are upper-cased with exactly one space
/// before the year, and the leading zeros of its running number are dropped
/// (`sn 2021:00001` → `SN 2021:1`, since registers print the same number
/// both ways); other digits are kept as typed. Years are 1900–2100.
public struct Diarienummer: Sendable, Hashable, CustomStringConvertible {
    public enum Dialect: String, Sendable, Hashable, CaseIterable {
        /// A nämnd's (committee's) own register: `SN 2021:1`.
        case namnd
        /// Länsstyrelsen: `821-12345-2020`, `821-12345-2020/2021`.
        case lansstyrelsen
        /// Socialstyrelsen: `16570/2020`.
        case socialstyrelsen
    }

    public let dialect: Dialect
    /// The normalised number: `"SN 2021:1"`, `"821-12345-2020/2021"`, `"16570/2020"`.
    public let formatted: String
    /// The (first) year in the number.
    public let year: Int

    private init(dialect: Dialect, formatted: String, year: Int) {
        self.dialect = dialect
        self.formatted = formatted
        self.year = year
    }

    /// Reads a diarienummer of any dialect. Errors: `invalid-diarienummer`.
    public static func parse(_ text: some StringProtocol) -> Result<Diarienummer, ValueError> {
        guard let number = read(text) else { return .failure(invalid(nil)) }
        return .success(number)
    }

    /// Reads a diarienummer that must be of `dialect`. Errors: `invalid-diarienummer`.
    public static func parse(_ text: some StringProtocol, dialect: Dialect) -> Result<Diarienummer, ValueError> {
        guard let number = read(text), number.dialect == dialect else { return .failure(invalid(dialect)) }
        return .success(number)
    }

    /// The stored form, the same as `formatted`.
    public var canonical: String { formatted }

    public var description: String { formatted }

    // MARK: Reading

    private static func read(_ text: some StringProtocol) -> Diarienummer? {
        var scalars = ValueText.trimmedScalars(text)[...]
        if ValueText.hasPrefix(scalars, caseInsensitive: "dnr") {
            var rest = scalars.dropFirst(3)
            if let first = rest.first, first == "." || first == ":" { rest = rest.dropFirst() }
            guard let first = rest.first, ValueText.isWhitespace(first) else { return nil }
            while let first = rest.first, ValueText.isWhitespace(first) { rest = rest.dropFirst() }
            scalars = rest
        }
        guard let first = scalars.first else { return nil }
        return ValueText.isAlphabetic(first) ? readNamnd(scalars) : readNumeric(scalars)
    }

    /// `SN 2021:1`
    private static func readNamnd(_ scalars: ArraySlice<Unicode.Scalar>) -> Diarienummer? {
        var rest = scalars
        var letters = ""
        while let first = rest.first, ValueText.isAlphabetic(first), ValueText.digit(first) == nil {
            letters.unicodeScalars.append(first)
            rest = rest.dropFirst()
        }
        guard (1...6).contains(letters.unicodeScalars.count) else { return nil }
        while let first = rest.first, ValueText.isGroupSpace(first) { rest = rest.dropFirst() }
        guard let year = fixedDigits(&rest, count: 4), isYear(year), rest.first == ":" else { return nil }
        rest = rest.dropFirst()
        guard let running = digitRun(&rest, maximum: 9), rest.isEmpty, let number = Int(running), number > 0 else {
            return nil
        }
        return Diarienummer(dialect: .namnd, formatted: "\(letters.uppercased()) \(year):\(number)", year: year)
    }

    /// `821-12345-2020`, `821-12345-2020/2021`, `16570/2020`
    private static func readNumeric(_ scalars: ArraySlice<Unicode.Scalar>) -> Diarienummer? {
        var rest = scalars
        guard let lead = digitRun(&rest, maximum: 7) else { return nil }
        if let separator = rest.first, ValueText.isDash(separator) {
            rest = rest.dropFirst()
            guard lead.count == 3, let running = digitRun(&rest, maximum: 7),
                  let dash = rest.first, ValueText.isDash(dash) else { return nil }
            rest = rest.dropFirst()
            guard let year = fixedDigits(&rest, count: 4), isYear(year) else { return nil }
            var formatted = "\(lead)-\(running)-\(year)"
            if rest.first == "/" {
                rest = rest.dropFirst()
                guard let second = fixedDigits(&rest, count: 4), isYear(second), second >= year else { return nil }
                formatted += "/\(second)"
            }
            guard rest.isEmpty else { return nil }
            return Diarienummer(dialect: .lansstyrelsen, formatted: formatted, year: year)
        }
        guard rest.first == "/" else { return nil }
        rest = rest.dropFirst()
        guard let year = fixedDigits(&rest, count: 4), isYear(year), rest.isEmpty else { return nil }
        return Diarienummer(dialect: .socialstyrelsen, formatted: "\(lead)/\(year)", year: year)
    }

    /// 1…`maximum` digits, as typed.
    private static func digitRun(_ rest: inout ArraySlice<Unicode.Scalar>, maximum: Int) -> String? {
        var digits = ""
        while let first = rest.first, ValueText.digit(first) != nil {
            digits.unicodeScalars.append(first)
            rest = rest.dropFirst()
        }
        return (1...maximum).contains(digits.count) ? digits : nil
    }

    /// Exactly `count` digits not followed by another digit, as a number.
    private static func fixedDigits(_ rest: inout ArraySlice<Unicode.Scalar>, count: Int) -> Int? {
        guard let digits = digitRun(&rest, maximum: count), digits.count == count else { return nil }
        return Int(digits)
    }

    private static func isYear(_ year: Int) -> Bool { (1900...2100).contains(year) }

    static func invalid(_ dialect: Dialect?) -> ValueError {
        let examples = switch dialect {
        case .namnd: "SN 2021:1"
        case .lansstyrelsen: "821-12345-2020"
        case .socialstyrelsen: "16570/2020"
        case nil: "SN 2021:1, 821-12345-2020 eller 16570/2020"
        }
        return ValueError(
            code: ValueError.Code.invalidDiarienummer,
            message: "Ange diarienumret som till exempel \(examples)."
        )
    }
}
