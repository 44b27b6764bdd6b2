/// Where cases are kept. The `CaseService` decides; a store only reads and
/// writes what it is told, in one transaction per service call. PostgreSQL
/// implements it in `BlankettPostgres`; the tests have one in memory.
public protocol CaseStore: Sendable {
    /// Runs `body` in one transaction: committed when it returns, rolled back
    /// (nothing changed) when it throws. `body` runs synchronously on a thread
    /// where blocking is allowed.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any CaseStoreConnection) throws -> T) async throws -> T

    /// Runs `body` for reading only.
    func read<T: Sendable>(_ body: @escaping @Sendable (any CaseStoreConnection) throws -> T) async throws -> T
}

/// Which cases a list shows: of some organisations and their sub-units, optionally one state,
/// the year the period ends and some form versions (a grant's), and one page
/// of them after the case `after` (keyset: deadline, start, id).
public struct CaseListQuery: Sendable, Hashable {
    public var organisationIDs: [OrganisationID]
    /// Nil: any state.
    public var states: [CaseState]?
    public var periodEndYear: Int?
    /// Nil: any form. Empty: none.
    public var formIDs: [String]?
    /// The last case of the previous page.
    public var after: CaseID?
    public var limit: Int?
    /// Latest deadline first (the dashboard: this year's round before
    /// earlier years'); otherwise earliest first (the API).
    public var newestFirst: Bool

    public init(organisationIDs: [OrganisationID], states: [CaseState]? = nil, periodEndYear: Int? = nil, formIDs: [String]? = nil,
                after: CaseID? = nil, limit: Int? = nil, newestFirst: Bool = false) {
        self.newestFirst = newestFirst
        self.organisationIDs = organisationIDs
        self.states = states
        self.periodEndYear = periodEndYear
        self.formIDs = formIDs
        self.after = after
        self.limit = limit
    }
}

extension CaseStoreConnection {
    /// Every case of one organisation, as a list shows them.
    public func loadCases(organisationID: OrganisationID, visibleTo personID: PersonID) throws -> [CaseRecord] {
        try loadCases(CaseListQuery(organisationIDs: [organisationID]), visibleTo: personID)
    }
}

/// One connection of a store, inside `transaction` or `read`. Every method is
/// one question or one write; none decides anything about a case.
public protocol CaseStoreConnection {
    // MARK: Cases and people

    /// The case, when `personID` is a member of its organisation or of the
    /// organisation's parent (nil: unscoped, for the server's own tools).
    /// `forUpdate` locks the case until the transaction ends.
    /// Throws `CaseError.notFound()` otherwise.
    func loadCase(_ caseID: CaseID, scopedTo personID: PersonID?, forUpdate: Bool) throws -> CaseRecord

    /// The cases `personID` may see that `query` asks for, by deadline (then
    /// start, then id), in one query, as a list shows them: without answers
    /// and round values (both empty).
    func loadCases(_ query: CaseListQuery, visibleTo personID: PersonID) throws -> [CaseRecord]

    /// The person with their roles in `organisationID` and its parent. Throws
    /// `CaseError.notFound("Organisationen")` when they belong to neither.
    func actor(_ personID: PersonID, organisationID: OrganisationID) throws -> CaseActor

    /// The stored password hash of a person, nil when they have none.
    func passwordHash(of personID: PersonID) throws -> String?

    /// The person's title, as a signature shows it.
    func title(of personID: PersonID) throws -> String

    /// The store's clock as a UTC ISO 8601 text (`2021-01-04T09:15:00Z`),
    /// the time a signature records.
    func now() throws -> String

    // MARK: Answers

    /// The answers as they were saved in `version`, nil when there is no such version.
    func answers(of caseID: CaseID, version: Int) throws -> JSONValue?

    /// Stores `answers` as the case's answers in `version` (and keeps that version).
    func writeAnswers(_ answers: JSONValue, version: Int, of caseID: CaseID) throws

    /// The answers as they were when the case was last sent back to draft
    /// (by a return or a rejecting decision); nil when it never was.
    func answersAtLastReturn(of caseID: CaseID) throws -> JSONValue?

    // MARK: Creating

    /// The facts of a grant round a new case needs; nil when there is no
    /// such round or it is not open to the organisation (another county's).
    func round(_ roundID: RoundID, openTo organisationID: OrganisationID) throws -> RoundFacts?

    /// The nämnder of an organisation (ids), and whether a nämnd belongs to
    /// the organisation or its parent.
    func namnder(of organisationID: OrganisationID) throws -> [NamndID]
    func namnd(_ namndID: NamndID, belongsTo organisationID: OrganisationID) throws -> Bool

