/// One entry of the audit trail.
public struct CaseEvent: Sendable, Hashable {
    public let id: Int
    public let actorID: PersonID?
    public let actorName: String
    /// UTC, ISO 8601.
    public let at: String
    public let kind: String
    public let fromState: CaseState?
    public let toState: CaseState?
    public let comment: String?
    public let details: JSONValue

    public init(id: Int, actorID: PersonID?, actorName: String, at: String, kind: String,
                fromState: CaseState?, toState: CaseState?, comment: String?, details: JSONValue) {
        self.id = id
        self.actorID = actorID
        self.actorName = actorName
        self.at = at
        self.kind = kind
        self.fromState = fromState
        self.toState = toState
        self.comment = comment
        self.details = details
    }
}

/// An entry of the audit trail about to be written; the store adds its id and time.
public struct NewCaseEvent: Sendable {
    public let caseID: CaseID
    public let organisationID: OrganisationID
    /// nil: Blankett itself.
    public let actor: CaseActor?
    public let kind: String
    public let fromState: CaseState?
    public let toState: CaseState?
    public let comment: String?
    public let details: JSONObject
}
