/// The facts of the authority and the round that a form's texts name by
/// placeholder (`Skickas till {authority.email} senast {round.deadline}`),
/// so that one form file serves every county: the recipient, its address
/// and the deadline are data of the authority and the round, not of the form.
public struct FormTexts: Sendable, Hashable {
    /// Every placeholder a form text may use; any other `{authority.…}`,
    /// `{round.…}` or `{grant.…}` is a load error.
    public static let placeholders: [String] = ["authority.name", "authority.email", "authority.address", "round.deadline", "grant.name"]
    static let namespaces: [Substring] = ["authority", "round", "grant"]

    public var values: [String: String]

    public init(authorityName: String, authorityEmail: String, authorityAddress: String, deadline: LocalDate, grantName: String) {
        values = [
            "authority.name": authorityName,
            "authority.email": authorityEmail,
            "authority.address": authorityAddress,
            "round.deadline": deadline.swedishLongFormat,
            "grant.name": grantName,
        ]
    }

    /// No values: placeholders stay as written (a form shown outside a round).
    public static let none = FormTexts(values: [:])

    private init(values: [String: String]) {
        self.values = values
    }

    /// `text` with each known placeholder replaced by its value.
    public func fill(_ text: String) -> String {
        guard !values.isEmpty, text.contains("{") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"), let value = values[String(rest[afterOpen..<close])] {
                result += value
                rest = rest[rest.index(after: close)...]
            } else {
                result.append("{")
                rest = rest[afterOpen...]
            }
        }
        return result + rest
    }

    public func fill(_ text: String?) -> String? { text.map(fill) }

    /// The placeholders of `text` in a known namespace that are not known,
    /// e.g. `authority.mail` for a mistyped `authority.email`.
    static func unknownPlaceholders(in text: String) -> [String] {
        var unknown: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else { break }
            let name = rest[afterOpen..<close]
            if let dot = name.firstIndex(of: "."), namespaces.contains(name[..<dot]), !placeholders.contains(String(name)) {
                unknown.append(String(name))
            }
            rest = rest[afterOpen...]
        }
        return unknown
    }
}
