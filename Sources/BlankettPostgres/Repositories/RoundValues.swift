import BlankettCore

/// What a grant round gives one organisation (`round_prefills`), changed
/// only here so that every change leaves its entry in `round_value_events`.
enum RoundValues {
    /// Sets `values` over what the round gave the organisation (other keys
    /// stay) and records before and after, with who or which case did it.
    static func merge(_ values: JSONObject, roundID: RoundID, organisationID: OrganisationID, by personID: PersonID?,
                      caseID: CaseID? = nil, caseEventID: Int? = nil, replacing: Bool = false, on connection: PostgresConnection) throws {
        let stored = try connection.query("""
            SELECT inputs FROM round_prefills WHERE round_id = \(roundID)::uuid AND organisation_id = \(organisationID)::uuid FOR UPDATE
            """).first?.decode(JSONValue.self, at: 0).objectValue
        let before = stored ?? JSONObject()
        var after = replacing ? JSONObject() : before
        for (key, value) in values { after[key] = value }
        // A row without values still says the round expects a form of the organisation (deadlines).
        if let stored, after == stored { return }
        try connection.query("""
            INSERT INTO round_prefills (round_id, organisation_id, inputs) VALUES (\(roundID)::uuid, \(organisationID)::uuid, \(JSONValue.object(after))::jsonb)
            ON CONFLICT (round_id, organisation_id) DO UPDATE SET inputs = excluded.inputs
            """)
        try connection.query("""
            INSERT INTO round_value_events (round_id, organisation_id, user_id, case_id, case_event_id, inputs_before, inputs_after)
            VALUES (\(roundID)::uuid, \(organisationID)::uuid, \(personID)::uuid, \(caseID)::uuid, \(caseEventID),
                    \(JSONValue.object(before))::jsonb, \(JSONValue.object(after))::jsonb)
            """)
    }
}
