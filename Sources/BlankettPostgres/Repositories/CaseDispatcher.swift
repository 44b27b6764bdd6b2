import BlankettCore

/// Writes what a transition sends (the signed form and the decision to the
/// authority, the notice of a return to the case's editors) into the outbox,
/// inside the transition's transaction, so that a case is "sent" exactly when
/// its message is queued. The mail module implements it; without one the
/// store records a bare outbox row for the authority and no notice.
public protocol CaseDispatcher: Sendable {
    func enqueue(_ dispatch: WorkflowAction.Dispatch, for record: CaseRecord, workflow: CaseWorkflow, on connection: PostgresConnection) throws

    /// Tells the editors of the case's organisation (except `actor`) that
    /// `actor` returned it to draft with `comment`. Queues nothing when no
    /// editor has an address to write to.
    func notifyReturned(_ record: CaseRecord, by actor: CaseActor, comment: String, voidedSignatures: Int, on connection: PostgresConnection) throws
}

/// A valid signature as the PDF and the messages show it.
public struct SignatureSummary: Sendable {
    public let sequence: Int
    public let name: String
    public let title: String
    public let signedAt: String
    public let snapshotSHA256: String
    /// The identity provider's assertion, for a signature given through it.
    public let assertion: SigningAssertion?
}

extension PostgresCaseStore {
    /// The valid signatures of a case, inside a transaction.
    public static func signatures(of caseID: CaseID, on connection: PostgresConnection) throws -> [SignatureSummary] {
        try connection.query("""
            SELECT sequence, signer_name, signer_title, signed_at_text, snapshot_sha256, assertion FROM case_signatures
            WHERE case_id = \(caseID)::uuid AND voided_at IS NULL ORDER BY sequence
            """).map { row in
            let (sequence, name, title, signedAt, digest) = try row.decode((Int, String, String, String, String).self)
            return SignatureSummary(sequence: sequence, name: name, title: title, signedAt: signedAt, snapshotSHA256: digest,
                                    assertion: try row.decode(JSONValue?.self, at: 5).flatMap(SigningAssertion.init(json:)))
        }
    }
}
