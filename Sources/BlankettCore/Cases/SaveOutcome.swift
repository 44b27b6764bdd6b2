/// The outcome of saving answers.
public struct SaveOutcome: Sendable {
    public let version: Int
    /// Every finding of the whole form after the save (filter by step for one page).
    public let findings: [Finding]
    /// Answers to questions that are not asked, dropped by the save.
    public let droppedPaths: [String]
    /// What the save changed (empty when nothing did: no new version then).
    public let changes: [AnswerChange]
    /// The case as it is stored after the save.
    public let record: CaseRecord
}
