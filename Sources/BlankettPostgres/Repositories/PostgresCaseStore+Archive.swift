import BlankettCore

extension PostgresCaseStore.Connection {
    /// What the archive export writes for a case, read on one connection
    /// (call it inside a transaction for one consistent picture).
    public func archive(of caseID: CaseID) throws -> CaseArchive {
        let record = try loadCase(caseID, scopedTo: nil, forUpdate: false)
        let utc = #"'YYYY-MM-DD"T"HH24:MI:SS"Z"'"#
        let documents = try connection.query("""
            SELECT outbox_id, kind, filename, content, to_char(created_at AT TIME ZONE 'UTC', \(unsafeSQL: utc))
            FROM case_documents WHERE case_id = \(caseID)::uuid ORDER BY id
            """).map { row in
            let (outboxID, kind, filename, content, createdAt) = try row.decode((Int, String, String, PostgresBytes, String).self)
            return CaseArchive.Document(outboxID: outboxID, kind: kind, filename: filename, content: content.bytes, createdAt: createdAt)
        }
        let messages = try connection.query("""
            SELECT id, kind, coalesce(subject, ''), status, to_char(created_at AT TIME ZONE 'UTC', \(unsafeSQL: utc)),
                   to_char(sent_at AT TIME ZONE 'UTC', \(unsafeSQL: utc)), message
            FROM outbox WHERE case_id = \(caseID)::uuid AND message IS NOT NULL ORDER BY id
            """).map { row in
            let (id, kind, subject, status, createdAt, sentAt, message) = try row.decode((Int, String, String, String, String, String?, PostgresBytes).self)
            return CaseArchive.Message(outboxID: id, kind: kind, subject: subject, status: status, createdAt: createdAt, sentAt: sentAt, bytes: message.bytes)
        }
        let signatures = try connection.query("""
            SELECT id, sequence, signer_name, signer_title, signed_at_text, snapshot, snapshot_sha256, seal, public_key,
                   voided_at IS NOT NULL, assertion
            FROM case_signatures WHERE case_id = \(caseID)::uuid ORDER BY id
            """).map { row in
            let (id, sequence, name, title, signedAt, snapshot, digest) = try row.decode((Int, Int, String, String, String, PostgresBytes, String).self)
            return CaseArchive.Signature(
                id: id, sequence: sequence, signerName: name, signerTitle: title, signedAt: signedAt, snapshot: snapshot.bytes,
                snapshotSHA256Hex: digest, seal: try row.decode(PostgresBytes.self, at: 7).bytes,
                publicKey: try row.decode(PostgresBytes.self, at: 8).bytes, voided: try row.decode(Bool.self, at: 9),
                assertion: try row.decode(JSONValue?.self, at: 10)
            )
        }
        return CaseArchive(record: record, documents: documents, messages: messages, signatures: signatures, events: try events(of: caseID))
    }
}
