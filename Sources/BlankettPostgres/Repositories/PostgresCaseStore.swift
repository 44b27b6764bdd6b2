import BlankettCore
import Logging

/// Cases in PostgreSQL: the `CaseStore` of the `CaseService`. SQL and row
/// mapping only; every decision is the service's. A transaction is one
/// `BEGIN … COMMIT` on one pooled connection, on the pool's threads.
public struct PostgresCaseStore: CaseStore {
    public let pool: PostgresConnectionPool
    /// Composes and queues the messages of sending transitions (see `CaseDispatcher`).
    public var dispatcher: (any CaseDispatcher)?

    public init(pool: PostgresConnectionPool, dispatcher: (any CaseDispatcher)? = nil) {
        self.pool = pool
        self.dispatcher = dispatcher
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any CaseStoreConnection) throws -> T) async throws -> T {
        let dispatcher = self.dispatcher
        return try await pool.withTransaction { connection in
            try body(Connection(connection: connection, dispatcher: dispatcher))
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any CaseStoreConnection) throws -> T) async throws -> T {
        let dispatcher = self.dispatcher
        return try await pool.withConnection { connection in
            try body(Connection(connection: connection, dispatcher: dispatcher))
        }
    }

    /// One pooled connection seen as a `CaseStoreConnection`.
    public struct Connection: CaseStoreConnection {
        public let connection: PostgresConnection
        let dispatcher: (any CaseDispatcher)?

        public init(connection: PostgresConnection, dispatcher: (any CaseDispatcher)? = nil) {
            self.connection = connection
            self.dispatcher = dispatcher
        }
    }
}

extension PostgresCaseStore.Connection {
    // MARK: Cases and people

    /// The columns `record(_:)` reads, joined from the case, its
    /// organisation, round, authority and the round's values for it.
    private static let caseColumns = columns(summary: false)
    /// The same for a list: no answers and no round values (a list shows
    /// neither, and reading and decoding each case's answers was most of a
    /// long list's cost); those two come back as empty objects.
    private static let summaryColumns = columns(summary: true)

    private static func columns(summary: Bool) -> String { """
        SELECT c.id::text, c.organisation_id::text, o.name, coalesce(o.organisationsnummer, p.organisationsnummer),
               c.namnd_id::text, r.id::text, r.key, r.title, c.form_id, c.form_sha256, r.period_start, r.period_end, r.deadline,
               \(summary ? "'{}'::jsonb" : "coalesce(rp.inputs, '{}'::jsonb)"), a.name, a.recipient_email, a.subject_template,
               \(summary ? "'{}'::jsonb" : "c.answers"), c.answers_version, c.state, c.required_signatures,
               coalesce((SELECT string_agg(s.signer_id::text, ',' ORDER BY s.sequence) FROM case_signatures s
                         WHERE s.case_id = c.id AND s.voided_at IS NULL), ''),
               c.namnd_diarienummer, c.decision, c.form_sent, c.decision_sent, c.authority_diarienummer,
               a.postal_address, r.grant_name, r.report_back_round_id::text, c.authority_grant, a.eservice_name, c.eservice_reference
        FROM cases c
        JOIN organisations o ON o.id = c.organisation_id
        LEFT JOIN organisations p ON p.id = o.parent_id
        JOIN grant_rounds r ON r.id = c.round_id
        JOIN authorities a ON a.id = r.authority_id
        \(summary ? "" : "LEFT JOIN round_prefills rp ON rp.round_id = r.id AND rp.organisation_id = c.organisation_id")
        """
    }

    public func loadCase(_ caseID: CaseID, scopedTo personID: PersonID?, forUpdate: Bool) throws -> CaseRecord {
        let rows = try connection.query(PostgresQuery(unsafeSQL: """
            \(Self.caseColumns)
            WHERE c.id = $1::uuid
              -- A member of the case's organisation or of its parent (a kommun sees its sub-units' cases).
              AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $2::uuid AND m.organisation_id IN (o.id, o.parent_id)))
            \(forUpdate ? "FOR UPDATE OF c" : "")
            """, binds: [caseID.postgresBind, personID?.postgresBind ?? .null]))
        guard let row = rows.first else { throw CaseError.notFound() }
        return try Self.record(row)
    }

