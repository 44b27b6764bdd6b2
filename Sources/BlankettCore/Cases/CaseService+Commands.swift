/// What a person typed for a command, as the pages' forms and the API's
/// JSON bodies carry it. The service reads it into a `CaseCommand`.
public struct CommandInputs: Sendable {
    public var comment: String?
    public var password: String?
    /// The nämnd's diarienummer; empty or nil: the next number of the nämnd's series.
    public var diarienummer: String?
    /// The year of an automatic nämnd diarienummer.
    public var year: Int
    public var meetingDate: String?
    public var paragraph: String?
    public var text: String?
    /// `approved` (default) or `rejected`.
    public var outcome: String?
    public var authorityDiarienummer: String?
    public var acknowledgements: [WarningKey: String]
    /// The date of the authority's decision (`record_grant`).
    public var decisionDate: String?
    /// What the authority's decision grants, by the form's decision value id,
    /// typed the Swedish way (`1 127 386`, `2,80`).
    public var grantValues: [String: String]
    /// The reference the authority's e-service gave the form (`send`, where it has one).
    public var eserviceReference: String?
    /// `sign` through the organisation's identity provider: what it asserted,
    /// verified by the caller (the web adapter) before the command runs.
    public var assertion: SigningAssertion?

    public init(comment: String? = nil, password: String? = nil, diarienummer: String? = nil, year: Int = 2000,
                meetingDate: String? = nil, paragraph: String? = nil, text: String? = nil, outcome: String? = nil,
                authorityDiarienummer: String? = nil, acknowledgements: [WarningKey: String] = [:],
                decisionDate: String? = nil, grantValues: [String: String] = [:], eserviceReference: String? = nil,
                assertion: SigningAssertion? = nil) {
        self.assertion = assertion
        self.eserviceReference = eserviceReference
        self.decisionDate = decisionDate
        self.grantValues = grantValues
        self.comment = comment
        self.password = password
        self.diarienummer = diarienummer
        self.year = year
        self.meetingDate = meetingDate
        self.paragraph = paragraph
        self.text = text
        self.outcome = outcome
        self.authorityDiarienummer = authorityDiarienummer
        self.acknowledgements = acknowledgements
    }
}

