import BlankettCore
import Logging

/// Cases in PostgreSQL. Every call names the person asking; a case of an
/// organisation they do not belong to behaves as if it did not exist. Each
/// change runs in one transaction with its audit event.
public struct CaseRepository: Sendable {
    public let pool: PostgresConnectionPool
    public let catalog: FormCatalog
    public let sealingKey: SealingKey
    /// Public keys whose seals `verify` accepts: the current key's and retired ones.
    public let trustedPublicKeys: [[UInt8]]
    /// Composes and queues the messages of sending transitions (see `CaseDispatcher`).
    public var dispatcher: (any CaseDispatcher)?

    public init(pool: PostgresConnectionPool, catalog: FormCatalog, sealingKey: SealingKey, retiredPublicKeys: [[UInt8]] = [], dispatcher: (any CaseDispatcher)? = nil) {
        self.pool = pool
        self.catalog = catalog
        self.sealingKey = sealingKey
        self.trustedPublicKeys = [sealingKey.publicKey] + retiredPublicKeys
        self.dispatcher = dispatcher
    }

    // MARK: Reading

    /// The case, if `userID` belongs to its organisation (or its parent).
    public func find(_ caseID: String, for userID: String) async throws -> CaseRecord {
        try await pool.withConnection { connection in
            try Self.load(caseID, scopedTo: userID, on: connection, lock: false)
        }
    }

    /// The cases of an organisation the person belongs to, by deadline.
    public func cases(organisationID: String, for userID: String) async throws -> [CaseRecord] {
        guard Directory.isUUID(organisationID), Directory.isUUID(userID) else { return [] }
        return try await pool.withConnection { connection in
            let ids = try connection.query("""
                SELECT c.id::text FROM cases c JOIN grant_rounds r ON r.id = c.round_id
                WHERE c.organisation_id = \(organisationID)::uuid
                  AND EXISTS (SELECT 1 FROM memberships m JOIN organisations mo ON mo.id = c.organisation_id
                              WHERE m.user_id = \(userID)::uuid AND m.organisation_id IN (mo.id, mo.parent_id))
                ORDER BY r.deadline, c.created_at
                """).map { try $0.decode(String.self, at: 0) }
            return try ids.map { try Self.load($0, scopedTo: userID, on: connection, lock: false) }
        }
    }

    // MARK: Creating

