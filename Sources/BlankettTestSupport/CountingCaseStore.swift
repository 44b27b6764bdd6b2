import BlankettCore
import Synchronization

/// Wraps any `CaseStore` and counts the calls made through it, by name
/// (`loadCase(forUpdate)` for a locking load), so a test can say how often a
/// service call reads, locks and writes, against memory or PostgreSQL alike.
public final class CountingCaseStore: CaseStore {
    public let base: any CaseStore
    let calls = Mutex([String: Int]())

    public init(_ base: any CaseStore) {
        self.base = base
    }

    /// How often `call` was made since the last `reset()`.
    public func count(_ call: String) -> Int { calls.withLock { $0[call] ?? 0 } }
    public var total: Int { calls.withLock { $0.values.reduce(0, +) } }
    public func reset() { calls.withLock { $0 = [:] } }
    func add(_ call: String) { calls.withLock { $0[call, default: 0] += 1 } }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any CaseStoreConnection) throws -> T) async throws -> T {
        add("transaction")
        return try await base.transaction { try body(Connection(base: $0, store: self)) }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any CaseStoreConnection) throws -> T) async throws -> T {
        add("read")
        return try await base.read { try body(Connection(base: $0, store: self)) }
    }

    struct Connection: CaseStoreConnection {
        let base: any CaseStoreConnection
        let store: CountingCaseStore

        func counted<T>(_ call: String, _ body: () throws -> T) rethrows -> T {
            store.add(call)
            return try body()
        }

        func loadCase(_ caseID: CaseID, scopedTo personID: PersonID?, forUpdate: Bool) throws -> CaseRecord {
            try counted(forUpdate ? "loadCase(forUpdate)" : "loadCase") { try base.loadCase(caseID, scopedTo: personID, forUpdate: forUpdate) }
        }
        func loadCases(_ query: CaseListQuery, visibleTo personID: PersonID) throws -> [CaseRecord] {
            try counted("loadCases") { try base.loadCases(query, visibleTo: personID) }
        }
        func actor(_ personID: PersonID, organisationID: OrganisationID) throws -> CaseActor {
            try counted("actor") { try base.actor(personID, organisationID: organisationID) }
        }
        func passwordHash(of personID: PersonID) throws -> String? { try counted("passwordHash") { try base.passwordHash(of: personID) } }
        func title(of personID: PersonID) throws -> String { try counted("title") { try base.title(of: personID) } }
        func now() throws -> String { try counted("now") { try base.now() } }
        func answers(of caseID: CaseID, version: Int) throws -> JSONValue? { try counted("answers") { try base.answers(of: caseID, version: version) } }
        func writeAnswers(_ answers: JSONValue, version: Int, of caseID: CaseID) throws {
            try counted("writeAnswers") { try base.writeAnswers(answers, version: version, of: caseID) }
        }
        func answersAtLastReturn(of caseID: CaseID) throws -> JSONValue? { try counted("answersAtLastReturn") { try base.answersAtLastReturn(of: caseID) } }
        func round(_ roundID: RoundID, openTo organisationID: OrganisationID) throws -> RoundFacts? {
            try counted("round") { try base.round(roundID, openTo: organisationID) }
        }
        func namnder(of organisationID: OrganisationID) throws -> [NamndID] { try counted("namnder") { try base.namnder(of: organisationID) } }
        func namnd(_ namndID: NamndID, belongsTo organisationID: OrganisationID) throws -> Bool {
            try counted("namnd") { try base.namnd(namndID, belongsTo: organisationID) }
        }
        func roundInputs(roundID: RoundID, organisationID: OrganisationID) throws -> JSONObject {
            try counted("roundInputs") { try base.roundInputs(roundID: roundID, organisationID: organisationID) }
        }
        func earlierCases(organisationID: OrganisationID, endingBefore date: LocalDate) throws -> [EarlierCase] {
            try counted("earlierCases") { try base.earlierCases(organisationID: organisationID, endingBefore: date) }
        }
        func insertCase(_ newCase: NewCase) throws -> CaseID { try counted("insertCase") { try base.insertCase(newCase) } }
        func appendEvent(_ event: NewCaseEvent) throws -> Int { try counted("appendEvent") { try base.appendEvent(event) } }
        func events(of caseID: CaseID) throws -> [CaseEvent] { try counted("events") { try base.events(of: caseID) } }
        func writeWorkflow(_ workflow: CaseWorkflow, of caseID: CaseID) throws { try counted("writeWorkflow") { try base.writeWorkflow(workflow, of: caseID) } }
        func insertSignature(_ signature: NewSignature) throws { try counted("insertSignature") { try base.insertSignature(signature) } }
        func voidSignatures(of caseID: CaseID, byEvent eventID: Int) throws {
            try counted("voidSignatures") { try base.voidSignatures(of: caseID, byEvent: eventID) }
        }
        func storeNamndDiarienummer(_ number: Diarienummer, of record: CaseRecord) throws {
            try counted("storeNamndDiarienummer") { try base.storeNamndDiarienummer(number, of: record) }
        }
        func storeAuthorityDiarienummer(_ number: Diarienummer, of caseID: CaseID) throws {
            try counted("storeAuthorityDiarienummer") { try base.storeAuthorityDiarienummer(number, of: caseID) }
        }
        func storeEServiceReference(_ reference: String, of caseID: CaseID) throws {
            try counted("storeEServiceReference") { try base.storeEServiceReference(reference, of: caseID) }
        }
        func storeAuthorityGrant(_ grant: AuthorityGrant, roundValues: JSONObject, reportBackRoundID: RoundID,
                                 of record: CaseRecord, by actor: CaseActor, eventID: Int) throws {
            try counted("storeAuthorityGrant") {
                try base.storeAuthorityGrant(grant, roundValues: roundValues, reportBackRoundID: reportBackRoundID, of: record, by: actor, eventID: eventID)
            }
        }
        func diariumPrefix(of namndID: NamndID) throws -> String { try counted("diariumPrefix") { try base.diariumPrefix(of: namndID) } }
        func lastNamndNumber(organisationID: OrganisationID, prefix: String, year: Int) throws -> Int {
            try counted("lastNamndNumber") { try base.lastNamndNumber(organisationID: organisationID, prefix: prefix, year: year) }
        }
        func dispatch(_ kind: WorkflowAction.Dispatch, for record: CaseRecord, workflow: CaseWorkflow) throws {
            try counted("dispatch") { try base.dispatch(kind, for: record, workflow: workflow) }
        }
        func notifyReturned(_ record: CaseRecord, by actor: CaseActor, comment: String, voidedSignatures: Int) throws {
            try counted("notifyReturned") { try base.notifyReturned(record, by: actor, comment: comment, voidedSignatures: voidedSignatures) }
        }
        func signatures(of caseID: CaseID) throws -> [StoredSignature] { try counted("signatures") { try base.signatures(of: caseID) } }
        func caseID(signedSnapshotPrefix hexPrefix: String) throws -> CaseID? {
            try counted("caseID") { try base.caseID(signedSnapshotPrefix: hexPrefix) }
        }
        func deadlines(organisationID: OrganisationID, until horizon: LocalDate, today: LocalDate) throws -> [DeadlineItem] {
            try counted("deadlines") { try base.deadlines(organisationID: organisationID, until: horizon, today: today) }
        }
    }
}