extension CaseService {
    /// Performs a command: reads its inputs, checks a signer's password
    /// before the case is locked (a password check costs a tenth of a
    /// second), then, in one transaction with the case loaded once and
    /// locked, asks the workflow, records the event, performs the workflow's
    /// actions and stores the next state. A refused or failing command
    /// changes nothing. Returns the case as it is after the command.
    public func perform(_ kind: CaseCommand.Kind, inputs: CommandInputs, on caseID: CaseID, by personID: PersonID) async throws -> CaseRecord {
        let parsed = try ParsedInputs(kind, inputs)
        var reauthenticated = false
        if kind == .sign, inputs.assertion != nil {
            reauthenticated = true
        } else if kind == .sign {
            let password = inputs.password ?? ""
            let hash = try await store.read { try $0.passwordHash(of: personID) }
            if let hash, !password.isEmpty {
                reauthenticated = try await passwordChecker.verify(password: password, encoded: hash)
            }
        }
        let catalog = self.catalog
        let sealingKey = self.sealingKey
        return try await store.transaction { [reauthenticated] connection in
            var record = try connection.loadCase(caseID, scopedTo: personID, forUpdate: true)
            let actor = try connection.actor(personID, organisationID: record.organisationID)
            // Refuse by role and state before anything the inputs need is computed.
            try record.workflow.availability(of: kind, by: actor).mapError(CaseError.init).get()
            var details: JSONObject = [:]
            let command: CaseCommand
            switch kind {
            case .markReady:
                let findings = try Self.definition(of: record, in: catalog).validate(record.answers, context: record.validationContext).findings
                let acknowledged = JSONObject(uniqueKeysWithValues: findings.warnings.compactMap { warning -> (String, JSONValue)? in
                    inputs.acknowledgements[WarningKey(warning)].map { (WarningKey(warning).description, .string($0)) }
                })
                details["acknowledgements"] = .object(acknowledged)
                command = .markReady(findings: findings, acknowledgements: inputs.acknowledgements)
            case .recall: command = .recall
            case .sign: command = .sign(reauthenticated: reauthenticated)
            case .returnToDraft: command = .returnToDraft(comment: inputs.comment ?? "")
            case .register:
                let number = try parsed.namndDiarienummer ?? Self.nextNamndDiarienummer(for: record, year: inputs.year, on: connection)
                details["diarienummer"] = .string(number.formatted)
                command = .register(diarienummer: number)
            case .decide:
                guard let decision = parsed.decision else { throw CaseError(.invalidInput, "Ange sammanträdesdatum, paragraf och beslutstext.") }
                details["decision"] = decision.json
                command = .decide(decision)
            case .send:
                if let service = record.authorityEService {
                    guard let reference = parsed.eserviceReference else {
                        throw CaseError(.invalidInput, "\(record.authorityName) tar emot blanketten även i \(service). Skicka in den där först och ange referensen du fick.",
                                        parameter: "eservice_reference")
                    }
                    details["eservice_reference"] = .string(reference)
                    try connection.storeEServiceReference(reference, of: record.id)
                    record.eserviceReference = reference
                }
                command = .send
            case .sendDecision: command = .sendDecision
            case .receive:
                guard let number = parsed.authorityDiarienummer else { throw CaseError(.invalidInput, "Ange myndighetens diarienummer.") }
                details["diarienummer"] = .string(number.formatted)
                command = .receive(authorityDiarienummer: number)
            case .recordGrant:
                let grant = try Self.authorityGrant(parsed, inputs, for: record, definition: try Self.definition(of: record, in: catalog))
                details["grant"] = grant.json
                command = .recordGrant(grant)
            }
            let transition = try record.workflow.apply(command, by: actor).mapError(CaseError.init).get()
            details["version"] = JSONValue(record.answersVersion)
            let comment: String? = switch command {
            case .recall, .returnToDraft: inputs.comment
            default: nil
            }
            let eventID = try connection.appendEvent(NewCaseEvent(caseID: record.id, organisationID: record.organisationID, actor: actor,
                                                                  kind: command.eventKind, fromState: transition.from, toState: transition.to,
                                                                  comment: comment, details: details))
            for action in transition.actions {
                try Self.perform(action, for: record, next: transition.workflow, actor: actor, eventID: eventID, sealingKey: sealingKey,
                                 catalog: catalog, assertion: inputs.assertion, on: connection)
            }
            try connection.writeWorkflow(transition.workflow, of: record.id)
            var after = record
            after.workflow = transition.workflow
            return after
        }
    }

    /// Completes a transition as its workflow action says.
    static func perform(_ action: WorkflowAction, for record: CaseRecord, next: CaseWorkflow, actor: CaseActor, eventID: Int,
                        sealingKey: SealingKey, catalog: FormCatalog, assertion: SigningAssertion? = nil, on connection: any CaseStoreConnection) throws {
        switch action {
        case .recordSignature(let sequence):
            // The snapshot's canonical bytes are made once: the digest, the seal and the stored copy all come from them.
            let bytes = record.snapshot.canonicalBytes()
            let signature = SignatureRecord(
                caseID: record.id.uuid, sequence: sequence, signerID: actor.userID.uuid, signerName: actor.name,
                signerTitle: try connection.title(of: actor.userID), signedAt: try connection.now(), snapshotSHA256Hex: Digest.sha256Hex(bytes),
                assertion: assertion
            )
            try connection.insertSignature(NewSignature(record: signature, snapshotBytes: bytes, seal: try sealingKey.seal(signature),
                                                        publicKey: sealingKey.publicKey))
        case .voidSignatures:
            try connection.voidSignatures(of: record.id, byEvent: eventID)
        case .storeNamndDiarienummer(let number):
            try connection.storeNamndDiarienummer(number, of: record)
        case .storeDecision:
            break  // the case's workflow, written last, holds the decision
        case .storeAuthorityDiarienummer(let number):
            try connection.storeAuthorityDiarienummer(number, of: record.id)
        case .storeAuthorityGrant(let grant):
            guard let reportBack = record.reportBackRoundID, let spec = try Self.definition(of: record, in: catalog).authorityDecision else {
                throw CaseError(WorkflowError(.noReportBack, "Ansökans omgång har ingen redovisning att förifylla."))
            }
            try connection.storeAuthorityGrant(grant, roundValues: grant.roundValues(spec), reportBackRoundID: reportBack,
                                               of: record, by: actor, eventID: eventID)
        case .dispatch(let kind):
            try connection.dispatch(kind, for: record, workflow: next)
        case .notifyReturned(let comment, let voided):
            try connection.notifyReturned(record, by: actor, comment: comment, voidedSignatures: voided)
        }
    }

