import BlankettCore

extension CaseRepository {
    /// The editor declares the form complete. The engine judges the stored
    /// answers; every warning needs a comment in `acknowledgements`.
    public func markReady(_ caseID: String, acknowledgements: [WarningKey: String], by userID: String) async throws -> CaseRecord {
        let catalog = self.catalog
        return try await transition(caseID, by: userID) { record, _ in
            let findings = try Self.definition(of: record, in: catalog).validate(record.answers, context: record.validationContext).findings
            let acknowledged = JSONObject(uniqueKeysWithValues: findings.warnings.compactMap { warning -> (String, JSONValue)? in
                acknowledgements[WarningKey(warning)].map { (WarningKey(warning).description, .string($0)) }
            })
            return (.markReady(findings: findings, acknowledgements: acknowledgements), nil, ["acknowledgements": .object(acknowledged)])
        }
    }

    /// The editor takes a ready case back before anyone has signed.
    public func recall(_ caseID: String, comment: String? = nil, by userID: String) async throws -> CaseRecord {
        try await transition(caseID, by: userID) { _, _ in (.recall, comment, [:]) }
    }

    /// A signatory signs, proving who they are with their password again.
    public func sign(_ caseID: String, password: String, by userID: String) async throws -> CaseRecord {
        try await transition(caseID, by: userID) { _, connection in
            let hash = try connection.query("SELECT password_hash FROM users WHERE id = \(userID)::uuid").single().decode(String.self, at: 0)
            return (.sign(reauthenticated: PasswordHash.verify(password: password, encoded: hash)), nil, [:])
        }
    }

    /// A signatory or the secretary sends the case back to the editor.
    public func returnToDraft(_ caseID: String, comment: String, by userID: String) async throws -> CaseRecord {
        try await transition(caseID, by: userID) { _, _ in (.returnToDraft(comment: comment), comment, [:]) }
    }

    /// The secretary registers the case. `diarienummer` as typed (`SN 2021:1`);
    /// nil numbers it automatically: the case's nämnd's prefix, `year`, and
    /// the next number of that prefix and year in the organisation.
    public func register(_ caseID: String, diarienummer typed: String?, year: Int, by userID: String) async throws -> CaseRecord {
        try await transition(caseID, by: userID) { record, connection in
            let number: Diarienummer
            if let typed {
                switch Diarienummer.parse(typed, dialect: .namnd) {
                case .success(let parsed): number = parsed
                case .failure(let error): throw CaseError(.invalidInput, error.message)
                }
            } else {
                number = try Self.nextNamndDiarienummer(for: record, year: year, on: connection)
            }
            return (.register(diarienummer: number), nil, ["diarienummer": .string(number.formatted)])
        }
    }

    /// The secretary records the nämnd's decision.
    public func decide(_ caseID: String, _ decision: NamndDecision, by userID: String) async throws -> CaseRecord {
        guard !decision.paragraph.allSatisfy(\.isWhitespace), !decision.text.allSatisfy(\.isWhitespace) else {
            throw CaseError(.invalidInput, "Ange paragraf och beslutstext.")
        }
        return try await transition(caseID, by: userID) { _, _ in (.decide(decision), nil, ["decision": decision.json]) }
    }

    /// The secretary sends the signed form (with the decision when there is one).
    public func send(_ caseID: String, by userID: String) async throws -> CaseRecord {
        try await transition(caseID, by: userID) { _, _ in (.send, nil, [:]) }
    }

    /// The secretary sends the decision after the form.
    public func sendDecision(_ caseID: String, by userID: String) async throws -> CaseRecord {
        try await transition(caseID, by: userID) { _, _ in (.sendDecision, nil, [:]) }
    }

    /// The secretary records the authority's receipt.
    public func receive(_ caseID: String, authorityDiarienummer typed: String, by userID: String) async throws -> CaseRecord {
        guard case .success(let number) = Diarienummer.parse(typed) else {
            throw CaseError(.invalidInput, "\(typed) är inte ett diarienummer. Länsstyrelsen skriver till exempel 821-12345-2020, Socialstyrelsen 16570/2020.")
        }
        return try await transition(caseID, by: userID) { _, _ in (.receive(authorityDiarienummer: number), nil, ["diarienummer": .string(number.formatted)]) }
    }

    // MARK: Performing a transition

    typealias CommandMaker = @Sendable (CaseRecord, PostgresConnection) throws -> (CaseCommand, comment: String?, details: JSONObject)

