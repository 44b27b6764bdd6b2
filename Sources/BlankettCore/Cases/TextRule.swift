/// The one input boundary for free text: every text a person types that
/// reaches the database or a PDF passes one of these rules first, in the
/// core, so the pages and the API refuse the same input with the same
/// Swedish sentence (422), and nothing is saved.
///
/// A rule allows valid Unicode (a Swift `String` is always valid UTF-8)
/// without control characters: no NUL (PostgreSQL text cannot hold it; a
/// PDF cuts at it), no escape or bell. Multi-line texts may hold line breaks
/// and tabs. Each kind has a length limit in characters (Unicode scalars,
/// as JSON Schema's maxLength counts, so the API's document states it
/// exactly), so no text costs unbounded time to store, render or seal.
public struct TextRule: Sendable, Hashable {
    /// The Swedish noun for the input, as the sentence starts: "Namnet".
    public let what: String
    public let maximumLength: Int
    /// Line breaks (`\n`, `\r`) and tabs allowed.
    public let multiline: Bool

    public init(_ what: String, maximumLength: Int, multiline: Bool = false) {
        self.what = what
        self.maximumLength = maximumLength
        self.multiline = multiline
    }

    /// A name: of a person, an organisation, a unit, a nämnd, a key. 200 characters, one line.
    public static func name(_ what: String = "Namnet") -> TextRule { TextRule(what, maximumLength: 200) }
    /// An e-mail address: 254 characters (RFC 5321), one line.
    public static let email = TextRule("E-postadressen", maximumLength: 254)
    /// A password as typed: 1 024 characters, one line.
    public static let password = TextRule("Lösenordet", maximumLength: 1_024)
    /// A comment with a command (return, recall) or an acknowledged warning: 5 000 characters.
    public static func comment(_ what: String = "Kommentaren") -> TextRule { TextRule(what, maximumLength: 5_000, multiline: true) }
    /// A nämnd's decision text: 20 000 characters (some ten pages).
    public static let decisionText = TextRule("Beslutstexten", maximumLength: 20_000, multiline: true)
    /// A short reference: a paragraph (§ 12), a diarienummer: 100 characters.
    public static func reference(_ what: String) -> TextRule { TextRule(what, maximumLength: 100) }
    /// One answer of a form's text field: 20 000 characters.
    public static func answer(_ path: String) -> TextRule { TextRule("Svaret på \(path)", maximumLength: 20_000, multiline: true) }

    /// Why `text` breaks the rule, as a Swedish sentence; nil when it keeps it.
    public func problem(_ text: some StringProtocol) -> String? {
        for scalar in text.unicodeScalars where Self.isControl(scalar) {
            if multiline && (scalar == "\n" || scalar == "\r" || scalar == "\t") { continue }
            if scalar == "\u{0}" { return "\(what) innehåller ett NUL-tecken, som inte kan sparas." }
            return "\(what) innehåller ett otillåtet styrtecken (U+\(String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)))\(multiline ? "" : " eller en radbrytning")."
        }
        // Unicode scalars, as JSON Schema's maxLength counts (the API's document
        // states the same limits); a text longer in bytes than four times the limit is surely too long.
        if text.utf8.count > maximumLength * 4 || text.unicodeScalars.count > maximumLength {
            return "\(what) får vara högst \(maximumLength.formatted) tecken."
        }
        return nil
    }

    /// `text`, or the refusal (`invalid-input`, 422) with `parameter` naming the input.
    @discardableResult
    public func check(_ text: String, parameter: String? = nil) throws(CaseError) -> String {
        if let problem = problem(text) {
            var error = CaseError(.invalidInput, problem)
            error.parameter = parameter
            throw error
        }
        return text
    }

    /// The same for an optional text; nil passes.
    @discardableResult
    public func checkIfPresent(_ text: String?, parameter: String? = nil) throws(CaseError) -> String? {
        guard let text else { return nil }
        return try check(text, parameter: parameter)
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }
}

extension Int {
    /// With a space between thousands, the Swedish way: 20 000.
    fileprivate var formatted: String {
        let digits = String(self)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(" ") }
            out.append(digit)
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