    /// The authority's decision as typed, read against what the form says
    /// the decision grants: every value is required and read as its type.
    /// The diarienummer defaults to the one the receipt gave.
    static func authorityGrant(_ parsed: ParsedInputs, _ inputs: CommandInputs, for record: CaseRecord, definition: FormDefinition) throws -> AuthorityGrant {
        guard let spec = definition.authorityDecision else {
            throw CaseError(WorkflowError(.noReportBack, "Blanketten \(definition.title) säger inte vad myndighetens beslut beviljar."))
        }
        guard let number = parsed.authorityDiarienummer ?? record.workflow.authorityDiarienummer else {
            throw CaseError(.invalidInput, "Ange myndighetens diarienummer för beslutet.", parameter: "authority_diarienummer")
        }
        guard let date = parsed.decisionDate else {
            throw CaseError(.invalidInput, "Ange beslutsdatum som ÅÅÅÅ-MM-DD.", parameter: "decision_date")
        }
        let known = Set(spec.values.map(\.id))
        if let unknown = inputs.grantValues.keys.sorted().first(where: { !known.contains($0) }) {
            throw CaseError(.invalidInput, "Beslutet har inget värde som heter \(unknown.prefix(60)); det har \(spec.values.map(\.id).joined(separator: ", ")).", parameter: "values")
        }
        var values = JSONObject()
        for input in spec.values {
            let typed = inputs.grantValues[input.id] ?? ""
            guard !typed.allSatisfy(\.isWhitespace) else {
                throw CaseError(.invalidInput, "Ange ”\(input.label)” från myndighetens beslut.", parameter: "values.\(input.id)")
            }
            switch input.storedValue(typed: typed) {
            case .success(let value): values[input.id] = value
            case .failure(let error): throw CaseError(.invalidInput, "\(input.label): \(error.message)", parameter: "values.\(input.id)")
            }
        }
        return AuthorityGrant(diarienummer: number, date: date, values: values)
    }

    /// The next free number of the case's nämnd for `year`.
    static func nextNamndDiarienummer(for record: CaseRecord, year: Int, on connection: any CaseStoreConnection) throws -> Diarienummer {
        guard let namndID = record.namndID else {
            throw CaseError(.invalidInput, "Ärendet har ingen nämnd, så diarienumret kan inte sättas automatiskt. Skriv in det.")
        }
        let prefix = try connection.diariumPrefix(of: namndID)
        let last = try connection.lastNamndNumber(organisationID: record.organisationID, prefix: prefix, year: year)
        guard case .success(let number) = Diarienummer.parse("\(prefix) \(year):\(last + 1)", dialect: .namnd) else {
            throw CaseError(.invalidInput, "Året \(year) kan inte ingå i ett diarienummer.")
        }
        return number
    }

    // MARK: One method per command, for programs and tests

    public func markReady(_ caseID: CaseID, acknowledgements: [WarningKey: String], by personID: PersonID) async throws -> CaseRecord {
        try await perform(.markReady, inputs: CommandInputs(acknowledgements: acknowledgements), on: caseID, by: personID)
    }

