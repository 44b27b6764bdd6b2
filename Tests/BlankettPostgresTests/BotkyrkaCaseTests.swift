import BlankettCore
import BlankettPostgres
import BlankettTestSupport
import Testing

/// Botkyrka's PO redovisning 2020 from draft to received, in both orders the
/// papers show: the nämnd deciding before the form is sent, and the Botkyrka
/// order (signed 4 January, sent before the 15 January deadline, decided on
/// 26 January and the decision mailed afterwards).
@Suite struct BotkyrkaCaseTests {
    static let form = "po-redovisning-2020"
    static let decision = NamndDecision(
        meetingDate: LocalDate(year: 2021, month: 1, day: 26)!,
        paragraph: "§ 8",
        text: "Socialnämnden godkänner redovisningen av statsbidraget för verksamhet med personligt ombud 2020.",
        outcome: .approved
    )

    /// Fills the case step by step as an editor would, each save on the version the last one returned.
    static func fillInStepByStep(_ world: CaseWorld, _ record: CaseRecord) async throws -> SaveOutcome {
        let answers = try CaseWorld.botkyrkaAnswers(form)
        let definition = try world.repository.definition(of: record)
        var version = record.answersVersion
        var last: SaveOutcome?
        for step in definition.steps {
            let ids = definition.topLevelFieldIDs(inStep: step.id)
            let part = JSONObject(uniqueKeysWithValues: ids.compactMap { id in answers[id].map { (id, $0) } })
            let outcome = try await world.repository.saveAnswers(record.id, step: step.id, answers: .object(part), baseVersion: version, by: world.editor.id)
            version = outcome.version
            last = outcome
        }
        return try #require(last)
    }

    static func signedAndRegistered(_ world: CaseWorld) async throws -> CaseRecord {
        var record = try await world.newCase()
        // The round's granted amount and posts are in the case from the start, read-only.
        #expect(record.answers["beviljat_belopp"] == .string("1127386"))
        #expect(record.answers["beviljade_arsanstallningar"] == .string("2.80"))
        var outcome = try await fillInStepByStep(world, record)
        // Botkyrka dated its signature 2020-01-04, a slip for 2021-01-04 (see the
        // fixture's expected findings): the form stops it before signing.
        let expected = try CaseWorld.fixture("\(form)-botkyrka.expected").arrayValue ?? []
        #expect(Set(outcome.findings.map { "\($0.code)@\($0.path)" }) == Set(expected.map { "\($0["code"]?.stringValue ?? "")@\($0["path"]?.stringValue ?? "")" }))
        let refused = await #expect(throws: CaseError.self) { try await world.repository.markReady(record.id, acknowledgements: [:], by: world.editor.id) }
        #expect(refused?.workflowCode == .validationErrors)
        let signatureStep = try CaseWorld.botkyrkaAnswers(form)["underskrift"].map { JSONValue.object(["underskrift": $0.setting(path: "datum", to: "2021-01-04")]) }
        outcome = try await world.repository.saveAnswers(record.id, step: "underskrift-av-behorig-foretradare", answers: try #require(signatureStep), baseVersion: outcome.version, by: world.editor.id)
        #expect(outcome.findings.errors.isEmpty, "\(outcome.findings)")
        #expect(outcome.changes.map(\.path) == ["underskrift.datum"])
        let acknowledgements = Dictionary(uniqueKeysWithValues: outcome.findings.warnings.map { (WarningKey($0), "Kontrollerat mot bokslutet.") })
        record = try await world.repository.markReady(record.id, acknowledgements: acknowledgements, by: world.editor.id)
        record = try await world.repository.sign(record.id, password: CaseWorld.password, by: world.signatory.id)
        record = try await world.repository.register(record.id, diarienummer: "SN 2021:1", year: 2021, by: world.secretary.id)
        #expect(record.state == .registered)
        #expect(record.workflow.namndDiarienummer?.formatted == "SN 2021:1")
        return record
    }

    @Test func decidedBeforeSending() async throws {
        let world = try await CaseWorld.make(form: Self.form)
        var record = try await Self.signedAndRegistered(world)
        record = try await world.repository.decide(record.id, Self.decision, by: world.secretary.id)
        #expect(record.state == .decided)
        record = try await world.repository.send(record.id, by: world.secretary.id)
        record = try await world.repository.receive(record.id, authorityDiarienummer: "821-12345-2020", by: world.secretary.id)
        #expect(record.state == .received)
        #expect(record.workflow.authorityDiarienummer?.formatted == "821-12345-2020")
        let outbox = try await world.pool.query("SELECT kind, recipient FROM outbox WHERE case_id = \(record.id)::uuid ORDER BY id")
            .map { try $0.decode((String, String).self) }
        #expect(outbox.map(\.0) == ["form_with_decision"])
        #expect(outbox.map(\.1) == ["stockholm@lansstyrelsen.se"])
        let kinds = try await world.repository.events(record.id, for: world.secretary.id).map(\.kind)
        #expect(kinds.filter { $0 != "answers_saved" } == ["created", "mark_ready", "sign", "register", "decide", "send", "receive"])
        #expect(try await world.repository.verifySignatures(record.id, for: world.secretary.id).map(\.isValid) == [true])
    }

    @Test func sentBeforeTheDecisionAsInBotkyrka() async throws {
        let world = try await CaseWorld.make(form: Self.form)
        var record = try await Self.signedAndRegistered(world)
        record = try await world.repository.send(record.id, by: world.secretary.id)
        #expect(record.state == .sent)
        let early = await #expect(throws: CaseError.self) { try await world.repository.sendDecision(record.id, by: world.secretary.id) }
        #expect(early?.workflowCode == .noDecision)
        record = try await world.repository.receive(record.id, authorityDiarienummer: "821-12345-2020", by: world.secretary.id)
        record = try await world.repository.decide(record.id, Self.decision, by: world.secretary.id)
        #expect(record.state == .received)
        #expect(record.workflow.decision == Self.decision)
        record = try await world.repository.sendDecision(record.id, by: world.secretary.id)
        #expect(record.workflow.decisionSent)
        let outbox = try await world.pool.query("SELECT kind FROM outbox WHERE case_id = \(record.id)::uuid ORDER BY id").map { try $0.decode(String.self, at: 0) }
        #expect(outbox == ["form_before_decision", "decision_follow_up"])
        let events = try await world.repository.events(record.id, for: world.secretary.id).filter { $0.kind != "answers_saved" }
        #expect(events.map(\.kind) == ["created", "mark_ready", "sign", "register", "send", "receive", "decide", "send_decision"])
        #expect(events.first { $0.kind == "decide" }?.details["decision"]?["paragraph"] == .string("§ 8"))
        #expect(try await world.repository.verifySignatures(record.id, for: world.secretary.id).map(\.isValid) == [true])
    }
}
