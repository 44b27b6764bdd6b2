import BlankettCore

extension PostgresCaseStore.Connection {
    // MARK: Workflow

    public func writeWorkflow(_ workflow: CaseWorkflow, of caseID: CaseID) throws {
        try connection.query("""
            UPDATE cases SET state = \(workflow.state.rawValue), form_sent = \(workflow.formSent), decision_sent = \(workflow.decisionSent),
                   decision = \(workflow.decision?.json)::jsonb, updated_at = now()
            WHERE id = \(caseID)::uuid
            """)
    }

    public func insertSignature(_ signature: NewSignature) throws {
        let record = signature.record
        try connection.query("""
            INSERT INTO case_signatures (case_id, sequence, signer_id, signer_name, signer_title, signed_at, signed_at_text, snapshot, snapshot_sha256, seal,
                                         public_key, assertion)
            VALUES (\(record.caseID)::uuid, \(record.sequence), \(record.signerID)::uuid, \(record.signerName), \(record.signerTitle),
                    \(record.signedAt)::timestamptz, \(record.signedAt), \(PostgresBytes(signature.snapshotBytes)), \(record.snapshotSHA256Hex),
                    \(PostgresBytes(signature.seal)), \(PostgresBytes(signature.publicKey)), \(record.assertion?.json)::jsonb)
            """)
    }

    public func voidSignatures(of caseID: CaseID, byEvent eventID: Int) throws {
        try connection.query("""
            UPDATE case_signatures SET voided_at = now(), voided_by_event = \(eventID) WHERE case_id = \(caseID)::uuid AND voided_at IS NULL
            """)
    }

    public func storeNamndDiarienummer(_ number: Diarienummer, of record: CaseRecord) throws {
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
    }

    public func storeAuthorityDiarienummer(_ number: Diarienummer, of caseID: CaseID) throws {
        try connection.query("UPDATE cases SET authority_diarienummer = \(number.formatted) WHERE id = \(caseID)::uuid")
    }

    public func storeEServiceReference(_ reference: String, of caseID: CaseID) throws {
        try connection.query("UPDATE cases SET eservice_reference = \(reference) WHERE id = \(caseID)::uuid")
    }

    public func storeAuthorityGrant(_ grant: AuthorityGrant, roundValues: JSONObject, reportBackRoundID: RoundID,
                                    of record: CaseRecord, by actor: CaseActor, eventID: Int) throws {
        try connection.query("""
            UPDATE cases SET authority_grant = \(grant.json)::jsonb,
                   authority_diarienummer = coalesce(authority_diarienummer, \(grant.diarienummer.formatted))
            WHERE id = \(record.id)::uuid
            """)
        try RoundValues.merge(roundValues, roundID: reportBackRoundID, organisationID: record.organisationID, by: actor.userID,
                              caseID: record.id, caseEventID: eventID, on: connection)
    }

    public func diariumPrefix(of namndID: NamndID) throws -> String {
        try connection.query("SELECT diarium_prefix FROM namnder WHERE id = \(namndID)::uuid").single().decode(String.self, at: 0)
    }

    public func lastNamndNumber(organisationID: OrganisationID, prefix: String, year: Int) throws -> Int {
        try connection.query("SELECT pg_advisory_xact_lock(hashtext(\(organisationID.uuid + "/" + String(year))))")
        return try connection.query("""
            SELECT coalesce(max(namnd_diarienummer_number), 0) FROM cases
            WHERE organisation_id = \(organisationID)::uuid AND namnd_diarienummer_year = \(year) AND namnd_diarienummer LIKE \(prefix + " %")
            """).single().decode(Int.self, at: 0)
    }

    public func dispatch(_ kind: WorkflowAction.Dispatch, for record: CaseRecord, workflow: CaseWorkflow) throws {
        guard let dispatcher else {
            // Without a composer, a bare row that says what is owed to whom.
            try connection.query("""
                INSERT INTO outbox (case_id, organisation_id, kind, recipient) VALUES (\(record.id)::uuid, \(record.organisationID)::uuid, \(kind.rawValue), \(record.authorityEmail))
                """)
            return
        }
        try dispatcher.enqueue(kind, for: record, workflow: workflow, on: connection)
    }

    public func notifyReturned(_ record: CaseRecord, by actor: CaseActor, comment: String, voidedSignatures: Int) throws {
        // A notice is only worth queueing as a composed message, which needs a dispatcher.
        try dispatcher?.notifyReturned(record, by: actor, comment: comment, voidedSignatures: voidedSignatures, on: connection)
    }

    // MARK: Signatures and deadlines

    public func signatures(of caseID: CaseID) throws -> [StoredSignature] {
        try connection.query("""
            SELECT sequence, signer_id::text, signer_name, signer_title, signed_at_text, snapshot_sha256, snapshot, seal, public_key, assertion
            FROM case_signatures WHERE case_id = \(caseID)::uuid AND voided_at IS NULL ORDER BY sequence
            """).map { row in
            let (sequence, signerID, name, title, signedAt, digest, snapshot, seal, publicKey) = try row.decode((Int, String, String, String, String, String, PostgresBytes, PostgresBytes, PostgresBytes).self)
            let assertion = try row.decode(JSONValue?.self, at: 9).flatMap(SigningAssertion.init(json:))
            return StoredSignature(
                record: SignatureRecord(caseID: caseID.uuid, sequence: sequence, signerID: signerID, signerName: name, signerTitle: title, signedAt: signedAt,
                                        snapshotSHA256Hex: digest, assertion: assertion),
                snapshotBytes: snapshot.bytes, seal: seal.bytes, publicKey: publicKey.bytes
            )
        }
    }

    public func caseID(signedSnapshotPrefix hexPrefix: String) throws -> CaseID? {
        try connection.query("""
            SELECT case_id::text FROM case_signatures WHERE snapshot_sha256 LIKE \(hexPrefix + "%") AND voided_at IS NULL LIMIT 1
            """).first?.decode(CaseID.self, at: 0)
    }

    public func deadlines(organisationID: OrganisationID, until horizon: LocalDate, today: LocalDate) throws -> [DeadlineItem] {
        try connection.query("""
            SELECT c.id::text, r.id::text, r.title, r.form_id, r.deadline, c.state
            FROM grant_rounds r
            LEFT JOIN cases c ON c.round_id = r.id AND c.organisation_id = \(organisationID)::uuid
            WHERE r.deadline <= \(horizon)
              AND (c.id IS NOT NULL AND c.state NOT IN ('sent', 'received')
                   OR c.id IS NULL AND EXISTS (SELECT 1 FROM round_prefills p WHERE p.round_id = r.id AND p.organisation_id = \(organisationID)::uuid))
            ORDER BY r.deadline, r.title
            """).map { row in
            let (caseID, roundID, title, formID, deadline, state) = try row.decode((CaseID?, RoundID, String, String, LocalDate, String?).self)
            return DeadlineItem(caseID: caseID, roundID: roundID, roundTitle: title, formID: formID, deadline: deadline,
                                state: state.flatMap(CaseState.init(rawValue:)), isOverdue: deadline < today)
        }
    }
}