    /// Locks the case, asks the workflow, performs its actions, updates the
    /// case and records the event, all in one transaction: a refused or
    /// failing transition changes nothing.
    func transition(_ caseID: String, by userID: String, _ makeCommand: @escaping CommandMaker) async throws -> CaseRecord {
        let sealingKey = self.sealingKey
        let dispatcher = self.dispatcher
        try await pool.withTransaction { connection in
            let record = try Self.load(caseID, scopedTo: userID, on: connection, lock: true)
            let actor = try Self.actor(userID, organisationID: record.organisationID, on: connection)
            let (command, comment, details) = try makeCommand(record, connection)
            let transition: CaseWorkflow.Transition
            switch record.workflow.apply(command, by: actor) {
            case .success(let decided): transition = decided
            case .failure(let refusal): throw CaseError(refusal)
            }
            var eventDetails = details
            _ = eventDetails.updateValue(JSONValue(record.answersVersion), forKey: "version")
            let eventID = try Self.recordEvent(caseID: record.id, organisationID: record.organisationID, actor: actor, kind: command.eventKind, from: transition.from, to: transition.to, comment: comment, details: eventDetails, on: connection)
            for action in transition.actions {
                switch (action, dispatcher) {
                case (.dispatch(let kind), let dispatcher?):
                    try dispatcher.enqueue(kind, for: record, workflow: transition.workflow, on: connection)
                case (.notifyReturned(let comment, let voided), let dispatcher?):
                    try dispatcher.notifyReturned(record, by: actor, comment: comment, voidedSignatures: voided, on: connection)
                default:
                    try Self.perform(action, for: record, actor: actor, eventID: eventID, sealingKey: sealingKey, on: connection)
                }
            }
            let next = transition.workflow
            try connection.query("""
                UPDATE cases SET state = \(next.state.rawValue), form_sent = \(next.formSent), decision_sent = \(next.decisionSent),
                       decision = \(next.decision?.json)::jsonb, updated_at = now()
                WHERE id = \(record.id)::uuid
                """)
        }
        return try await find(caseID, for: userID)
    }

    static func perform(_ action: WorkflowAction, for record: CaseRecord, actor: CaseActor, eventID: Int, sealingKey: SealingKey, on connection: PostgresConnection) throws {
        switch action {
        case .recordSignature(let sequence):
            let (title, signedAt, signedAtText) = try connection.query("""
                SELECT title, now(), to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM users WHERE id = \(actor.userID)::uuid
                """).single().decode((String, String, String).self)
            let snapshot = record.snapshot
            let signature = SignatureRecord(
                caseID: record.id, sequence: sequence, signerID: actor.userID, signerName: actor.name,
                signerTitle: title, signedAt: signedAtText, snapshotSHA256Hex: snapshot.sha256Hex
            )
            let seal = try sealingKey.seal(signature)
            try connection.query("""
                INSERT INTO case_signatures (case_id, sequence, signer_id, signer_name, signer_title, signed_at, signed_at_text, snapshot, snapshot_sha256, seal, public_key)
                VALUES (\(record.id)::uuid, \(sequence), \(actor.userID)::uuid, \(actor.name), \(title), \(signedAt)::timestamptz, \(signedAtText),
                        \(PostgresBytes(snapshot.canonicalBytes())), \(snapshot.sha256Hex), \(PostgresBytes(seal)), \(PostgresBytes(sealingKey.publicKey)))
                """)
        case .voidSignatures:
            try connection.query("""
                UPDATE case_signatures SET voided_at = now(), voided_by_event = \(eventID) WHERE case_id = \(record.id)::uuid AND voided_at IS NULL
                """)
        case .storeNamndDiarienummer(let number):
            let running = number.formatted.split(separator: ":").last.flatMap { Int($0) }
            do {
                try connection.query("""
                    UPDATE cases SET namnd_diarienummer = \(number.formatted), namnd_diarienummer_year = \(number.year), namnd_diarienummer_number = \(running)
                    WHERE id = \(record.id)::uuid
                    """)
            } catch {
                guard error.isUniqueViolation else { throw error }
                throw CaseError(.duplicate, "Diarienumret \(number.formatted) används redan för ett annat ärende i \(record.organisationName).")
            }
        case .storeDecision:
            break  // the case row is updated from the next workflow value
        case .storeAuthorityDiarienummer(let number):
            try connection.query("UPDATE cases SET authority_diarienummer = \(number.formatted) WHERE id = \(record.id)::uuid")
        case .dispatch(let kind):
            try connection.query("""
                INSERT INTO outbox (case_id, organisation_id, kind, recipient) VALUES (\(record.id)::uuid, \(record.organisationID)::uuid, \(kind.rawValue), \(record.authorityEmail))
                """)
        case .notifyReturned:
            break  // a notice is only worth queueing as a composed message, which needs a dispatcher
        }
    }

    /// The next free number of the case's nämnd for `year`. Serialised per
    /// organisation and year so that two secretaries never get the same one.
    static func nextNamndDiarienummer(for record: CaseRecord, year: Int, on connection: PostgresConnection) throws -> Diarienummer {
        guard let namndID = record.namndID else {
            throw CaseError(.invalidInput, "Ärendet har ingen nämnd, så diarienumret kan inte sättas automatiskt. Skriv in det.")
        }
        let prefix = try connection.query("SELECT diarium_prefix FROM namnder WHERE id = \(namndID)::uuid").single().decode(String.self, at: 0)
        try connection.query("SELECT pg_advisory_xact_lock(hashtext(\(record.organisationID + "/" + String(year))))")
        let last = try connection.query("""
            SELECT coalesce(max(namnd_diarienummer_number), 0) FROM cases
            WHERE organisation_id = \(record.organisationID)::uuid AND namnd_diarienummer_year = \(year) AND namnd_diarienummer LIKE \(prefix + " %")
            """).single().decode(Int.self, at: 0)
        guard case .success(let number) = Diarienummer.parse("\(prefix) \(year):\(last + 1)", dialect: .namnd) else {
            throw CaseError(.invalidInput, "Året \(year) kan inte ingå i ett diarienummer.")
        }
        return number
    }
}