    /// Starts a case of `roundID` for an organisation, prefilled with the
    /// round's values and, for fields marked `carry_over`, with the same
    /// organisation's answers of the latest earlier case of the same form.
    /// Without `namndID` the case belongs to the organisation's nämnd when it has exactly one.
    public func create(roundID: String, organisationID: String, namndID: String? = nil, by userID: String) async throws -> CaseRecord {
        try Directory.requireUUID(roundID, "Omgången")
        try Directory.requireUUID(organisationID, "Organisationen")
        try Directory.requireUUID(userID, "Användaren")
        if let namndID { try Directory.requireUUID(namndID, "Nämnden") }
        let catalog = self.catalog
        let caseID: String = try await pool.withTransaction { connection in
            let actor = try Self.actor(userID, organisationID: organisationID, on: connection)
            guard actor.roles.contains(.editor) else {
                throw CaseError(.workflow, "Bara en handläggare kan starta ett ärende.")
            }
            guard let round = try connection.query("""
                SELECT form_id, required_signatures, period_start, period_end FROM grant_rounds WHERE id = \(roundID)::uuid
                """).first else { throw CaseError.notFound("Omgången") }
            let (formID, requiredSignatures, periodStart, periodEnd) = try round.decode((String, Int, LocalDate, LocalDate).self)
            guard let entry = catalog[formID] else {
                throw CaseError(.formUnavailable, "Blanketten \(formID) finns inte bland de publicerade blanketterna.")
            }
            // Without a named nämnd, the organisation's only one (most have one social committee).
            var namndID = namndID
            if namndID == nil {
                let namnder = try connection.query("SELECT id::text FROM namnder WHERE organisation_id = \(organisationID)::uuid").map { try $0.decode(String.self, at: 0) }
                if namnder.count == 1 { namndID = namnder[0] }
            }
            if let namndID, try connection.query("""
                SELECT 1 FROM namnder WHERE id = \(namndID)::uuid AND organisation_id IN (SELECT id FROM organisations WHERE id = \(organisationID)::uuid UNION SELECT parent_id FROM organisations WHERE id = \(organisationID)::uuid)
                """).first == nil {
                throw CaseError.notFound("Nämnden")
            }
            let inputs = try connection.query("""
                SELECT inputs FROM round_prefills WHERE round_id = \(roundID)::uuid AND organisation_id = \(organisationID)::uuid
                """).first?.decode(JSONValue.self, at: 0).objectValue ?? JSONObject()
            let (carried, sourceCase) = try Self.carriedOver(into: entry.definition, organisationID: organisationID, before: periodStart, catalog: catalog, on: connection)
            let context = ValidationContext(periodStart: periodStart, periodEnd: periodEnd, roundInputs: Dictionary(uniqueKeysWithValues: inputs.map { ($0.key, $0.value) }))
            let answers = entry.definition.answersToStore(carried, context: context).answers
            let id: String
            do {
                id = try connection.query("""
                    INSERT INTO cases (organisation_id, round_id, namnd_id, form_id, form_sha256, answers, required_signatures, created_by)
                    VALUES (\(organisationID)::uuid, \(roundID)::uuid, \(namndID)::uuid, \(formID), \(entry.sha256), \(answers)::jsonb, \(requiredSignatures), \(userID)::uuid)
                    RETURNING id::text
                    """).single().decode(String.self, at: 0)
            } catch {
                guard (error as? PostgresError)?.isUniqueViolation == true else { throw error }
                throw CaseError(.duplicate, "Det finns redan ett ärende för den här omgången.")
            }
            try connection.query("INSERT INTO case_answer_versions (case_id, version, answers) VALUES (\(id)::uuid, 1, \(answers)::jsonb)")
            var details: JSONObject = ["version": JSONValue(1)]
            if let sourceCase {
                _ = details.updateValue(.string(sourceCase), forKey: "carried_over_from")
                _ = details.updateValue(AnswerDiff.json(AnswerDiff.changes(from: .object(JSONObject()), to: answers, definition: entry.definition)), forKey: "changes")
            }
            try Self.recordEvent(caseID: id, organisationID: organisationID, actor: actor, kind: "created", from: nil, to: .draft, comment: nil, details: details, on: connection)
            return id
        }
        return try await find(caseID, for: userID)
    }

    // MARK: Saving answers

