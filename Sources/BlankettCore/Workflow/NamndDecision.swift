/// What the nämnd decided at its meeting ("Socialnämnden godkänner att
/// ansökan … inges till Länsstyrelsen").
public struct NamndDecision: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        case approved
        /// Sent back to the förvaltning: the case returns to draft.
        case rejected
    }

    public let meetingDate: LocalDate
    /// The minute's paragraph as printed, e.g. `§ 12`.
    public let paragraph: String
    public let text: String
    public let outcome: Outcome

    public init(meetingDate: LocalDate, paragraph: String, text: String, outcome: Outcome) {
        self.meetingDate = meetingDate
        self.paragraph = paragraph
        self.text = text
        self.outcome = outcome
    }

    /// The stored form: `{"meeting_date","paragraph","text","outcome"}`.
    public var json: JSONValue {
        .object([
            "meeting_date": .string(meetingDate.description),
            "paragraph": .string(paragraph),
            "text": .string(text),
            "outcome": .string(outcome.rawValue),
        ])
    }

    public init?(json: JSONValue) {
        guard let date = json["meeting_date"]?.stringValue.flatMap({ LocalDate(iso: $0) }),
              let paragraph = json["paragraph"]?.stringValue,
              let text = json["text"]?.stringValue,
              let outcome = json["outcome"]?.stringValue.flatMap(Outcome.init(rawValue:)) else { return nil }
        self.init(meetingDate: date, paragraph: paragraph, text: text, outcome: outcome)
    }
}
