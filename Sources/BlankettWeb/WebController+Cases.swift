import BlankettCore
import BlankettMail
import BlankettPostgres
import Hummingbird

extension WebController {
    // MARK: The case page

    static let flashes: [String: String] = [
        "sparat": "Svaren är sparade.",
        "mark_ready": "Blanketten är klar för underskrift.",
        "recall": "Blanketten är tillbakatagen till utkast.",
        "sign": "Du har skrivit under.",
        "return": "Blanketten är tillbakaskickad till handläggaren.",
        "register": "Ärendet är registrerat.",
        "decide": "Nämndens beslut är registrerat.",
        "send": "Blanketten skickas till myndigheten.",
        "send_decision": "Beslutet skickas till myndigheten.",
        "receive": "Myndighetens mottagning är registrerad.",
        "resend": "Meddelandet skickas igen.",
    ]

    func casePage(_ user: SessionStore.Session, caseID: CaseID, flash: String?, problem: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let overview = try await services.cases.overview(caseID, for: user.userID)
        let opened = overview.opened
        let (record, definition, actor) = (opened.record, opened.definition, opened.actor)
        let events = overview.events, verdicts = overview.signatures, changes = overview.changesSinceReturn
        var content: [String: Any] = Self.deadlineFields(record.deadline, today: services.clock.swedishToday(), open: ![.sent, .received].contains(record.state))
        content["id"] = record.id
        content["title"] = definition.title
        content["state"] = record.state.swedishName
        content["organisationName"] = record.organisationName
        content["period"] = "\(record.periodStart) – \(record.periodEnd)"
        if let number = record.workflow.namndDiarienummer { content["namndDnr"] = number.formatted }
        if let number = record.workflow.authorityDiarienummer { content["authorityDnr"] = number.formatted }
        content["editable"] = opened.isEditable
        // The authority's own introduction, with its address and the round's deadline filled in.
        let intro = (record.formTexts.fill(definition.intro) ?? "").components(separatedBy: "\n\n").filter { !$0.allSatisfy(\.isWhitespace) }
        content["intro"] = intro
        content["hasIntro"] = opened.isEditable && !intro.isEmpty
        content["sendTo"] = record.sendTo
        content["firstStep"] = definition.steps.first?.id ?? ""
        if let resume = Self.resumePoint(events: events, userID: user.userID, definition: definition, caseID: record.id) {
            content["resumeHref"] = resume.href
            content["resumeTitle"] = resume.title
        }
        let changeRows = changes.map { ["label": $0.label ?? $0.path, "before": FieldViewBuilder.text($0.before), "after": FieldViewBuilder.text($0.after)] }
        content["changes"] = changeRows
        content["hasChanges"] = !changeRows.isEmpty
        let signingProvider = opened.availableCommands.contains(.sign) ? try await services.directory.identityProvider(governing: record.organisationID) : nil
        let transitions = offeredTransitions(opened, csrf: user.csrfToken, signingProvider: signingProvider)
        content["transitions"] = transitions
        content["hasTransitions"] = !transitions.isEmpty
        let signatures: [[String: Any]] = verdicts.map {
            ["sequence": $0.sequence, "name": $0.signerName, "status": $0.isValid ? "giltig" : "ogiltig: innehållet har ändrats efter underskriften",
             "problems": $0.problems.map(\.description), "assertion": $0.assertion?.summary ?? ""]
        }
        content["signatures"] = signatures
        content["hasSignatures"] = !signatures.isEmpty
        let outbox = try await Outbox(pool: services.pool).messages(caseID: record.id)
        let isSecretary = actor.roles.contains(.secretary)
        let messages: [[String: Any]] = outbox.map { entry in
            Self.present([
                "id": String(entry.id), "caseID": record.id, "csrf": user.csrfToken, "subject": entry.subject ?? entry.kind.rawValue,
                "recipient": entry.recipient, "status": Self.swedish(entry.status), "reply": entry.lastReply ?? entry.lastError,
                "canResend": isSecretary && entry.status == .failed,
            ])
        }
        content["messages"] = messages
        content["hasMessages"] = !messages.isEmpty
        let documents: [[String: Any]] = try await CaseDocuments(pool: services.pool).list(caseID: record.id).map { document in
            ["href": "/cases/\(record.id)/documents/\(document.id)", "filename": document.filename,
             "what": document.kind == "form" ? "Blanketten med underskrifterna inbyggda (PDF)" : "Nämndens beslut (PDF)",
             "size": "\((document.size + 1023) / 1024) kB", "at": SwedishTime(iso: document.createdAt)?.description ?? document.createdAt]
        }
        content["documents"] = documents
        content["hasDocuments"] = !documents.isEmpty
        content["events"] = events.map { Self.present(["at": SwedishTime(iso: $0.at)?.description ?? $0.at,
                                                        "actor": $0.actorName, "text": Self.describe($0), "comment": $0.comment]) }
        return render("case", content, title: definition.title, user: user, organisationName: record.organisationName,
                      flash: flash.flatMap { Self.flashes[$0] }, problem: problem, status: status)
    }