    /// Saves the answers of one step (`stepID`), or of the whole form when
    /// `stepID` is nil. `answers` holds that step's top-level fields; a field
    /// left out is cleared. `baseVersion` is the version the person edited:
    /// when someone saved since, nothing is saved and the error names what
    /// changed. Computed fields are recomputed and answers to questions not
    /// asked are dropped, by the engine.
    public func saveAnswers(_ caseID: String, step stepID: String?, answers: JSONValue, baseVersion: Int, by userID: String) async throws -> SaveOutcome {
        guard let submitted = answers.objectValue else {
            throw CaseError(.invalidInput, "Svaren ska vara ett JSON-objekt med fältens id som nycklar.")
        }
        switch Self.unstorable(answers) {
        case (let path, .nul)?: throw CaseError(.invalidInput, "Svaret på \(path) innehåller ett NUL-tecken, som inte kan sparas.")
        case (let path, .number)?: throw CaseError(.invalidInput, "Talet i \(path) är för stort eller har för många decimaler för att sparas exakt.")
        case nil: break
        }
        let catalog = self.catalog
        return try await pool.withTransaction { connection in
            let record = try Self.load(caseID, scopedTo: userID, on: connection, lock: true)
            let actor = try Self.actor(userID, organisationID: record.organisationID, on: connection)
            try record.workflow.authorizeEditing(by: actor).mapError(CaseError.init).get()
            let definition = try Self.definition(of: record, in: catalog)
            guard baseVersion == record.answersVersion else {
                let edited = try connection.query("""
                    SELECT answers FROM case_answer_versions WHERE case_id = \(record.id)::uuid AND version = \(baseVersion)
                    """).first?.decode(JSONValue.self, at: 0)
                var error = CaseError(.conflict, "Någon annan har sparat blanketten sedan du öppnade den (version \(baseVersion), nu version \(record.answersVersion)). Dina ändringar är inte sparade men finns kvar i formuläret; jämför med ändringarna nedan och spara igen.")
                error.changes = edited.map { AnswerDiff.changes(from: $0, to: record.answers, definition: definition) } ?? []
                error.currentVersion = record.answersVersion
                throw error
            }
            let fieldIDs: [String]
            if let stepID {
                guard definition.step(withID: stepID) != nil else {
                    throw CaseError(.invalidInput, "Blanketten har inget steg som heter \(stepID).")
                }
                fieldIDs = definition.topLevelFieldIDs(inStep: stepID)
            } else {
                fieldIDs = definition.steps.flatMap { $0.fields.map(\.id) }
            }
            let allowed = Set(fieldIDs)
            if let unknown = submitted.keys.first(where: { !allowed.contains($0) }) {
                throw CaseError(.invalidInput, stepID.map { "Fältet \(unknown) hör inte till steget \($0)." } ?? "Blanketten har inget fält som heter \(unknown).")
            }
            var merged = record.answers
            for id in fieldIDs {
                merged = merged.removing(path: id)
                if let value = submitted[id], value != .null { merged = merged.setting(path: id, to: value) }
            }
            let stored = definition.answersToStore(merged, context: record.validationContext)
            let changes = AnswerDiff.changes(from: record.answers, to: stored.answers, definition: definition)
            guard !changes.isEmpty else {
                return SaveOutcome(version: record.answersVersion, findings: stored.validation.findings, droppedPaths: stored.validation.droppedPaths, changes: [])
            }
            let version = record.answersVersion + 1
            try connection.query("""
                UPDATE cases SET answers = \(stored.answers)::jsonb, answers_version = \(version), updated_at = now() WHERE id = \(record.id)::uuid
                """)
            try connection.query("INSERT INTO case_answer_versions (case_id, version, answers) VALUES (\(record.id)::uuid, \(version), \(stored.answers)::jsonb)")
            var details: JSONObject = ["version": JSONValue(version), "changes": AnswerDiff.json(changes)]
            if let stepID { _ = details.updateValue(.string(stepID), forKey: "step") }
            if !stored.validation.droppedPaths.isEmpty {
                _ = details.updateValue(.array(stored.validation.droppedPaths.map(JSONValue.string)), forKey: "dropped")
            }
            try Self.recordEvent(caseID: record.id, organisationID: record.organisationID, actor: actor, kind: "answers_saved", from: record.state, to: record.state, comment: nil, details: details, on: connection)
            return SaveOutcome(version: version, findings: stored.validation.findings, droppedPaths: stored.validation.droppedPaths, changes: changes)
        }
    }

    /// The engine's findings for the case as it is stored.
    public func validate(_ caseID: String, for userID: String) async throws -> ValidationResult {
        let record = try await find(caseID, for: userID)
        return try Self.definition(of: record, in: catalog).validate(record.answers, context: record.validationContext)
    }

    public func definition(of record: CaseRecord) throws -> FormDefinition {
        try Self.definition(of: record, in: catalog)
    }

    // MARK: Shared steps

    static func definition(of record: CaseRecord, in catalog: FormCatalog) throws -> FormDefinition {
        guard let entry = catalog[record.formID] else {
            throw CaseError(.formUnavailable, "Blanketten \(record.formID) som ärendet startades med finns inte längre bland de publicerade blanketterna.")
        }
        return entry.definition
    }

