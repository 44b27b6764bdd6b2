import BlankettCore
import Foundation
import Synchronization

/// A `CaseStore` in memory, for testing the `CaseService`'s decisions without
/// a database. A transaction works on a copy that replaces the state only
/// when the body returns.
final class InMemoryCaseStore: CaseStore {
    struct Organisation {
        var name: String
        var organisationsnummer: String
        var parentID: OrganisationID?
    }

    struct Person {
        var name: String
        var title: String
        var passwordHash: String?
        /// Organisation id → roles there.
        var roles: [OrganisationID: Set<Role>]
    }

    struct Round {
        var facts: RoundFacts
        var title: String
        var deadline: LocalDate
        var reportBack: RoundID? = nil
    }

    struct StoredCase {
        var newCase: NewCase
        var workflow: CaseWorkflow
        var answers: JSONValue
        var version: Int
        var namndDiarienummer: Diarienummer?
        var authorityDiarienummer: Diarienummer?
        var authorityGrant: AuthorityGrant?
    }

    struct State {
        var organisations: [OrganisationID: Organisation] = [:]
        var people: [PersonID: Person] = [:]
        var namnder: [NamndID: (organisationID: OrganisationID, prefix: String)] = [:]
        var rounds: [RoundID: Round] = [:]
        /// By `inputKey(round, organisation)`.
        var inputs: [String: JSONObject] = [:]
        var cases: [CaseID: StoredCase] = [:]
        var versions: [CaseID: [Int: JSONValue]] = [:]
        var events: [CaseID: [CaseEvent]] = [:]
        var signatures: [CaseID: [(signature: NewSignature, voidedBy: Int?)]] = [:]
        var dispatched: [(caseID: CaseID, kind: WorkflowAction.Dispatch)] = []
        var notices: [(caseID: CaseID, comment: String)] = []
        var nextID = 1
        var clock = "2021-01-04T09:15:00Z"

        static func inputKey(_ round: RoundID, _ organisation: OrganisationID) -> String { round.uuid + "/" + organisation.uuid }
    }