    public func recall(_ caseID: CaseID, comment: String? = nil, by personID: PersonID) async throws -> CaseRecord {
        try await perform(.recall, inputs: CommandInputs(comment: comment), on: caseID, by: personID)
    }

    public func sign(_ caseID: CaseID, password: String, by personID: PersonID) async throws -> CaseRecord {
        try await perform(.sign, inputs: CommandInputs(password: password), on: caseID, by: personID)
    }

    public func returnToDraft(_ caseID: CaseID, comment: String, by personID: PersonID) async throws -> CaseRecord {
        try await perform(.returnToDraft, inputs: CommandInputs(comment: comment), on: caseID, by: personID)
    }

    /// `diarienummer` as typed (`SN 2021:1`); nil numbers it automatically:
    /// the case's nämnd's prefix, `year`, and the next number of that prefix
    /// and year in the organisation.
    public func register(_ caseID: CaseID, diarienummer: String?, year: Int, by personID: PersonID) async throws -> CaseRecord {
        try await perform(.register, inputs: CommandInputs(diarienummer: diarienummer, year: year), on: caseID, by: personID)
    }

    public func decide(_ caseID: CaseID, _ decision: NamndDecision, by personID: PersonID) async throws -> CaseRecord {
        try await perform(.decide, inputs: CommandInputs(meetingDate: decision.meetingDate.description, paragraph: decision.paragraph,
                                                         text: decision.text, outcome: decision.outcome.rawValue), on: caseID, by: personID)
    }

    /// `eserviceReference`: what the authority's e-service gave the form, where it has one.
    public func send(_ caseID: CaseID, eserviceReference: String? = nil, by personID: PersonID) async throws -> CaseRecord {
        try await perform(.send, inputs: CommandInputs(eserviceReference: eserviceReference), on: caseID, by: personID)
    }

    public func sendDecision(_ caseID: CaseID, by personID: PersonID) async throws -> CaseRecord {
        try await perform(.sendDecision, inputs: CommandInputs(), on: caseID, by: personID)
    }

    public func receive(_ caseID: CaseID, authorityDiarienummer: String, by personID: PersonID) async throws -> CaseRecord {
        try await perform(.receive, inputs: CommandInputs(authorityDiarienummer: authorityDiarienummer), on: caseID, by: personID)
    }

    /// `values` by the form's decision value id, typed the Swedish way;
    /// `authorityDiarienummer` nil: the one the receipt gave.
    public func recordGrant(_ caseID: CaseID, authorityDiarienummer: String? = nil, decisionDate: String, values: [String: String],
                            by personID: PersonID) async throws -> CaseRecord {
        try await perform(.recordGrant, inputs: CommandInputs(authorityDiarienummer: authorityDiarienummer, decisionDate: decisionDate, grantValues: values),
                          on: caseID, by: personID)
    }
}

/// The inputs of a command read into values before the case is touched, so
/// a typing mistake is refused without locking anything.
struct ParsedInputs: Sendable {
    var namndDiarienummer: Diarienummer?
    var decision: NamndDecision?
    var authorityDiarienummer: Diarienummer?
    var decisionDate: LocalDate?
    var eserviceReference: String?

