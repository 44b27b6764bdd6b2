/// Every decision about a case: who may see and change it, what a save
/// stores, which transitions are open and what they do. Storage sits behind
/// `CaseStore`; each call is one transaction (or one read) in which the case
/// row is loaded once. The pages, the API and the command line all come here.
///
/// Every call names the person asking; a case of an organisation they do not
/// belong to (or whose parent they do not belong to) behaves as not found.
public struct CaseService: Sendable {
    public let store: any CaseStore
    public let catalog: FormCatalog
    public let sealingKey: SealingKey
    /// Public keys whose seals `verify` accepts: the current key's and retired ones.
    public let trustedPublicKeys: [[UInt8]]
    /// Where a signer's password is checked. Default: on the calling task;
    /// the server sets the same `PasswordGate` its sign-in uses.
    public var passwordChecker: any PasswordChecking = InlinePasswordChecking()

    public init(store: any CaseStore, catalog: FormCatalog, sealingKey: SealingKey, retiredPublicKeys: [[UInt8]] = []) {
        self.store = store
        self.catalog = catalog
        self.sealingKey = sealingKey
        self.trustedPublicKeys = [sealingKey.publicKey] + retiredPublicKeys
    }

    // MARK: Reading

    /// The case, if `personID` belongs to its organisation (or its parent).
    public func find(_ caseID: CaseID, for personID: PersonID) async throws -> CaseRecord {
        try await store.read { try $0.loadCase(caseID, scopedTo: personID, forUpdate: false) }
    }

    /// The case with its form and what the person may do with it, in one read.
    public func open(_ caseID: CaseID, for personID: PersonID) async throws -> OpenedCase {
        let catalog = self.catalog
        return try await store.read { connection in
            let record = try connection.loadCase(caseID, scopedTo: personID, forUpdate: false)
            let actor = try connection.actor(personID, organisationID: record.organisationID)
            return OpenedCase(record: record, definition: try Self.definition(of: record, in: catalog), actor: actor)
        }
    }

    /// Everything the case page shows, in one read: the case, its audit
    /// trail, its signatures checked against it, and what changed since it
    /// was last sent back (only while it is a draft).
    public func overview(_ caseID: CaseID, for personID: PersonID) async throws -> CaseOverview {
        let catalog = self.catalog
        let trusted = trustedPublicKeys
        return try await store.read { connection in
            let record = try connection.loadCase(caseID, scopedTo: personID, forUpdate: false)
            let actor = try connection.actor(personID, organisationID: record.organisationID)
            let definition = try Self.definition(of: record, in: catalog)
            let changes = try record.state == .draft
                ? connection.answersAtLastReturn(of: record.id).map { AnswerDiff.changes(from: $0, to: record.answers, definition: definition) } ?? []
                : []
            return CaseOverview(
                opened: OpenedCase(record: record, definition: definition, actor: actor),
                events: try connection.events(of: record.id),
                signatures: try Self.verdicts(record, signatures: connection.signatures(of: record.id), trusted: trusted, catalog: catalog),
                changesSinceReturn: changes
            )
        }
    }

    /// The cases of an organisation the person belongs to, by deadline, as
    /// summaries for a list: their answers and round values are not loaded
    /// (empty); `open` or `find` a case for those.
    public func cases(organisationID: OrganisationID, for personID: PersonID) async throws -> [CaseRecord] {
        try await store.read { try $0.loadCases(organisationID: organisationID, visibleTo: personID) }
    }

    /// One page of the cases `query` asks for that the person may see, the same way.
    public func cases(_ query: CaseListQuery, for personID: PersonID) async throws -> [CaseRecord] {
        try await store.read { try $0.loadCases(query, visibleTo: personID) }
    }

    /// The person with their roles in an organisation (and its parent).
    public func actor(_ personID: PersonID, organisationID: OrganisationID) async throws -> CaseActor {
        try await store.read { try $0.actor(personID, organisationID: organisationID) }
    }

    public func definition(of record: CaseRecord) throws -> FormDefinition {
        try Self.definition(of: record, in: catalog)
    }

    /// The engine's findings for the case as it is stored.
    public func validate(_ caseID: CaseID, for personID: PersonID) async throws -> ValidationResult {
        let record = try await find(caseID, for: personID)
        return try definition(of: record).validate(record.answers, context: record.validationContext)
    }

    /// The audit trail of a case, oldest first.
    public func events(_ caseID: CaseID, for personID: PersonID) async throws -> [CaseEvent] {
        try await store.read { connection in
            let record = try connection.loadCase(caseID, scopedTo: personID, forUpdate: false)
            return try connection.events(of: record.id)
        }
    }