    public func loadCases(_ query: CaseListQuery, visibleTo personID: PersonID) throws -> [CaseRecord] {
        // The organisations and their units, first: with one, the page is a
        // range of the cases_list_order index read in order and cut at the
        // limit; with several, PostgreSQL 15 sorts what the filters leave.
        let owners = try connection.query(PostgresQuery(unsafeSQL: """
            SELECT id::text FROM organisations WHERE id = ANY($1::uuid[]) OR parent_id = ANY($1::uuid[]) ORDER BY id
            """, binds: [PostgresTextArray(query.organisationIDs.map(\.uuid)).postgresBind])).map { try $0.decode(String.self, at: 0) }
        guard !owners.isEmpty else { return [] }
        let descending = query.newestFirst
        // One statement per shape whatever the filters: a filter left out is a NULL that matches everything.
        return try connection.query(PostgresQuery(unsafeSQL: """
            \(Self.summaryColumns)
            WHERE \(owners.count == 1 ? "c.organisation_id = $1::uuid" : "c.organisation_id = ANY($1::uuid[])")
              AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = $2::uuid AND m.organisation_id IN (o.id, o.parent_id))
              AND ($3::text[] IS NULL OR c.state = ANY($3::text[]))
              AND ($4::integer IS NULL OR extract(year FROM r.period_end) = $4::integer)
              AND ($5::text[] IS NULL OR c.form_id = ANY($5::text[]))
              AND ($6::uuid IS NULL OR (c.deadline, c.created_at, c.id) \(descending ? "<" : ">")
                   (SELECT ac.deadline, ac.created_at, ac.id FROM cases ac WHERE ac.id = $6::uuid))
            ORDER BY \(descending ? "c.deadline DESC, c.created_at DESC, c.id DESC" : "c.deadline, c.created_at, c.id")
            LIMIT $7::integer
            """, binds: [owners.count == 1 ? PostgresBind(text: owners[0]) : PostgresTextArray(owners).postgresBind, personID.postgresBind,
                         query.states.map { PostgresTextArray($0.map(\.rawValue)).postgresBind } ?? .null,
                         query.periodEndYear.map { PostgresBind(text: String($0)) } ?? .null, query.formIDs.map { PostgresTextArray($0).postgresBind } ?? .null,
                         query.after?.postgresBind ?? .null, query.limit.map { PostgresBind(text: String($0)) } ?? .null])).map(Self.record)
    }

    private static func record(_ row: PostgresRow) throws -> CaseRecord {
        guard let state = CaseState(rawValue: try row.decode(String.self, at: 19)) else {
            throw PostgresError(kind: .decoding, message: "unknown case state")
        }
        let signers = try row.decode(String.self, at: 21).split(separator: ",").map { PersonID(unchecked: String($0)) }
        let workflow = CaseWorkflow(
            state: state,
            requiredSignatures: try row.decode(Int.self, at: 20),
            signers: signers,
            namndDiarienummer: try row.decode(String?.self, at: 22).flatMap { try? Diarienummer.parse($0).get() },
            decision: try row.decode(JSONValue?.self, at: 23).flatMap(NamndDecision.init(json:)),
            formSent: try row.decode(Bool.self, at: 24),
            decisionSent: try row.decode(Bool.self, at: 25),
            authorityDiarienummer: try row.decode(String?.self, at: 26).flatMap { try? Diarienummer.parse($0).get() },
            feedsReportBack: try row.decode(String?.self, at: 29) != nil
        )
        return CaseRecord(
            id: try row.decode(CaseID.self, at: 0),
            organisationID: try row.decode(OrganisationID.self, at: 1),
            organisationName: try row.decode(String.self, at: 2),
            organisationsnummer: try row.decode(String.self, at: 3),
            namndID: try row.decode(NamndID?.self, at: 4),
            roundID: try row.decode(RoundID.self, at: 5),
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
            authorityAddress: try row.decode(String.self, at: 27),
            grantName: try row.decode(String.self, at: 28),
            reportBackRoundID: try row.decode(RoundID?.self, at: 29),
            authorityGrant: try row.decode(JSONValue?.self, at: 30).flatMap(AuthorityGrant.init(json:)),
            authorityEService: try row.decode(String?.self, at: 31),
            eserviceReference: try row.decode(String?.self, at: 32),
            answers: try row.decode(JSONValue.self, at: 17),
            answersVersion: try row.decode(Int.self, at: 18),
            workflow: workflow
        )
    }

