/// What the persistence layer must do, in the same transaction as the state
/// change, for a transition to be complete.
public enum WorkflowAction: Sendable, Hashable {
    /// Freeze the case as it is now and store the actor's signature over it.
    case recordSignature(sequence: Int)
    /// Mark every signature of the case void (the content may change again).
    case voidSignatures
    /// Store the nämnd's diarienummer (unique per organisation and year).
    case storeNamndDiarienummer(Diarienummer)
    case storeDecision(NamndDecision)
    case storeAuthorityDiarienummer(Diarienummer)
    /// Keep the authority's decision on the case and give its values to the
    /// organisation in the report-back round.
    case storeAuthorityGrant(AuthorityGrant)
    /// Put a message to the authority in the outbox.
    case dispatch(Dispatch)
    /// Tell the case's editors that it is back with them: who returned it is
    /// the actor, `comment` says why, `voidedSignatures` how many signatures
    /// the return voided (0 when nobody had signed).
    case notifyReturned(comment: String, voidedSignatures: Int)

    public enum Dispatch: String, Sendable, Hashable {
        /// The signed form, with the nämnd's decision.
        case formWithDecision = "form_with_decision"
        /// The signed form before the nämnd has decided; the decision follows.
        case formBeforeDecision = "form_before_decision"
        /// The nämnd's decision, after the form.
        case decisionFollowUp = "decision_follow_up"
    }
}
