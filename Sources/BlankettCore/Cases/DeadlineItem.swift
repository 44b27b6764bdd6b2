/// A case or a round without a case, by its deadline.
public struct DeadlineItem: Sendable, Hashable {
    public let caseID: CaseID?
    public let roundID: RoundID
    public let roundTitle: String
    public let formID: String
    public let deadline: LocalDate
    /// `nil` when no case has been started.
    public let state: CaseState?
    public let isOverdue: Bool

    public init(caseID: CaseID?, roundID: RoundID, roundTitle: String, formID: String, deadline: LocalDate, state: CaseState?, isOverdue: Bool) {
        self.caseID = caseID
        self.roundID = roundID
        self.roundTitle = roundTitle
        self.formID = formID
        self.deadline = deadline
        self.state = state
        self.isOverdue = isOverdue
    }
}
