import BlankettCore

/// One case as read for a person who may see it: the form version it keeps,
/// its round, its answers and its workflow.
public struct CaseRecord: Sendable {
    public let id: String
    public let organisationID: String
    public let organisationName: String
    /// The kommun's number, also for a sub-unit.
    public let organisationsnummer: String
    public let namndID: String?
    public let roundID: String
    public let roundKey: String
    public let roundTitle: String
    public let formID: String
    public let formSHA256: String
    public let periodStart: LocalDate
    public let periodEnd: LocalDate
    public let deadline: LocalDate
    public let roundInputs: JSONObject
    public let authorityName: String
    public let authorityEmail: String
    public let subjectTemplate: String
    public let answers: JSONValue
    public let answersVersion: Int
    public let workflow: CaseWorkflow

    public var state: CaseState { workflow.state }

    /// What the form's rules see besides the answers.
    public var validationContext: ValidationContext {
        ValidationContext(
            periodStart: periodStart,
            periodEnd: periodEnd,
            roundInputs: Dictionary(uniqueKeysWithValues: roundInputs.map { ($0.key, $0.value) })
        )
    }

    /// What a signature freezes.
    public var snapshot: CaseSnapshot {
        CaseSnapshot(
            caseID: id,
            organisationID: organisationID,
            organisationName: organisationName,
            organisationsnummer: organisationsnummer,
            roundID: roundID,
            formID: formID,
            formSHA256: formSHA256,
            periodStart: periodStart,
            periodEnd: periodEnd,
            answers: answers
        )
    }
}

/// One entry of the audit trail.
public struct CaseEvent: Sendable, Hashable {
    public let id: Int
    public let actorID: String?
    public let actorName: String
    /// UTC, ISO 8601.
    public let at: String
    public let kind: String
    public let fromState: CaseState?
    public let toState: CaseState?
    public let comment: String?
    public let details: JSONValue
}

/// The outcome of saving answers.
public struct SaveOutcome: Sendable {
    public let version: Int
    /// Every finding of the whole form after the save (filter by step for one page).
    public let findings: [Finding]
    /// Answers to questions that are not asked, dropped by the save.
    public let droppedPaths: [String]
    /// What the save changed (empty when nothing did: no new version then).
    public let changes: [AnswerChange]
}

/// A case or a round without a case, by its deadline.
public struct DeadlineItem: Sendable, Hashable {
    public let caseID: String?
    public let roundID: String
    public let roundTitle: String
    public let formID: String
    public let deadline: LocalDate
    /// `nil` when no case has been started.
    public let state: CaseState?
    public let isOverdue: Bool
}