    let state = Mutex(State())
    func inspect<T>(_ body: (State) -> T) -> T { state.withLock { body($0) } }
    func change(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any CaseStoreConnection) throws -> T) async throws -> T {
        try state.withLock { state in
            let connection = Connection(state: state)
            let result = try body(connection)
            state = connection.state
            return result
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any CaseStoreConnection) throws -> T) async throws -> T {
        try state.withLock { state in try body(Connection(state: state)) }
    }

    final class Connection: CaseStoreConnection {
        var state: State

        init(state: State) {
            self.state = state
        }

        private func isMember(_ personID: PersonID, of organisationID: OrganisationID) -> Bool {
            guard let person = state.people[personID], let organisation = state.organisations[organisationID] else { return false }
            return person.roles[organisationID] != nil || organisation.parentID.map { person.roles[$0] != nil } == true
        }

        func loadCase(_ caseID: CaseID, scopedTo personID: PersonID?, forUpdate: Bool) throws -> CaseRecord {
            guard let stored = state.cases[caseID], personID.map({ isMember($0, of: stored.newCase.organisationID) }) ?? true else {
                throw CaseError.notFound()
            }
            return record(caseID, stored)
        }

        private func record(_ id: CaseID, _ stored: StoredCase) -> CaseRecord {
            let organisation = state.organisations[stored.newCase.organisationID]!
            let round = state.rounds[stored.newCase.roundID]!
            var workflow = stored.workflow
            workflow.namndDiarienummer = stored.namndDiarienummer
            workflow.authorityDiarienummer = stored.authorityDiarienummer
            workflow.feedsReportBack = round.reportBack != nil
            workflow.signers = (state.signatures[id] ?? []).filter { $0.voidedBy == nil }.map { PersonID(unchecked: $0.signature.record.signerID) }
            return CaseRecord(
                id: id, organisationID: stored.newCase.organisationID, organisationName: organisation.name,
                organisationsnummer: organisation.organisationsnummer, namndID: stored.newCase.namndID,
                roundID: stored.newCase.roundID, roundKey: stored.newCase.roundID.uuid, roundTitle: round.title,
                formID: stored.newCase.formID, formSHA256: stored.newCase.formSHA256,
                periodStart: round.facts.periodStart, periodEnd: round.facts.periodEnd, deadline: round.deadline,
                roundInputs: state.inputs[State.inputKey(stored.newCase.roundID, stored.newCase.organisationID)] ?? JSONObject(),
                authorityName: "Länsstyrelsen", authorityEmail: "lansstyrelsen@example.se", subjectTemplate: "{form}",
                reportBackRoundID: round.reportBack, authorityGrant: stored.authorityGrant,
                answers: stored.answers, answersVersion: stored.version, workflow: workflow
            )
        }

        func loadCases(_ query: CaseListQuery, visibleTo personID: PersonID) throws -> [CaseRecord] {
            let listed = state.cases.filter { entry in
                let owner = entry.value.newCase.organisationID
                let parent = state.organisations[owner]?.parentID
                return (query.organisationIDs.contains(owner) || parent.map(query.organisationIDs.contains) == true) && isMember(personID, of: owner)
            }
                .sorted { $0.key < $1.key }.map { record($0.key, $0.value) }
                .filter { record in
                    (query.states.map { $0.contains(record.state) } ?? true) && (query.periodEndYear.map { record.periodEnd.year == $0 } ?? true)
                        && (query.formIDs.map { $0.contains(record.formID) } ?? true)
                }
            let ordered = query.newestFirst ? listed.reversed() : listed
            let start = query.after.flatMap { after in ordered.firstIndex { $0.id == after }.map { $0 + 1 } } ?? 0
            return Array(ordered.dropFirst(start).prefix(query.limit ?? .max))
        }

        func actor(_ personID: PersonID, organisationID: OrganisationID) throws -> CaseActor {
            guard let person = state.people[personID], isMember(personID, of: organisationID) else { throw CaseError.notFound("Organisationen") }
            let parent = state.organisations[organisationID]?.parentID
            let roles = (person.roles[organisationID] ?? []).union(parent.flatMap { person.roles[$0] } ?? [])
            return CaseActor(userID: personID, name: person.name, roles: roles)
        }

        func passwordHash(of personID: PersonID) throws -> String? {
            state.people[personID]?.passwordHash
        }

        func title(of personID: PersonID) throws -> String { state.people[personID]?.title ?? "" }
        func now() throws -> String { state.clock }

        func answers(of caseID: CaseID, version: Int) throws -> JSONValue? { state.versions[caseID]?[version] }

        func writeAnswers(_ answers: JSONValue, version: Int, of caseID: CaseID) throws {
            state.cases[caseID]?.answers = answers
            state.cases[caseID]?.version = version
            state.versions[caseID, default: [:]][version] = answers
        }

        func answersAtLastReturn(of caseID: CaseID) throws -> JSONValue? {
            guard let event = state.events[caseID]?.last(where: { $0.toState == .draft && ["return", "decide"].contains($0.kind) }),
                  let version = event.details["version"]?.numberText.flatMap({ Int($0) }) else { return nil }
            return state.versions[caseID]?[version]
        }

        func round(_ roundID: RoundID, openTo organisationID: OrganisationID) throws -> RoundFacts? { state.rounds[roundID]?.facts }
        func namnder(of organisationID: OrganisationID) throws -> [NamndID] { state.namnder.filter { $0.value.organisationID == organisationID }.map(\.key) }

        func namnd(_ namndID: NamndID, belongsTo organisationID: OrganisationID) throws -> Bool {
            guard let owner = state.namnder[namndID]?.organisationID else { return false }
            return owner == organisationID || state.organisations[organisationID]?.parentID == owner
        }

        func roundInputs(roundID: RoundID, organisationID: OrganisationID) throws -> JSONObject { state.inputs[State.inputKey(roundID, organisationID)] ?? JSONObject() }

        func earlierCases(organisationID: OrganisationID, endingBefore date: LocalDate) throws -> [EarlierCase] {
            state.cases.filter { $0.value.newCase.organisationID == organisationID && state.rounds[$0.value.newCase.roundID]!.facts.periodEnd < date }
                .sorted { state.rounds[$0.value.newCase.roundID]!.facts.periodEnd > state.rounds[$1.value.newCase.roundID]!.facts.periodEnd }
                .map { EarlierCase(id: $0.key, formID: $0.value.newCase.formID, answers: $0.value.answers) }
        }

        func insertCase(_ newCase: NewCase) throws -> CaseID {
            guard !state.cases.values.contains(where: { $0.newCase.roundID == newCase.roundID && $0.newCase.organisationID == newCase.organisationID }) else {
                throw CaseError(.duplicate, "Det finns redan ett ärende för den här omgången.")
            }
            let id = CaseID(unchecked: UUID().uuidString.lowercased())
            state.cases[id] = StoredCase(newCase: newCase, workflow: CaseWorkflow(requiredSignatures: newCase.requiredSignatures),
                                         answers: newCase.answers, version: 1)
            state.versions[id] = [1: newCase.answers]
            return id
        }

        func appendEvent(_ event: NewCaseEvent) throws -> Int {
            let id = state.nextID
            state.nextID += 1
            state.events[event.caseID, default: []].append(CaseEvent(
                id: id, actorID: event.actor?.userID, actorName: event.actor?.name ?? "Blankett", at: state.clock, kind: event.kind,
                fromState: event.fromState, toState: event.toState, comment: event.comment, details: .object(event.details)))
            return id
        }

        func events(of caseID: CaseID) throws -> [CaseEvent] { state.events[caseID] ?? [] }

        func writeWorkflow(_ workflow: CaseWorkflow, of caseID: CaseID) throws {
            state.cases[caseID]?.workflow = workflow
        }

        func insertSignature(_ signature: NewSignature) throws {
            state.signatures[CaseID(unchecked: signature.record.caseID), default: []].append((signature, nil))
        }

        func voidSignatures(of caseID: CaseID, byEvent eventID: Int) throws {
            state.signatures[caseID] = state.signatures[caseID]?.map { $0.voidedBy == nil ? ($0.signature, eventID) : $0 }
        }

        func storeNamndDiarienummer(_ number: Diarienummer, of record: CaseRecord) throws {
            if state.cases.contains(where: { $0.key != record.id && $0.value.newCase.organisationID == record.organisationID && $0.value.namndDiarienummer == number }) {
                throw CaseError(.duplicate, "Diarienumret \(number.formatted) används redan.")
            }
            state.cases[record.id]?.namndDiarienummer = number
        }

        func storeAuthorityDiarienummer(_ number: Diarienummer, of caseID: CaseID) throws { state.cases[caseID]?.authorityDiarienummer = number }

        func storeEServiceReference(_ reference: String, of caseID: CaseID) throws {}

        func storeAuthorityGrant(_ grant: AuthorityGrant, roundValues: JSONObject, reportBackRoundID: RoundID,
                                 of record: CaseRecord, by actor: CaseActor, eventID: Int) throws {
            state.cases[record.id]?.authorityGrant = grant
            if state.cases[record.id]?.authorityDiarienummer == nil { state.cases[record.id]?.authorityDiarienummer = grant.diarienummer }
            let key = State.inputKey(reportBackRoundID, record.organisationID)
            var inputs = state.inputs[key] ?? JSONObject()
            for (name, value) in roundValues { inputs[name] = value }
            state.inputs[key] = inputs
        }
        func diariumPrefix(of namndID: NamndID) throws -> String { state.namnder[namndID]!.prefix }

        func lastNamndNumber(organisationID: OrganisationID, prefix: String, year: Int) throws -> Int {
            state.cases.values.filter { $0.newCase.organisationID == organisationID && $0.namndDiarienummer?.year == year }
                .compactMap { $0.namndDiarienummer?.formatted.split(separator: ":").last.flatMap { Int($0) } }.max() ?? 0
        }

        func dispatch(_ kind: WorkflowAction.Dispatch, for record: CaseRecord, workflow: CaseWorkflow) throws { state.dispatched.append((record.id, kind)) }

        func notifyReturned(_ record: CaseRecord, by actor: CaseActor, comment: String, voidedSignatures: Int) throws {
            state.notices.append((record.id, comment))
        }

        func signatures(of caseID: CaseID) throws -> [StoredSignature] {
            (state.signatures[caseID] ?? []).filter { $0.voidedBy == nil }.map {
                StoredSignature(record: $0.signature.record, snapshotBytes: $0.signature.snapshotBytes, seal: $0.signature.seal, publicKey: $0.signature.publicKey)
            }
        }

        func caseID(signedSnapshotPrefix hexPrefix: String) throws -> CaseID? {
            state.signatures.first { $0.value.contains { $0.voidedBy == nil && $0.signature.record.snapshotSHA256Hex.hasPrefix(hexPrefix) } }?.key
        }

        func deadlines(organisationID: OrganisationID, until horizon: LocalDate, today: LocalDate) throws -> [DeadlineItem] {
            state.cases.filter { $0.value.newCase.organisationID == organisationID }.compactMap { id, stored in
                let round = state.rounds[stored.newCase.roundID]!
                guard round.deadline <= horizon, ![.sent, .received].contains(stored.workflow.state) else { return nil }
                return DeadlineItem(caseID: id, roundID: stored.newCase.roundID, roundTitle: round.title, formID: round.facts.formID,
                                    deadline: round.deadline, state: stored.workflow.state, isOverdue: round.deadline < today)
            }
        }
    }
}
