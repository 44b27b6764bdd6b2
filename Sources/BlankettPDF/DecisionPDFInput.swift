import BlankettCore

/// A protokollsutdrag: the nämnd's decision on a case, as sent to the authority.
public struct DecisionPDFInput: Sendable {
    public var organisationName: String
    /// `Socialnämnden`.
    public var namndName: String
    public var meetingDate: LocalDate
    /// The protocol paragraph, e.g. `12` or `§ 12`.
    public var paragraph: String
    public var decisionText: String
    public var namndDiarienummer: String
    public var formTitle: String

    public init(
        organisationName: String,
        namndName: String,
        meetingDate: LocalDate,
        paragraph: String,
        decisionText: String,
        namndDiarienummer: String,
        formTitle: String
    ) {
        self.organisationName = organisationName
        self.namndName = namndName
        self.meetingDate = meetingDate
        self.paragraph = paragraph
        self.decisionText = decisionText
        self.namndDiarienummer = namndDiarienummer
        self.formTitle = formTitle
    }
}