    /// `userID` nil: unscoped, for the server's own tools (`blankett verify`).
    static func load(_ caseID: String, scopedTo userID: String?, on connection: PostgresConnection, lock: Bool) throws -> CaseRecord {
        guard Directory.isUUID(caseID), userID.map(Directory.isUUID) ?? true else { throw CaseError.notFound() }
        let rows = try connection.query(PostgresQuery(unsafeSQL: """
            SELECT c.id::text, c.organisation_id::text, o.name, coalesce(o.organisationsnummer, p.organisationsnummer),
                   c.namnd_id::text, r.id::text, r.key, r.title, c.form_id, c.form_sha256, r.period_start, r.period_end, r.deadline,
                   coalesce(rp.inputs, '{}'::jsonb), a.name, a.recipient_email, a.subject_template,
                   c.answers, c.answers_version, c.state, c.required_signatures,
                   coalesce((SELECT string_agg(s.signer_id::text, ',' ORDER BY s.sequence) FROM case_signatures s
                             WHERE s.case_id = c.id AND s.voided_at IS NULL), ''),
                   c.namnd_diarienummer, c.decision, c.form_sent, c.decision_sent, c.authority_diarienummer
            FROM cases c
            JOIN organisations o ON o.id = c.organisation_id
            LEFT JOIN organisations p ON p.id = o.parent_id
            JOIN grant_rounds r ON r.id = c.round_id
            JOIN authorities a ON a.id = r.authority_id
            LEFT JOIN round_prefills rp ON rp.round_id = r.id AND rp.organisation_id = c.organisation_id
            WHERE c.id = $1::uuid
              -- A member of the case's organisation or of its parent (a kommun sees its sub-units' cases).
              AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $2::uuid AND m.organisation_id IN (o.id, o.parent_id)))
            \(lock ? "FOR UPDATE OF c" : "")
            """, binds: [caseID.postgresBind, userID.map(\.postgresBind) ?? .null]))
        guard let row = rows.first else { throw CaseError.notFound() }
        guard let state = CaseState(rawValue: try row.decode(String.self, at: 19)) else {
            throw PostgresError(kind: .decoding, message: "unknown case state")
        }
        let signers = try row.decode(String.self, at: 21).split(separator: ",").map(String.init)
        let decision = try row.decode(JSONValue?.self, at: 23).flatMap(NamndDecision.init(json:))
        let workflow = CaseWorkflow(
            state: state,
            requiredSignatures: try row.decode(Int.self, at: 20),
            signers: signers,
            namndDiarienummer: try row.decode(String?.self, at: 22).flatMap { try? Diarienummer.parse($0).get() },
            decision: decision,
            formSent: try row.decode(Bool.self, at: 24),
            decisionSent: try row.decode(Bool.self, at: 25),
            authorityDiarienummer: try row.decode(String?.self, at: 26).flatMap { try? Diarienummer.parse($0).get() }
        )
        return CaseRecord(
            id: try row.decode(String.self, at: 0),
            organisationID: try row.decode(String.self, at: 1),
            organisationName: try row.decode(String.self, at: 2),
            organisationsnummer: try row.decode(String.self, at: 3),
            namndID: try row.decode(String?.self, at: 4),
            roundID: try row.decode(String.self, at: 5),
            roundKey: try row.decode(String.self, at: 6),
            roundTitle: try row.decode(String.self, at: 7),
            formID: try row.decode(String.self, at: 8),
            formSHA256: try row.decode(String.self, at: 9),
            periodStart: try row.decode(LocalDate.self, at: 10),
            periodEnd: try row.decode(LocalDate.self, at: 11),
            deadline: try row.decode(LocalDate.self, at: 12),
            roundInputs: try row.decode(JSONValue.self, at: 13).objectValue ?? JSONObject(),
            authorityName: try row.decode(String.self, at: 14),
            authorityEmail: try row.decode(String.self, at: 15),
            subjectTemplate: try row.decode(String.self, at: 16),
            answers: try row.decode(JSONValue.self, at: 17),
            answersVersion: try row.decode(Int.self, at: 18),
            workflow: workflow
        )
    }