    public func actor(_ personID: PersonID, organisationID: OrganisationID) throws -> CaseActor {
        guard let row = try connection.query("""
            SELECT u.name, string_agg(DISTINCT m.role, ',')
            FROM users u
            JOIN memberships m ON m.user_id = u.id
            JOIN organisations o ON o.id = \(organisationID)::uuid AND m.organisation_id IN (o.id, o.parent_id)
            WHERE u.id = \(personID)::uuid
            GROUP BY u.id, u.name
            """).first else { throw CaseError.notFound("Organisationen") }
        let (name, roles) = try row.decode((String, String).self)
        return CaseActor(userID: personID, name: name, roles: Set(roles.split(separator: ",").compactMap { Role(rawValue: String($0)) }))
    }

    public func passwordHash(of personID: PersonID) throws -> String? {
        try connection.query("SELECT password_hash FROM users WHERE id = \(personID)::uuid").first?.decode(String?.self, at: 0)
    }

    public func title(of personID: PersonID) throws -> String {
        try connection.query("SELECT title FROM users WHERE id = \(personID)::uuid").single().decode(String.self, at: 0)
    }

    public func now() throws -> String {
        try connection.query(PostgresQuery(unsafeSQL: """
            SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            """)).single().decode(String.self, at: 0)
    }

    // MARK: Answers

    public func answers(of caseID: CaseID, version: Int) throws -> JSONValue? {
        try connection.query("""
            SELECT answers FROM case_answer_versions WHERE case_id = \(caseID)::uuid AND version = \(version)
            """).first?.decode(JSONValue.self, at: 0)
    }

    public func writeAnswers(_ answers: JSONValue, version: Int, of caseID: CaseID) throws {
        // One statement, the document serialized and sent once.
        try connection.query("""
            WITH saved AS (
                UPDATE cases SET answers = \(answers)::jsonb, answers_version = \(version), updated_at = now() WHERE id = \(caseID)::uuid
                RETURNING id, answers_version, answers)
            INSERT INTO case_answer_versions (case_id, version, answers) SELECT id, answers_version, answers FROM saved
            """)
    }

    public func answersAtLastReturn(of caseID: CaseID) throws -> JSONValue? {
        try connection.query("""
            SELECT v.answers FROM case_events e
            JOIN case_answer_versions v ON v.case_id = e.case_id AND v.version = (e.details->>'version')::integer
            WHERE e.case_id = \(caseID)::uuid AND e.to_state = 'draft' AND e.kind IN ('return', 'decide')
            ORDER BY e.id DESC LIMIT 1
            """).first?.decode(JSONValue.self, at: 0)
    }

    // MARK: Creating

    public func round(_ roundID: RoundID, openTo organisationID: OrganisationID) throws -> RoundFacts? {
        try connection.query("""
            SELECT r.form_id, r.required_signatures, r.period_start, r.period_end, r.deadline
            FROM grant_rounds r JOIN authorities a ON a.id = r.authority_id
            WHERE r.id = \(roundID)::uuid
              AND (a.county IS NULL OR a.county = (SELECT coalesce(o.county, p.county) FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id
                                                   WHERE o.id = \(organisationID)::uuid))
            """).first.map { row in
            let (formID, requiredSignatures, periodStart, periodEnd, deadline) = try row.decode((String, Int, LocalDate, LocalDate, LocalDate).self)
            return RoundFacts(formID: formID, requiredSignatures: requiredSignatures, periodStart: periodStart, periodEnd: periodEnd, deadline: deadline)
        }
    }