    /// The values the round gives the organisation (empty when none).
    func roundInputs(roundID: RoundID, organisationID: OrganisationID) throws -> JSONObject

    /// The organisation's cases whose period ended before `date`, latest first.
    func earlierCases(organisationID: OrganisationID, endingBefore date: LocalDate) throws -> [EarlierCase]

    /// Inserts a case in draft with its first version of answers; returns its id.
    /// Throws `CaseError(.duplicate)` when the organisation has a case of the round already.
    func insertCase(_ newCase: NewCase) throws -> CaseID

    // MARK: The audit trail

    /// Appends an event; returns its id.
    @discardableResult
    func appendEvent(_ event: NewCaseEvent) throws -> Int

    /// The audit trail, oldest first.
    func events(of caseID: CaseID) throws -> [CaseEvent]

    // MARK: Workflow

    /// Stores the state and facts of `workflow` as the case's.
    func writeWorkflow(_ workflow: CaseWorkflow, of caseID: CaseID) throws

    func insertSignature(_ signature: NewSignature) throws
    func voidSignatures(of caseID: CaseID, byEvent eventID: Int) throws

    /// Throws `CaseError(.duplicate)` when the number is taken in the organisation.
    func storeNamndDiarienummer(_ number: Diarienummer, of record: CaseRecord) throws
    func storeAuthorityDiarienummer(_ number: Diarienummer, of caseID: CaseID) throws
    func storeEServiceReference(_ reference: String, of caseID: CaseID) throws

    /// Keeps `grant` on the case and merges `roundValues` into what the
    /// report-back round gives the case's organisation, with an entry in the
    /// round values' history naming the case's event.
    func storeAuthorityGrant(_ grant: AuthorityGrant, roundValues: JSONObject, reportBackRoundID: RoundID,
                             of record: CaseRecord, by actor: CaseActor, eventID: Int) throws

    /// The diarium prefix of a nämnd (`SN`).
    func diariumPrefix(of namndID: NamndID) throws -> String

    /// The highest running number of `prefix` in `year` in the organisation
    /// (0 when none), serialised per organisation and year until the
    /// transaction ends, so two secretaries never get the same next number.
    func lastNamndNumber(organisationID: OrganisationID, prefix: String, year: Int) throws -> Int

    /// Queues what a sending transition sends (composed by the store's dispatcher).
    func dispatch(_ kind: WorkflowAction.Dispatch, for record: CaseRecord, workflow: CaseWorkflow) throws

    /// Queues the notice to the case's editors that `actor` returned it.
    func notifyReturned(_ record: CaseRecord, by actor: CaseActor, comment: String, voidedSignatures: Int) throws

    // MARK: Signatures and deadlines

    /// The valid (not voided) signatures of a case, in signing order.
    func signatures(of caseID: CaseID) throws -> [StoredSignature]

    /// The case with a valid signature whose snapshot SHA-256 begins with `hexPrefix`.
    func caseID(signedSnapshotPrefix hexPrefix: String) throws -> CaseID?

    /// Cases of the organisation not yet sent whose deadline is on or before
    /// `horizon`, and rounds with values for the organisation but no case yet.
    func deadlines(organisationID: OrganisationID, until horizon: LocalDate, today: LocalDate) throws -> [DeadlineItem]
}

/// What a new case takes from its grant round.
public struct RoundFacts: Sendable {
    public let formID: String
    public let requiredSignatures: Int
    public let periodStart: LocalDate
    public let periodEnd: LocalDate
    public let deadline: LocalDate

    public init(formID: String, requiredSignatures: Int, periodStart: LocalDate, periodEnd: LocalDate, deadline: LocalDate) {
        self.formID = formID
        self.requiredSignatures = requiredSignatures
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.deadline = deadline
    }
}

/// An earlier case of the same organisation, for answers carried over.
public struct EarlierCase: Sendable {
    public let id: CaseID
    public let formID: String
    public let answers: JSONValue

    public init(id: CaseID, formID: String, answers: JSONValue) {
        self.id = id
        self.formID = formID
        self.answers = answers
    }
}

/// A case about to be inserted.
public struct NewCase: Sendable {
    public let organisationID: OrganisationID
    public let roundID: RoundID
    public let namndID: NamndID?
    public let formID: String
    public let formSHA256: String
    public let answers: JSONValue
    public let requiredSignatures: Int
    public let createdBy: PersonID
}

/// A signature about to be stored: the frozen snapshot, its digest and the seal.
public struct NewSignature: Sendable {
    public let record: SignatureRecord
    /// `CaseSnapshot.canonicalBytes()`, the bytes `record.snapshotSHA256Hex` digests.
    public let snapshotBytes: [UInt8]
    public let seal: [UInt8]
    public let publicKey: [UInt8]
}