    /// What changed since the case was last sent back (by a return or a
    /// rejecting decision), field by field with labels; empty when it never was.
    public func changesSinceReturn(_ caseID: CaseID, for personID: PersonID) async throws -> [AnswerChange] {
        let catalog = self.catalog
        return try await store.read { connection in
            let record = try connection.loadCase(caseID, scopedTo: personID, forUpdate: false)
            guard let returned = try connection.answersAtLastReturn(of: record.id) else { return [] }
            return AnswerDiff.changes(from: returned, to: record.answers, definition: catalog[record.formID]?.definition)
        }
    }

    /// Cases not yet sent whose deadline has passed or falls within `days`
    /// of `today`, and rounds with values for the organisation but no case
    /// yet, ordered by deadline.
    public func deadlines(organisationID: OrganisationID, within days: Int, today: LocalDate, for personID: PersonID) async throws -> [DeadlineItem] {
        let horizon = today.adding(days: max(0, days))
        return try await store.read { connection in
            _ = try connection.actor(personID, organisationID: organisationID)
            return try connection.deadlines(organisationID: organisationID, until: horizon, today: today)
        }
    }

    // MARK: Signatures

    /// Every valid signature of the case checked against the case as stored
    /// now, for a person of its organisation.
    public func verifySignatures(_ caseID: CaseID, for personID: PersonID) async throws -> [SignatureVerdict] {
        try await verifySignatures(caseID, scopedTo: personID)
    }

    /// The same without a person: for `blankett verify`, run by whoever runs the server.
    public func verifySignatures(caseID: CaseID) async throws -> [SignatureVerdict] {
        try await verifySignatures(caseID, scopedTo: nil)
    }

    private func verifySignatures(_ caseID: CaseID, scopedTo personID: PersonID?) async throws -> [SignatureVerdict] {
        let catalog = self.catalog
        let trusted = trustedPublicKeys
        return try await store.read { connection in
            let record = try connection.loadCase(caseID, scopedTo: personID, forUpdate: false)
            return Self.verdicts(record, signatures: try connection.signatures(of: record.id), trusted: trusted, catalog: catalog)
        }
    }

    /// What a printed verification code (the first 12 hex digits of a signed
    /// snapshot's SHA-256, any case and dashes) belongs to, checked against the
    /// case as stored now. Public: the code is on the PDF the authority holds.
    public func verify(code: String) async throws -> (record: CaseRecord, verdicts: [SignatureVerdict])? {
        guard let digits = VerificationCode.digits(of: code) else { return nil }
        let catalog = self.catalog
        let trusted = trustedPublicKeys
        return try await store.read { connection in
            guard let caseID = try connection.caseID(signedSnapshotPrefix: digits) else { return nil }
            let record = try connection.loadCase(caseID, scopedTo: nil, forUpdate: false)
            return (record, Self.verdicts(record, signatures: try connection.signatures(of: record.id), trusted: trusted, catalog: catalog))
        }
    }

    static func verdicts(_ record: CaseRecord, signatures: [StoredSignature], trusted: [[UInt8]], catalog: FormCatalog) -> [SignatureVerdict] {
        let current = record.snapshot
        let definition = catalog[record.formID]?.definition
        return signatures.map { SignatureVerifier.verify($0, current: current, trustedPublicKeys: trusted, definition: definition) }
    }

    // MARK: Shared steps

    static func definition(of record: CaseRecord, in catalog: FormCatalog) throws -> FormDefinition {
        guard let entry = catalog[record.formID] else {
            throw CaseError(.formUnavailable, "Blanketten \(record.formID) som ärendet startades med finns inte längre bland de publicerade blanketterna.")
        }
        return entry.definition
    }
}

/// A case as a person opens it: the case, its form, and the person's roles.
public struct OpenedCase: Sendable {
    public let record: CaseRecord
    public let definition: FormDefinition
    public let actor: CaseActor

    public init(record: CaseRecord, definition: FormDefinition, actor: CaseActor) {
        self.record = record
        self.definition = definition
        self.actor = actor
    }

    /// The transitions this person may ask for now, asked of the workflow.
    public var availableCommands: [CaseCommand.Kind] { record.workflow.availableCommands(for: actor) }

    /// Whether this person may change the answers now.
    public var isEditable: Bool { (try? record.workflow.authorizeEditing(by: actor).get()) != nil }

    /// The engine's verdict on the stored answers.
    public func validation() -> ValidationResult { definition.validate(record.answers, context: record.validationContext) }
}

/// What the case page shows.
public struct CaseOverview: Sendable {
    public let opened: OpenedCase
    public let events: [CaseEvent]
    public let signatures: [SignatureVerdict]
    public let changesSinceReturn: [AnswerChange]
}
