import BlankettCore

extension CaseRepository {
    /// The audit trail of a case, oldest first.
    public func events(_ caseID: String, for userID: String) async throws -> [CaseEvent] {
        try await pool.withConnection { connection in
            let record = try Self.load(caseID, scopedTo: userID, on: connection, lock: false)
            return try connection.query("""
                SELECT id, actor_id::text, actor_name, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                       kind, from_state, to_state, comment, details
                FROM case_events WHERE case_id = \(record.id)::uuid ORDER BY id
                """).map { row in
                let (id, actorID, actorName, at, kind, from, to, comment, details) = try row.decode((Int, String?, String, String, String, String?, String?, String?, JSONValue).self)
                return CaseEvent(id: id, actorID: actorID, actorName: actorName, at: at, kind: kind,
                                 fromState: from.flatMap(CaseState.init(rawValue:)), toState: to.flatMap(CaseState.init(rawValue:)),
                                 comment: comment, details: details)
            }
        }
    }

    /// What changed since the case was last sent back (by a return or a
    /// rejecting decision), field by field with labels; empty when it never was.
    public func changesSinceReturn(_ caseID: String, for userID: String) async throws -> [AnswerChange] {
        let catalog = self.catalog
        return try await pool.withConnection { connection in
            let record = try Self.load(caseID, scopedTo: userID, on: connection, lock: false)
            guard let returned = try connection.query("""
                SELECT v.answers FROM case_events e
                JOIN case_answer_versions v ON v.case_id = e.case_id AND v.version = (e.details->>'version')::integer
                WHERE e.case_id = \(record.id)::uuid AND e.to_state = 'draft' AND e.kind IN ('return', 'decide')
                ORDER BY e.id DESC LIMIT 1
                """).first?.decode(JSONValue.self, at: 0) else { return [] }
            return AnswerDiff.changes(from: returned, to: record.answers, definition: catalog[record.formID]?.definition)
        }
    }

    /// Cases not yet sent whose deadline has passed or falls within `days`
    /// of `today`, and rounds with values for the organisation but no case
    /// yet, ordered by deadline.
    public func deadlines(organisationID: String, within days: Int, today: LocalDate, for userID: String) async throws -> [DeadlineItem] {
        guard Directory.isUUID(organisationID), Directory.isUUID(userID) else { throw CaseError.notFound("Organisationen") }
        let horizon = today.adding(days: max(0, days))
        return try await pool.withConnection { connection in
            _ = try Self.actor(userID, organisationID: organisationID, on: connection)
            return try connection.query("""
                SELECT c.id::text, r.id::text, r.title, r.form_id, r.deadline, c.state
                FROM grant_rounds r
                LEFT JOIN cases c ON c.round_id = r.id AND c.organisation_id = \(organisationID)::uuid
                WHERE r.deadline <= \(horizon)
                  AND (c.id IS NOT NULL AND c.state NOT IN ('sent', 'received')
                       OR c.id IS NULL AND EXISTS (SELECT 1 FROM round_prefills p WHERE p.round_id = r.id AND p.organisation_id = \(organisationID)::uuid))
                ORDER BY r.deadline, r.title
                """).map { row in
                let (caseID, roundID, title, formID, deadline, state) = try row.decode((String?, String, String, String, LocalDate, String?).self)
                return DeadlineItem(caseID: caseID, roundID: roundID, roundTitle: title, formID: formID, deadline: deadline,
                                    state: state.flatMap(CaseState.init(rawValue:)), isOverdue: deadline < today)
            }
        }
    }

    /// Every valid signature of the case checked against the case as stored
    /// now, for a person of its organisation.
    public func verifySignatures(_ caseID: String, for userID: String) async throws -> [SignatureVerdict] {
        let record = try await find(caseID, for: userID)
        return try await verifySignatures(of: record)
    }

    /// The same without a person: for `blankett verify`, run by whoever runs the server.
    public func verifySignatures(caseID: String) async throws -> [SignatureVerdict] {
        let record = try await pool.withConnection { connection in
            try Self.load(caseID, scopedTo: nil, on: connection, lock: false)
        }
        return try await verifySignatures(of: record)
    }

    func verifySignatures(of record: CaseRecord) async throws -> [SignatureVerdict] {
        let definition = catalog[record.formID]?.definition
        let trusted = trustedPublicKeys
        let current = record.snapshot
        let stored = try await pool.query("""
            SELECT sequence, signer_id::text, signer_name, signer_title, signed_at_text, snapshot_sha256, snapshot, seal, public_key
            FROM case_signatures WHERE case_id = \(record.id)::uuid AND voided_at IS NULL ORDER BY sequence
            """)
        return try stored.map { row in
            let (sequence, signerID, name, title, signedAt, digest, snapshot, seal, publicKey) = try row.decode((Int, String, String, String, String, String, PostgresBytes, PostgresBytes, PostgresBytes).self)
            let signature = StoredSignature(
                record: SignatureRecord(caseID: record.id, sequence: sequence, signerID: signerID, signerName: name, signerTitle: title, signedAt: signedAt, snapshotSHA256Hex: digest),
                snapshotBytes: snapshot.bytes, seal: seal.bytes, publicKey: publicKey.bytes
            )
            return SignatureVerifier.verify(signature, current: current, trustedPublicKeys: trusted, definition: definition)
        }
    }
}

extension CaseRepository {
    /// What a printed verification code (the first 12 hex digits of a signed
    /// snapshot's SHA-256, any case and dashes) belongs to, checked against the
    /// case as stored now. Public: the code is on the PDF the authority holds.
    public func verify(code: String) async throws -> (record: CaseRecord, verdicts: [SignatureVerdict])? {
        let digits = code.lowercased().filter { $0.isHexDigit }
        guard digits.count == 12, digits.count == code.filter({ $0 != "-" && $0 != " " }).count else { return nil }
        let caseID = try await pool.query("""
            SELECT case_id::text FROM case_signatures WHERE snapshot_sha256 LIKE \(digits + "%") AND voided_at IS NULL LIMIT 1
            """).first?.decode(String.self, at: 0)
        guard let caseID else { return nil }
        let record = try await pool.withConnection { connection in try Self.load(caseID, scopedTo: nil, on: connection, lock: false) }
        return (record, try await verifySignatures(of: record))
    }
}