    public func namnder(of organisationID: OrganisationID) throws -> [NamndID] {
        try connection.query("SELECT id::text FROM namnder WHERE organisation_id = \(organisationID)::uuid").map { try $0.decode(NamndID.self, at: 0) }
    }

    public func namnd(_ namndID: NamndID, belongsTo organisationID: OrganisationID) throws -> Bool {
        try connection.query("""
            SELECT 1 FROM namnder WHERE id = \(namndID)::uuid AND organisation_id IN (SELECT id FROM organisations WHERE id = \(organisationID)::uuid UNION SELECT parent_id FROM organisations WHERE id = \(organisationID)::uuid)
            """).first != nil
    }

    public func roundInputs(roundID: RoundID, organisationID: OrganisationID) throws -> JSONObject {
        try connection.query("""
            SELECT inputs FROM round_prefills WHERE round_id = \(roundID)::uuid AND organisation_id = \(organisationID)::uuid
            """).first?.decode(JSONValue.self, at: 0).objectValue ?? JSONObject()
    }

    public func earlierCases(organisationID: OrganisationID, endingBefore date: LocalDate) throws -> [EarlierCase] {
        try connection.query("""
            SELECT c.id::text, c.form_id, c.answers FROM cases c JOIN grant_rounds r ON r.id = c.round_id
            WHERE c.organisation_id = \(organisationID)::uuid AND r.period_end < \(date)
            ORDER BY r.period_end DESC, c.created_at DESC
            """).map { row in
            let (id, formID, answers) = try row.decode((CaseID, String, JSONValue).self)
            return EarlierCase(id: id, formID: formID, answers: answers)
        }
    }

    public func insertCase(_ newCase: NewCase) throws -> CaseID {
        let id: CaseID
        do {
            id = try connection.query("""
                INSERT INTO cases (organisation_id, round_id, namnd_id, form_id, form_sha256, answers, required_signatures, created_by)
                VALUES (\(newCase.organisationID)::uuid, \(newCase.roundID)::uuid, \(newCase.namndID)::uuid, \(newCase.formID), \(newCase.formSHA256),
                        \(newCase.answers)::jsonb, \(newCase.requiredSignatures), \(newCase.createdBy)::uuid)
                RETURNING id::text
                """).single().decode(CaseID.self, at: 0)
        } catch {
            guard error.isUniqueViolation else { throw error }
            throw CaseError(.duplicate, "Det finns redan ett ärende för den här omgången.")
        }
        try connection.query("INSERT INTO case_answer_versions (case_id, version, answers) VALUES (\(id)::uuid, 1, \(newCase.answers)::jsonb)")
        return id
    }

    // MARK: The audit trail

    @discardableResult
    public func appendEvent(_ event: NewCaseEvent) throws -> Int {
        try connection.query("""
            INSERT INTO case_events (case_id, organisation_id, actor_id, actor_name, kind, from_state, to_state, comment, details)
            VALUES (\(event.caseID)::uuid, \(event.organisationID)::uuid, \(event.actor?.userID)::uuid, \(event.actor?.name ?? "Blankett"), \(event.kind),
                    \(event.fromState?.rawValue), \(event.toState?.rawValue), \(event.comment), \(JSONValue.object(event.details))::jsonb)
            RETURNING id
            """).single().decode(Int.self, at: 0)
    }

    public func events(of caseID: CaseID) throws -> [CaseEvent] {
        try connection.query("""
            SELECT id, actor_id::text, actor_name, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                   kind, from_state, to_state, comment, details
            FROM case_events WHERE case_id = \(caseID)::uuid ORDER BY id
            """).map { row in
            let (id, actorID, actorName, at, kind, from, to, comment, details) = try row.decode((Int, PersonID?, String, String, String, String?, String?, String?, JSONValue).self)
            return CaseEvent(id: id, actorID: actorID, actorName: actorName, at: at, kind: kind,
                             fromState: from.flatMap(CaseState.init(rawValue:)), toState: to.flatMap(CaseState.init(rawValue:)),
                             comment: comment, details: details)
        }
    }
}
