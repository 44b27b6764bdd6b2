import BlankettCore

/// Why a message is in the outbox (`outbox.kind`).
public enum OutboxKind: String, Sendable, Hashable, CaseIterable {
    /// The signed form, with the nämnd's decision.
    case formWithDecision = "form_with_decision"
    /// The signed form before the nämnd has decided; the decision follows.
    case formBeforeDecision = "form_before_decision"
    /// The nämnd's decision, after the form.
    case decisionFollowUp = "decision_follow_up"
    /// A reminder about a case (a deadline coming up).
    case reminder
    /// Telling the people of a case that it was returned to draft.
    case returnedNotice = "returned_notice"
    /// A one-time link to a person for resetting their password; belongs to no case.
    case passwordReset = "password_reset"
    /// An invitation to a person of another kommun to take roles in an organisation; belongs to no case.
    case invitation

    public init(_ dispatch: WorkflowAction.Dispatch) {
        switch dispatch {
        case .formWithDecision: self = .formWithDecision
        case .formBeforeDecision: self = .formBeforeDecision
        case .decisionFollowUp: self = .decisionFollowUp
        }
    }
}

/// Where a message is on its way (`outbox.status`).
public enum OutboxStatus: String, Sendable, Hashable, CaseIterable {
    /// Waiting for its next attempt (`nextAttemptAt`).
    case queued
    /// A worker is sending it now.
    case sending
    /// The server accepted it (or the folder transport wrote it).
    case sent
    /// Refused for good, or out of attempts; `resend` queues it again.
    case failed
}