    /// The person with their roles in `organisationID` and its parent.
    /// Not a member at all: the organisation "does not exist" for them.
    static func actor(_ userID: String, organisationID: String, on connection: PostgresConnection) throws -> CaseActor {
        guard let row = try connection.query("""
            SELECT u.name, string_agg(DISTINCT m.role, ',')
            FROM users u
            JOIN memberships m ON m.user_id = u.id
            JOIN organisations o ON o.id = \(organisationID)::uuid AND m.organisation_id IN (o.id, o.parent_id)
            WHERE u.id = \(userID)::uuid
            GROUP BY u.id, u.name
            """).first else { throw CaseError.notFound("Organisationen") }
        let (name, roles) = try row.decode((String, String).self)
        return CaseActor(userID: userID, name: name, roles: Set(roles.split(separator: ",").compactMap { Role(rawValue: String($0)) }))
    }

    @discardableResult
    static func recordEvent(caseID: String, organisationID: String, actor: CaseActor?, kind: String, from: CaseState?, to: CaseState?, comment: String?, details: JSONObject, on connection: PostgresConnection) throws -> Int {
        try connection.query("""
            INSERT INTO case_events (case_id, organisation_id, actor_id, actor_name, kind, from_state, to_state, comment, details)
            VALUES (\(caseID)::uuid, \(organisationID)::uuid, \(actor?.userID)::uuid, \(actor?.name ?? "Blankett"), \(kind), \(from?.rawValue), \(to?.rawValue), \(comment), \(JSONValue.object(details))::jsonb)
            RETURNING id
            """).single().decode(Int.self, at: 0)
    }

    /// Answers of `carry_over` fields from the organisation's latest case of
    /// the same form (key) whose period ended before `periodStart`.
    static func carriedOver(into definition: FormDefinition, organisationID: String, before periodStart: LocalDate, catalog: FormCatalog, on connection: PostgresConnection) throws -> (JSONValue, String?) {
        let fields = definition.fieldsInOrder.filter(\.carryOver)
        guard !fields.isEmpty else { return (.object(JSONObject()), nil) }
        let earlier = try connection.query("""
            SELECT c.id::text, c.form_id, c.answers FROM cases c JOIN grant_rounds r ON r.id = c.round_id
            WHERE c.organisation_id = \(organisationID)::uuid AND r.period_end < \(periodStart)
            ORDER BY r.period_end DESC, c.created_at DESC
            """)
        for row in earlier {
            let (id, formID, answers) = try row.decode((String, String, JSONValue).self)
            guard catalog[formID]?.definition.key == definition.key else { continue }
            var carried = JSONValue.object(JSONObject())
            for field in fields {
                if let value = answers.value(atPath: field.path), value != .null {
                    carried = carried.setting(path: field.path, to: value)
                }
            }
            return (carried, id)
        }
        return (.object(JSONObject()), nil)
    }

    /// What answers may not hold, and where. PostgreSQL text cannot hold NUL;
    /// jsonb rewrites a number like `1e400` into 401 digits that no reader
    /// takes back. Both are refused with the path instead of failing later.
    enum Unstorable {
        case nul, number
    }

    static func unstorable(_ value: JSONValue, path: String = "") -> (path: String, kind: Unstorable)? {
        let shown = path.isEmpty ? "svaret" : path
        switch value {
        case .string(let text): return text.utf8.contains(0) ? (shown, .nul) : nil
        case .number: return value.decimalValue == nil ? (shown, .number) : nil
        case .object(let object):
            for (key, child) in object {
                let childPath = path.isEmpty ? key : path + "." + key
                if key.utf8.contains(0) { return (childPath, .nul) }
                if let found = unstorable(child, path: childPath) { return found }
            }
            return nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = unstorable(item, path: path + "." + String(index)) { return found }
            }
            return nil
        case .null, .bool: return nil
        }
    }
}

extension CaseRepository {
    /// The person with their roles in the case's organisation (and its parent).
    public func actor(_ userID: String, organisationID: String) async throws -> CaseActor {
        guard Directory.isUUID(userID), Directory.isUUID(organisationID) else { throw CaseError.notFound("Organisationen") }
        return try await pool.withConnection { connection in try Self.actor(userID, organisationID: organisationID, on: connection) }
    }
}