    /// Where the person left off: the step after the one they saved last
    /// (the review page after the last step); nil before their first save.
    static func resumePoint(events: [CaseEvent], userID: PersonID, definition: FormDefinition, caseID: CaseID) -> (href: String, title: String)? {
        guard let saved = events.last(where: { $0.kind == "answers_saved" && $0.actorID == userID })?.details.value(atPath: "step")?.stringValue,
              let index = definition.steps.firstIndex(where: { $0.id == saved }) else { return nil }
        guard index + 1 < definition.steps.count else { return ("/cases/\(caseID)/review", "Kontrollera dina svar") }
        let next = definition.steps[index + 1]
        return ("/cases/\(caseID)/steps/\(next.id)", "steg \(index + 2) av \(definition.steps.count): \(next.title)")
    }

    /// The transitions this person may ask for now, each with the inputs it needs.
    /// With a `signingProvider`, signing is offered through it (step-up at the
    /// identity provider), and with the password only where the organisation
    /// still allows passwords.
    func offeredTransitions(_ opened: OpenedCase, csrf: String, signingProvider: IdentityProviderSettings? = nil) -> [[String: Any]] {
        let record = opened.record
        let available = opened.availableCommands
        let validation = available.contains(.markReady) ? opened.validation() : nil
        return available.map { transition in
            let warnings: [[String: Any]] = transition == .markReady ? (validation?.warnings ?? []).filter { $0.code != "not-relevant" }.enumerated().map {
                ["index": $0.offset, "key": WarningKey($0.element).description, "message": $0.element.message]
            } : []
            return ["caseID": record.id, "command": transition.rawValue, "title": transition.title, "explanation": transition.explanation(for: record),
                    "button": transition.button, "csrf": csrf, "warnings": warnings,
                    "needsComment": transition == .returnToDraft, "needsPassword": transition == .sign && signingProvider?.passwordsAllowed != false,
                    "signWithProvider": transition == .sign && signingProvider != nil, "providerName": signingProvider?.displayName ?? "",
                    "providerOnly": transition == .sign && signingProvider?.passwordsAllowed == false,
                    "needsNamndDnr": transition == .register,
                    "needsDecision": transition == .decide, "needsAuthorityDnr": transition == .receive,
                    "grantInputs": transition == .recordGrant ? Self.grantInputs(opened) : [], "needsGrant": transition == .recordGrant,
                    "knownAuthorityDnr": record.workflow.authorityDiarienummer?.formatted ?? "",
                    "eservice": transition == .send ? record.authorityEService ?? "" : "", "needsEService": transition == .send && record.authorityEService != nil,
                    "confirmation": transition.confirmation(for: record) ?? "", "needsConfirmation": transition.confirmation(for: record) != nil]
        }
    }

    /// The values the form says the authority's decision grants, with what
    /// was recorded before (a second recording corrects the first).
    static func grantInputs(_ opened: OpenedCase) -> [[String: Any]] {
        let recorded = opened.record.authorityGrant?.values ?? JSONObject()
        return (opened.definition.authorityDecision?.values ?? []).map { input in
            ["id": input.id, "label": input.label, "value": recorded[input.id].map(RoundInput.typedText) ?? ""]
        }
    }

