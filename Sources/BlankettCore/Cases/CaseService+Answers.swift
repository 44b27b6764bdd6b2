extension CaseService {
    // MARK: Creating

    /// Starts a case of `roundID` for an organisation, prefilled with the
    /// round's values and, for fields marked `carry_over`, with the same
    /// organisation's answers of the latest earlier case of the same form.
    /// Without `namndID` the case belongs to the organisation's nämnd when it has exactly one.
    public func create(roundID: RoundID, organisationID: OrganisationID, namndID: NamndID? = nil, by personID: PersonID) async throws -> CaseRecord {
        let catalog = self.catalog
        return try await store.transaction { connection in
            let actor = try connection.actor(personID, organisationID: organisationID)
            guard actor.roles.contains(.editor) else {
                throw CaseError(.workflow, "Bara en handläggare kan starta ett ärende.")
            }
            guard let round = try connection.round(roundID, openTo: organisationID) else { throw CaseError.notFound("Omgången") }
            guard let entry = catalog[round.formID] else {
                throw CaseError(.formUnavailable, "Blanketten \(round.formID) finns inte bland de publicerade blanketterna.")
            }
            // Without a named nämnd, the organisation's only one (most have one social committee).
            var namndID = namndID
            if namndID == nil {
                let namnder = try connection.namnder(of: organisationID)
                if namnder.count == 1 { namndID = namnder[0] }
            } else if let namndID, try !connection.namnd(namndID, belongsTo: organisationID) {
                throw CaseError.notFound("Nämnden")
            }
            let inputs = try connection.roundInputs(roundID: roundID, organisationID: organisationID)
            let earlier = try connection.earlierCases(organisationID: organisationID, endingBefore: round.periodStart)
            let (carried, sourceCase) = Self.carriedOver(into: entry.definition, from: earlier, catalog: catalog)
            let context = ValidationContext(periodStart: round.periodStart, periodEnd: round.periodEnd,
                                            roundInputs: Dictionary(uniqueKeysWithValues: inputs.map { ($0.key, $0.value) }), deadline: round.deadline)
            let answers = entry.definition.answersToStore(carried, context: context).answers
            let id = try connection.insertCase(NewCase(
                organisationID: organisationID, roundID: roundID, namndID: namndID, formID: round.formID, formSHA256: entry.sha256,
                answers: answers, requiredSignatures: round.requiredSignatures, createdBy: personID
            ))
            var details: JSONObject = ["version": JSONValue(1)]
            if let sourceCase {
                _ = details.updateValue(.string(sourceCase.uuid), forKey: "carried_over_from")
                _ = details.updateValue(AnswerDiff.json(AnswerDiff.changes(from: .object(JSONObject()), to: answers, definition: entry.definition)), forKey: "changes")
            }
            try connection.appendEvent(NewCaseEvent(caseID: id, organisationID: organisationID, actor: actor, kind: "created",
                                                    fromState: nil, toState: .draft, comment: nil, details: details))
            return try connection.loadCase(id, scopedTo: personID, forUpdate: false)
        }
    }

    /// Answers of `carry_over` fields from the latest earlier case of the same form (key).
    static func carriedOver(into definition: FormDefinition, from earlier: [EarlierCase], catalog: FormCatalog) -> (JSONValue, CaseID?) {
        let fields = definition.fieldsInOrder.filter(\.carryOver)
        guard !fields.isEmpty else { return (.object(JSONObject()), nil) }
        for source in earlier where catalog[source.formID]?.definition.key == definition.key {
            var carried = JSONValue.object(JSONObject())
            for field in fields {
                if let value = source.answers.value(atPath: field.path), value != .null {
                    carried = carried.setting(path: field.path, to: value)
                }
            }
            return (carried, source.id)
        }
        return (.object(JSONObject()), nil)
    }

    // MARK: Saving answers

    /// Saves the answers of one step (`stepID`), or of the whole form when
    /// `stepID` is nil. `answers` holds that step's top-level fields; a field
    /// left out is cleared. `baseVersion` is the version the person edited:
    /// when someone saved since, nothing is saved and the error names what
    /// changed. Computed fields are recomputed and answers to questions not
    /// asked are dropped, by the engine.
    public func saveAnswers(_ caseID: CaseID, step stepID: String?, answers: JSONValue, baseVersion: Int, by personID: PersonID) async throws -> SaveOutcome {
        try await saveAnswers(caseID, step: stepID, baseVersion: baseVersion, by: personID) { _ in answers }
    }

    /// The same, with the answers made from the step once the case's form is
    /// known (a page post is read field by field of the step): the case is
    /// loaded once, locked, for the whole save.
    public func saveAnswers(_ caseID: CaseID, step stepID: String?, baseVersion: Int, by personID: PersonID,
                            answers makeAnswers: @escaping @Sendable (Step?) throws -> JSONValue) async throws -> SaveOutcome {
        let catalog = self.catalog
        return try await store.transaction { connection in
            let record = try connection.loadCase(caseID, scopedTo: personID, forUpdate: true)
            let definition = try Self.definition(of: record, in: catalog)
            var step: Step?
            if let stepID {
                guard let found = definition.step(withID: stepID) else {
                    var error = CaseError(.notFound, "Blanketten har inget steg som heter \(stepID.prefix(80)).")
                    error.parameter = "step"
                    throw error
                }
                step = found
            }
            let actor = try connection.actor(personID, organisationID: record.organisationID)
            try record.workflow.authorizeEditing(by: actor).mapError(CaseError.init).get()
            let answers = try makeAnswers(step)
            guard let object = answers.objectValue else {
                throw CaseError(.invalidInput, "Svaren ska vara ett JSON-objekt med fältens id som nycklar.")
            }
            // A member that is no field of the step is not saved and is named
            // in the outcome's dropped paths (an API client sees its typo);
            // it is never stored, not even in the audit trail.
            let fieldIDs = step.map { $0.fields.map(\.id) } ?? definition.steps.flatMap { $0.fields.map(\.id) }
            let allowed = Set(fieldIDs)
            let unknownPaths = object.keys.filter { !allowed.contains($0) }.sorted()
            let submitted = JSONObject(uniqueKeysWithValues: object.filter { allowed.contains($0.key) }.map { ($0.key, $0.value) })
            try Self.requireStorable(.object(submitted))
            guard baseVersion == record.answersVersion else {
                var error = CaseError(.conflict, "Någon annan har sparat blanketten sedan du öppnade den (version \(baseVersion), nu version \(record.answersVersion)). Dina ändringar är inte sparade men finns kvar i formuläret; jämför med ändringarna nedan och spara igen.")
                error.changes = try connection.answers(of: record.id, version: baseVersion).map { AnswerDiff.changes(from: $0, to: record.answers, definition: definition) } ?? []
                error.currentVersion = record.answersVersion
                throw error
            }
            let merged = Self.merge(submitted, into: record.answers, fieldIDs: fieldIDs)
            let stored = definition.answersToStore(merged, context: record.validationContext)
            let changes = AnswerDiff.changes(from: record.answers, to: stored.answers, definition: definition)
            guard !changes.isEmpty else {
                return SaveOutcome(version: record.answersVersion, findings: stored.validation.findings,
                                   droppedPaths: unknownPaths + stored.validation.droppedPaths, changes: [], record: record)
            }
            let version = record.answersVersion + 1
            try connection.writeAnswers(stored.answers, version: version, of: record.id)
            var details: JSONObject = ["version": JSONValue(version), "changes": AnswerDiff.json(changes)]
            if let stepID { _ = details.updateValue(.string(stepID), forKey: "step") }
            if !stored.validation.droppedPaths.isEmpty {
                _ = details.updateValue(.array(stored.validation.droppedPaths.map(JSONValue.string)), forKey: "dropped")
            }
            try connection.appendEvent(NewCaseEvent(caseID: record.id, organisationID: record.organisationID, actor: actor, kind: "answers_saved",
                                                    fromState: record.state, toState: record.state, comment: nil, details: details))
            var saved = record
            saved.answers = stored.answers
            saved.answersVersion = version
            return SaveOutcome(version: version, findings: stored.validation.findings, droppedPaths: unknownPaths + stored.validation.droppedPaths,
                               changes: changes, record: saved)
        }
    }

    /// `answers` with each of `fieldIDs` replaced by the submitted value, or
    /// cleared when none (or null) was submitted. The one place a step's
    /// answers are laid over the stored ones: a save, and a page shown again
    /// with what the person typed after a refused save.
    public static func merge(_ submitted: JSONObject, into answers: JSONValue, fieldIDs: [String]) -> JSONValue {
        var merged = answers
        for id in fieldIDs {
            merged = merged.removing(path: id)
            if let value = submitted[id], value != .null { merged = merged.setting(path: id, to: value) }
        }
        return merged
    }

    /// What answers may not hold, and where. Text answers keep `TextRule.answer`
    /// (PostgreSQL text cannot hold NUL, and no answer is unbounded);
    /// jsonb rewrites a number like `1e400` into 401 digits that no reader
    /// takes back. Both are refused with the path instead of failing later.
    static func requireStorable(_ value: JSONValue, path: String = "") throws {
        let shown = path.isEmpty ? "svaret" : path
        switch value {
        case .string(let text):
            try TextRule.answer(shown).check(text)
        case .number:
            if value.decimalValue == nil { throw CaseError(.invalidInput, "Talet i \(shown) är för stort eller har för många decimaler för att sparas exakt.") }
        case .object(let object):
            for (key, child) in object {
                let childPath = path.isEmpty ? key : path + "." + key
                if key.utf8.contains(0) { throw CaseError(.invalidInput, "Svaret på \(childPath) innehåller ett NUL-tecken, som inte kan sparas.") }
                try requireStorable(child, path: childPath)
            }
        case .array(let items):
            for (index, item) in items.enumerated() { try requireStorable(item, path: path + "." + String(index)) }
        case .null, .bool:
            break
        }
    }
}