    init(_ kind: CaseCommand.Kind, _ inputs: CommandInputs) throws {
        // Every text, whatever the command, keeps its rule: nothing overlong or with a NUL gets further.
        try TextRule.comment().checkIfPresent(inputs.comment, parameter: "comment")
        try TextRule.password.checkIfPresent(inputs.password, parameter: "password")
        try TextRule.reference("Diarienumret").checkIfPresent(inputs.diarienummer, parameter: "diarienummer")
        try TextRule.reference("Sammanträdesdatumet").checkIfPresent(inputs.meetingDate, parameter: "meeting_date")
        try TextRule.reference("Paragrafen").checkIfPresent(inputs.paragraph, parameter: "paragraph")
        try TextRule.decisionText.checkIfPresent(inputs.text, parameter: "text")
        try TextRule.reference("Beslutet").checkIfPresent(inputs.outcome, parameter: "outcome")
        try TextRule.reference("Myndighetens diarienummer").checkIfPresent(inputs.authorityDiarienummer, parameter: "authority_diarienummer")
        for comment in inputs.acknowledgements.values {
            try TextRule.comment("Kommentaren till varningen").check(comment, parameter: "acknowledgements")
        }
        try TextRule.reference("Beslutsdatumet").checkIfPresent(inputs.decisionDate, parameter: "decision_date")
        try TextRule.reference("E-tjänstens referens").checkIfPresent(inputs.eserviceReference, parameter: "eservice_reference")
        guard inputs.grantValues.count <= 50 else {
            throw CaseError(.invalidInput, "Beslutet har högst 50 värden.", parameter: "values")
        }
        for (id, value) in inputs.grantValues {
            try TextRule.reference("Beslutets värde").check(id, parameter: "values")
            try TextRule.reference("Beslutets värde \(id)").check(value, parameter: "values.\(id)")
        }
        switch kind {
        case .register:
            let typed = (inputs.diarienummer ?? "").trimmingWhitespace
            guard !typed.isEmpty else { break }
            switch Diarienummer.parse(typed, dialect: .namnd) {
            case .success(let parsed): namndDiarienummer = parsed
            case .failure(let error): throw CaseError(.invalidInput, error.message)
            }
        case .decide:
            guard let date = inputs.meetingDate.flatMap({ LocalDate(iso: $0.trimmingWhitespace) }) else {
                throw CaseError(.invalidInput, "Ange sammanträdesdatum som ÅÅÅÅ-MM-DD.")
            }
            guard let outcome = NamndDecision.Outcome(rawValue: inputs.outcome ?? NamndDecision.Outcome.approved.rawValue) else {
                throw CaseError(.invalidInput, "Beslutet ska vara approved (godkänt) eller rejected (återremitterat).")
            }
            let paragraph = inputs.paragraph ?? "", text = inputs.text ?? ""
            guard !paragraph.allSatisfy(\.isWhitespace), !text.allSatisfy(\.isWhitespace) else {
                throw CaseError(.invalidInput, "Ange paragraf och beslutstext.")
            }
            decision = NamndDecision(meetingDate: date, paragraph: paragraph, text: text, outcome: outcome)
        case .receive:
            let typed = inputs.authorityDiarienummer ?? ""
            guard case .success(let number) = Diarienummer.parse(typed) else {
                throw CaseError(.invalidInput, "\(typed.prefix(80)) är inte ett diarienummer. Länsstyrelsen skriver till exempel 821-12345-2020, Socialstyrelsen 16570/2020.")
            }
            authorityDiarienummer = number
        case .recordGrant:
            let typed = (inputs.authorityDiarienummer ?? "").trimmingWhitespace
            if !typed.isEmpty {
                guard case .success(let number) = Diarienummer.parse(typed) else {
                    throw CaseError(.invalidInput, "\(typed.prefix(80)) är inte ett diarienummer. Länsstyrelsen skriver till exempel 821-12345-2020, Socialstyrelsen 16570/2020.", parameter: "authority_diarienummer")
                }
                authorityDiarienummer = number
            }
            if let typedDate = inputs.decisionDate?.trimmingWhitespace, !typedDate.isEmpty {
                guard let date = LocalDate(iso: typedDate) else {
                    throw CaseError(.invalidInput, "Ange beslutsdatum som ÅÅÅÅ-MM-DD.", parameter: "decision_date")
                }
                decisionDate = date
            }
        case .send:
            let typed = (inputs.eserviceReference ?? "").trimmingWhitespace
            guard !typed.isEmpty else { break }
            eserviceReference = typed
        case .markReady, .recall, .sign, .returnToDraft, .sendDecision:
            break
        }
    }
}

extension String {
    fileprivate var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