    static func swedish(_ status: OutboxStatus) -> String {
        switch status {
        case .queued: "i kö"
        case .sending: "skickas"
        case .sent: "skickat"
        case .failed: "misslyckades"
        }
    }

    func resend(_ user: SessionStore.Session, caseID: CaseID, messageID: String) async throws -> Response {
        let opened = try await services.cases.open(caseID, for: user.userID)
        let record = opened.record
        guard opened.actor.roles.contains(.secretary) else { throw CaseError(.workflow, "Bara nämndsekreteraren kan skicka om ett meddelande.") }
        let outbox = Outbox(pool: services.pool)
        guard let id = Int64(messageID), try await outbox.message(id: id)?.caseID == record.id else { throw CaseError.notFound("Meddelandet") }
        _ = try await outbox.resend(id: id)
        return Response.redirect(to: "/cases/\(record.id)?klart=resend", type: .normal)
    }

    /// A PDF as it was sent with the case's messages, for anyone who may see
    /// the case (the nämnd's diarium wants the signed file).
    func document(_ user: SessionStore.Session, caseID: CaseID, documentID: String) async throws -> Response {
        let record = try await services.cases.open(caseID, for: user.userID).record
        guard let id = Int64(documentID), id > 0,
              let document = try await CaseDocuments(pool: services.pool).content(id: id, caseID: record.id) else {
            throw CaseError.notFound("Handlingen")
        }
        // The stored name may hold å, ä, ö: an ASCII fallback and the UTF-8 name (RFC 6266, 8187).
        let ascii = String(document.filename.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        return Response(status: .ok, headers: [
            .contentType: "application/pdf",
            .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(Hex.percentEncoded(document.filename))",
            .cacheControl: "private, no-store",
        ], body: .init(byteBuffer: ByteBuffer(bytes: document.bytes)))
    }

    static func describe(_ event: CaseEvent) -> String {
        let dnr = event.details["diarienummer"]?.stringValue.map { " \($0)" } ?? ""
        switch event.kind {
        case "created": return "skapade ärendet"
        case "answers_saved":
            let count = event.details["changes"]?.arrayValue?.count ?? 0
            return "sparade svar (\(count) \(count == 1 ? "ändring" : "ändringar"))"
        case "mark_ready": return "skickade blanketten till underskrift"
        case "recall": return "tog tillbaka blanketten"
        case "sign": return "skrev under"
        case "return": return "skickade tillbaka blanketten"
        case "register": return "registrerade ärendet\(dnr)"
        case "decide": return "registrerade nämndens beslut"
        case "send": return "skickade blanketten till myndigheten" + (event.details["eservice_reference"]?.stringValue.map { " (e-tjänstens referens \($0))" } ?? "")
        case "send_decision": return "skickade nämndens beslut till myndigheten"
        case "receive": return "registrerade myndighetens mottagning\(dnr)"
        case "record_grant":
            let number = event.details.value(atPath: "grant.diarienummer")?.stringValue.map { " \($0)" } ?? ""
            let date = event.details.value(atPath: "grant.date")?.stringValue.map { " den \($0)" } ?? ""
            return "registrerade myndighetens beslut\(number)\(date)"
        default: return event.kind
        }
    }

    // MARK: Steps

    /// `showFindings`: after a save or from the review page. A step opened
    /// for the first time does not greet the person with "must be answered".
    func stepPage(_ user: SessionStore.Session, caseID: CaseID, stepID: String, showFindings: Bool) async throws -> Response {
        let opened = try await services.cases.open(caseID, for: user.userID)
        return try renderStep(user, record: opened.record, definition: opened.definition, stepID: stepID, answers: opened.record.answers,
                              version: opened.record.answersVersion, showFindings: showFindings)
    }

    func renderStep(_ user: SessionStore.Session, record: CaseRecord, definition: FormDefinition, stepID: String, answers: JSONValue, version: Int,
                    showFindings: Bool = true, problem: String? = nil, problemChanges: [AnswerChange] = [], status: HTTPResponse.Status = .ok) throws -> Response {
        guard let index = definition.steps.firstIndex(where: { $0.id == stepID }) else { throw CaseError.notFound("Steget") }
        let step = definition.steps[index]
        let validation = definition.validate(answers, context: record.validationContext)
        let builder = FieldViewBuilder(definition: definition, answers: answers, validation: validation, showFindings: showFindings, texts: record.formTexts)
        let findings = showFindings ? validation.findings(inStep: step.id) : []
        let errors = findings.filter { $0.severity == .error }.map { ["anchor": FieldView.anchor($0.path), "message": $0.message] }
        let warnings = findings.filter { $0.severity == .warning && $0.code != "not-relevant" }.map { ["anchor": FieldView.anchor($0.path), "message": $0.message] }
        let content = Self.present([
            "caseID": record.id, "formTitle": definition.title, "id": step.id, "title": step.title, "intro": record.formTexts.fill(step.intro),
            "number": index + 1, "count": definition.steps.count, "version": version,
            "steps": definition.steps.map { ["id": $0.id, "title": $0.title, "current": $0.id == step.id, "caseID": record.id] },
            "fields": builder.views(for: step.fields),
            "errors": errors, "hasErrors": !errors.isEmpty, "errorCount": errors.count,
            "warnings": warnings, "hasWarnings": !warnings.isEmpty,
        ])
        let changes = problemChanges.map { ["label": $0.label ?? $0.path, "before": FieldViewBuilder.text($0.before), "after": FieldViewBuilder.text($0.after)] }
        return render("step", content, title: "\(step.title) – steg \(index + 1) av \(definition.steps.count)", user: user,
                      organisationName: record.organisationName, problem: problem, problemChanges: changes, status: status)
    }

    func saveStep(_ user: SessionStore.Session, caseID: CaseID, stepID: String, form: FormPost) async throws -> Response {
        guard let version = form["version"].flatMap({ Int($0) }) else {
            throw CaseError(.invalidInput, "Formuläret saknar version. Ladda om sidan.")
        }
        let outcome: SaveOutcome
        do {
            outcome = try await services.cases.saveAnswers(caseID, step: stepID, baseVersion: version, by: user.userID) { step in
                .object(try form.answers(for: step?.fields ?? []))
            }
        } catch let error as CaseError where error.code == .conflict || error.code == .invalidInput {
            // Nothing is lost: the page comes back with what the person typed over the stored answers.
            let opened = try await services.cases.open(caseID, for: user.userID)
            guard let step = opened.definition.step(withID: stepID) else { throw CaseError.notFound("Steget") }
            let shown = CaseService.merge((try? form.answers(for: step.fields)) ?? [:], into: opened.record.answers, fieldIDs: step.fields.map(\.id))
            return try renderStep(user, record: opened.record, definition: opened.definition, stepID: stepID, answers: shown,
                                  version: error.currentVersion ?? opened.record.answersVersion,
                                  problem: error.message, problemChanges: error.changes, status: error.status)
        }
        let record = outcome.record
        if form["action"] == "exit" { return Response.redirect(to: "/cases/\(record.id)?klart=sparat", type: .normal) }
        // Errors keep the person on the step (the summary at the top lists them); otherwise on to the next.
        if outcome.findings.contains(where: { $0.step == stepID && $0.severity == .error }) {
            return Response.redirect(to: "/cases/\(record.id)/steps/\(stepID)?kontroll=1", type: .normal)
        }
        let steps = try services.cases.definition(of: record).steps
        if let index = steps.firstIndex(where: { $0.id == stepID }), index + 1 < steps.count {
            return Response.redirect(to: "/cases/\(record.id)/steps/\(steps[index + 1].id)", type: .normal)
        }
        return Response.redirect(to: "/cases/\(record.id)/review", type: .normal)
    }

    // MARK: Review

    func reviewPage(_ user: SessionStore.Session, caseID: CaseID) async throws -> Response {
        let opened = try await services.cases.open(caseID, for: user.userID)
        let (record, definition, editable) = (opened.record, opened.definition, opened.isEditable)
        let validation = opened.validation()
        let steps: [[String: Any]] = definition.steps.map { step in
            var rows: [[String: String]] = []
            func add(_ field: Field) {
                guard (validation.isAsked(field.path, in: definition) ?? true) else { return }
                switch field.type {
                case .info: return
                case .group: field.children.forEach(add)
                case .grid(let gridRows, let columns, _):
                    for row in gridRows {
                        for column in columns {
                            let path = "\(field.path).\(row.id).\(column.id)"
                            guard (validation.isAsked(path, in: definition) ?? true) else { continue }
                            rows.append(["label": "\(field.label ?? field.id) – \(row.label) – \(column.label)", "value": Self.display(path, field: field, validation: validation, definition: definition)])
                        }
                    }
                default:
                    rows.append(["label": field.label ?? field.id, "value": Self.display(field.path, field: field, validation: validation, definition: definition)])
                }
            }
            step.fields.forEach(add)
            return ["id": step.id, "title": step.title, "answers": rows, "editable": editable, "caseID": record.id]
        }
        let errors = validation.errors.map { ["anchor": FieldView.anchor($0.path), "message": $0.message, "step": $0.step, "caseID": record.id] }
        return render("review", ["caseID": record.id, "formTitle": definition.title, "steps": steps, "errors": errors, "hasErrors": !errors.isEmpty, "errorCount": errors.count],
                      title: "Kontrollera dina svar", user: user, organisationName: record.organisationName)
    }

    static func display(_ path: String, field: Field, validation: ValidationResult, definition: FormDefinition) -> String {
        guard let value = validation.value(atPath: path, in: definition), !value.isEmpty else { return "Ej besvarad" }
        switch (field.type, value) {
        case (.yesNo, .bool(let flag)): return flag ? "Ja" : "Nej"
        case (.kronor, .number(let number)): return SwedishDisplay.number(number) + " kr"
        case (.choice, .text(let id)), (.scale, .text(let id)):
            return field.type.options.first { $0.id == id }?.label ?? id
        case (.multiChoice(let options, _, _), .list(let items)):
            return items.compactMap { item -> String? in
                guard case .text(let id) = item else { return nil }
                return options.first { $0.id == id }?.label ?? id
            }.joined(separator: ", ")
        default: return SwedishDisplay.text(value)
        }
    }

    // MARK: Transitions

    func perform(_ user: SessionStore.Session, caseID: CaseID, command: String, form: FormPost) async throws -> Response {
        guard let kind = CaseCommand.Kind(rawValue: command) else { throw CaseError.notFound("Åtgärden") }
        let inputs = CommandInputs(
            comment: form["comment"], password: form["password"], diarienummer: form["diarienummer"], year: services.clock.swedishToday().year,
            meetingDate: form["meeting_date"], paragraph: form["paragraph"], text: form["text"], outcome: form["outcome"],
            authorityDiarienummer: form["authority_dnr"],
            acknowledgements: Dictionary(form.pairs.compactMap { pair -> (WarningKey, String)? in
                guard pair.name.hasPrefix("ack."), let key = WarningKey(String(pair.name.dropFirst(4))) else { return nil }
                return (key, pair.value)
            }, uniquingKeysWith: { $1 }),
            decisionDate: form["decision_date"],
            grantValues: Dictionary(form.pairs.compactMap { pair -> (String, String)? in
                pair.name.hasPrefix("grant.") ? (String(pair.name.dropFirst(6)), pair.value) : nil
            }, uniquingKeysWith: { $1 }),
            eserviceReference: form["eservice_reference"]
        )
        if kind.needsConfirmation, form["confirm"] != "ja" {
            let opened = try await services.cases.open(caseID, for: user.userID)
            // Unticked: ask again, unless the transition is closed anyway (then its own refusal says why).
            if let confirmation = kind.confirmation(for: opened.record), opened.availableCommands.contains(kind) {
                return try await casePage(user, caseID: caseID, flash: nil, problem: "Bekräfta först genom att kryssa i rutan ”Ja, \(confirmation)” och tryck sedan på knappen igen.", status: .unprocessableContent)
            }
        }
        do {
            _ = try await services.cases.perform(kind, inputs: inputs, on: caseID, by: user.userID)
        } catch let error as CaseError where error.code != .notFound {
            return try await casePage(user, caseID: caseID, flash: nil, problem: error.message, status: error.status)
        }
        return Response.redirect(to: "/cases/\(caseID)?klart=\(command)", type: .normal)
    }
}
