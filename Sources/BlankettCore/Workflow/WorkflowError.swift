/// Why a transition was refused. Nothing changes when one is returned.
/// `message` is Swedish, for the person who tried; `code` is stable, for the API and tests.
public typealias WorkflowError = CodedError<WorkflowErrorCode>

public enum WorkflowErrorCode: String, Sendable, Hashable, CaseIterable {
    /// The actor lacks the role the transition needs in this organisation.
    case roleRequired = "role-required"
    /// The transition does not exist from the case's current state.
    case illegalTransition = "illegal-transition"
    /// The form still has errors.
    case validationErrors = "validation-errors"
    /// A warning has not been acknowledged with a comment.
    case warningNotAcknowledged = "warning-not-acknowledged"
    case reauthenticationRequired = "reauthentication-required"
    /// The same person tried to give the second signature too.
    case alreadySigned = "already-signed"
    case commentRequired = "comment-required"
    case wrongDiarienummer = "wrong-diarienummer"
    case alreadyDecided = "already-decided"
    case noDecision = "no-decision"
    case decisionAlreadySent = "decision-already-sent"
    case answersLocked = "answers-locked"
    /// The form or the round has no report-back for an authority's decision to feed.
    case noReportBack = "no-report-back"
}
