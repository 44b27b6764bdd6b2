import BlankettCore
import BlankettTestSupport
import Testing

/// The case service's decisions against a store in memory: saving a step,
/// every command, and how often the case is loaded and locked.
@Suite struct CaseServiceTests {
    static let form = FormEngineTests.header + """
        steps:
          - id: ekonomi
            title: Ekonomi
            fields:
              - id: beviljat
                type: kronor
                label: Beviljat
                required: true
              - id: forbrukat
                type: kronor
                label: Förbrukat
                required: true
                constraint: ". <= ${beviljat}"
                constraint_code: over-beviljat
                constraint_message: "Förbrukat får inte överstiga beviljat."
              - id: kvar
                type: kronor
                label: Kvar
                min: -100000000
                calculate: "${beviljat} - ${forbrukat}"
          - id: verksamhet
            title: Verksamhet
            fields:
              - id: utbildning
                type: yesno
                label: Har ombuden fått utbildning?
              - id: varfor
                type: longtext
                label: Varför inte?
                relevant: "${utbildning} = false"
              - id: klienter
                type: integer
                label: Antal klienter
                constraint: ". < 1000"
                constraint_code: manga-klienter
                constraint_message: "Ovanligt många klienter."
                severity: warning
        """

    static let roundInput = """
        round_inputs:
          - { id: antal_ombud, type: decimal, decimals: 2, label: Beviljade årsanställningar }

        """

    static let password = "rätt lösenord"

    /// A kommun with one nämnd, an editor, two signatories and a secretary, a
    /// round of the form above, and a case of it started by the editor.
    struct World {
        let store = InMemoryCaseStore()
        /// What the service asks of the store, counted.
        let counting: CountingCaseStore
        let service: CaseService
        let caseID: CaseID
        let editor = World.id(1), signatory = World.id(2), chair = World.id(3), secretary = World.id(4), outsider = World.id(5)
        static let botkyrka = OrganisationID(unchecked: "00000000-0000-0000-0000-0000000000b0")
        static let huddinge = OrganisationID(unchecked: "00000000-0000-0000-0000-0000000000b1")
        static let namnd = NamndID(unchecked: "00000000-0000-0000-0000-0000000000c0")
        static let round = RoundID(unchecked: "00000000-0000-0000-0000-0000000000d0")

        static func id(_ number: Int) -> PersonID { PersonID(unchecked: "00000000-0000-0000-0000-00000000000\(number)") }

        /// `roundInputs`: the form takes a value from the round (none is set).
        init(requiredSignatures: Int = 1, roundInputs: Bool = false) async throws {
            let text = roundInputs ? CaseServiceTests.form.replacingOccurrences(of: "steps:\n", with: CaseServiceTests.roundInput + "steps:\n") : CaseServiceTests.form
            let definition: FormDefinition
            switch FormDefinition.load(text, file: "forms/test-2020.yaml") {
            case .success(let loaded): definition = loaded
            case .failure(let failure): throw FixtureError(failure.description)
            }
            var catalog = FormCatalog()
            catalog.add(definition, text: text)
            counting = CountingCaseStore(store)
            service = CaseService(store: counting, catalog: catalog, sealingKey: SealingKey.generate())
            let hash = try PasswordHash.make(password: CaseServiceTests.password, salt: Array("salt-for-tests!!".utf8), rounds: 1_000)
            store.change { state in
                state.organisations = [World.botkyrka: .init(name: "Botkyrka kommun", organisationsnummer: "212000-2882"),
                                       World.huddinge: .init(name: "Huddinge kommun", organisationsnummer: "212000-0076")]
                func person(_ name: String, _ roles: Set<Role>, in organisation: OrganisationID = World.botkyrka) -> InMemoryCaseStore.Person {
                    .init(name: name, title: "Titel", passwordHash: hash, roles: [organisation: roles])
                }
                state.people = [World.id(1): person("Merith", [.editor]), World.id(2): person("Anna", [.signatory]),
                                World.id(3): person("Ordförande", [.signatory]), World.id(4): person("Sekreterare", [.secretary]),
                                World.id(5): person("Huddinge", [.editor, .signatory, .secretary], in: World.huddinge)]
                state.namnder = [World.namnd: (World.botkyrka, "SN")]
                state.rounds = [World.round: .init(facts: RoundFacts(formID: definition.id, requiredSignatures: requiredSignatures,
                                                                 periodStart: LocalDate(year: 2020, month: 1, day: 1)!,
                                                                 periodEnd: LocalDate(year: 2020, month: 12, day: 31)!,
                                                                 deadline: LocalDate(year: 2021, month: 1, day: 15)!),
                                               title: "Test 2020", deadline: LocalDate(year: 2021, month: 1, day: 15)!)]
            }
            caseID = try await service.create(roundID: World.round, organisationID: World.botkyrka, by: World.id(1)).id
        }

        func save(_ step: String, _ answers: JSONObject, version: Int? = nil, by person: PersonID? = nil) async throws -> SaveOutcome {
            let current = try await service.find(caseID, for: editor).answersVersion
            return try await service.saveAnswers(caseID, step: step, answers: .object(answers), baseVersion: version ?? current, by: person ?? editor)
        }

        /// The case filled in without errors or warnings.
        func complete() async throws {
            _ = try await save("ekonomi", ["beviljat": "100 000", "forbrukat": "90 000"])
            _ = try await save("verksamhet", ["utbildning": true, "klienter": 12])
        }

        func refusal(_ body: () async throws -> Void) async -> CaseError? {
            do {
                try await body()
                return nil
            } catch let error as CaseError {
                return error
            } catch {
                return CaseError(.invalidInput, "unexpected \(error)")
            }
        }
    }

    // MARK: Saving

    @Test func aSaveComputesDropsAndReturnsTheFindingsOfTheWholeForm() async throws {
        let world = try await World()
        _ = try await world.save("verksamhet", ["utbildning": true, "varfor": "Covid"])
        let outcome = try await world.save("ekonomi", ["beviljat": "100 000", "forbrukat": "120 000", "kvar": 5])
        #expect(outcome.record.answers["kvar"] == "-20000", "computed, not taken from the post")
        #expect(outcome.record.answers["varfor"] == nil, "dropped earlier: the question is not asked when training was given")
        #expect(outcome.findings.contains { $0.path == "forbrukat" && $0.severity == .error })
        #expect(outcome.version == outcome.record.answersVersion)
        #expect(outcome.changes.map(\.path).sorted() == ["beviljat", "forbrukat", "kvar"])
    }

    @Test func oneStepSaveLoadsAndLocksTheCaseOnce() async throws {
        let world = try await World()
        world.counting.reset()
        _ = try await world.save("ekonomi", ["beviljat": "100 000"], version: 1)
        #expect(world.counting.count("loadCase(forUpdate)") == 1)
        #expect(world.counting.count("loadCase") == 1, "the one unlocked load is the test's own, to learn the version")
        #expect(world.counting.count("writeAnswers") == 1)
        #expect(world.counting.count("appendEvent") == 1)
    }

    @Test func aSaveThatChangesNothingWritesNothing() async throws {
        let world = try await World()
        let first = try await world.save("ekonomi", ["beviljat": "100 000"])
        world.counting.reset()
        let again = try await world.save("ekonomi", ["beviljat": "100 000"])
        #expect(again.version == first.version)
        #expect(again.changes.isEmpty)
        #expect(world.counting.count("writeAnswers") == 0)
        #expect(world.counting.count("appendEvent") == 0)
    }

    @Test func aStaleVersionIsRefusedWithWhatChanged() async throws {
        let world = try await World()
        _ = try await world.save("ekonomi", ["beviljat": "100 000"], version: 1)
        let error = await world.refusal { _ = try await world.save("ekonomi", ["beviljat": "1"], version: 1) }
        #expect(error?.code == .conflict)
        #expect(error?.currentVersion == 2)
        #expect(error?.changes.map(\.path) == ["beviljat"])
        #expect(try await world.service.find(world.caseID, for: world.editor).answers["beviljat"] == "100 000", "nothing saved")
    }

    @Test func refusedSavesChangeNothing() async throws {
        let world = try await World()
        let cases: [(String, JSONObject, PersonID, CaseError.Code)] = [
            ("ekonomi", ["beviljat": "a\u{0}b"], world.editor, .invalidInput),
            ("ekonomi", ["beviljat": .number("1e400")], world.editor, .invalidInput),
            ("finns-inte", [:], world.editor, .notFound),
            ("ekonomi", ["beviljat": 1], world.signatory, .workflow),
            ("ekonomi", ["beviljat": 1], world.outsider, .notFound),
        ]
        for (step, answers, person, code) in cases {
            let error = await world.refusal { _ = try await world.save(step, answers, version: 1, by: person) }
            #expect(error?.code == code, "\(step) \(answers) by \(person)")
        }
        #expect(try await world.service.find(world.caseID, for: world.editor).answersVersion == 1)
        #expect(world.store.inspect { $0.events[world.caseID]?.count } == 1, "only the creation")
    }

    @Test func aMemberThatIsNoFieldOfTheStepIsDroppedAndNamed() async throws {
        let world = try await World()
        let saved = try await world.save("ekonomi", ["beviljat": "100 000", "okänt": 1, "nul\u{0}": "x\u{0}"], version: 1, by: world.editor)
        #expect(saved.droppedPaths.prefix(2) == ["nul\u{0}", "okänt"])
        let stored = try await world.service.find(world.caseID, for: world.editor).answers
        #expect(stored["beviljat"] == "100 000" && stored["okänt"] == nil)
        let event = world.store.inspect { $0.events[world.caseID]?.last }
        #expect(event?.details["dropped"] == nil, "not stored, not even in the audit trail")
    }

    // MARK: Commands

    @Test func theWholeWayWithTwoSignaturesInOrder() async throws {
        let world = try await World(requiredSignatures: 2)
        try await world.complete()
        _ = try await world.service.markReady(world.caseID, acknowledgements: [:], by: world.editor)
        let partly = try await world.service.sign(world.caseID, password: Self.password, by: world.signatory)
        #expect(partly.state == .partlySigned)
        let again = await world.refusal { _ = try await world.service.sign(world.caseID, password: Self.password, by: world.signatory) }
        #expect(again?.workflowCode == .alreadySigned)
        let signed = try await world.service.sign(world.caseID, password: Self.password, by: world.chair)
        #expect(signed.state == .signed)
        let registered = try await world.service.register(world.caseID, diarienummer: nil, year: 2021, by: world.secretary)
        #expect(registered.workflow.namndDiarienummer?.formatted == "SN 2021:1")
        let decision = NamndDecision(meetingDate: LocalDate(year: 2021, month: 1, day: 26)!, paragraph: "§ 12", text: "Godkänns.", outcome: .approved)
        _ = try await world.service.decide(world.caseID, decision, by: world.secretary)
        let sent = try await world.service.send(world.caseID, by: world.secretary)
        #expect(sent.state == .sent)
        #expect(world.store.inspect { $0.dispatched.map(\.kind) } == [.formWithDecision])
        let received = try await world.service.receive(world.caseID, authorityDiarienummer: "821-12345-2020", by: world.secretary)
        #expect(received.state == .received)
        #expect(received.workflow.authorityDiarienummer?.formatted == "821-12345-2020")
        let verdicts = try await world.service.verifySignatures(world.caseID, for: world.secretary)
        #expect(verdicts.map(\.isValid) == [true, true])
        let kinds = try await world.service.events(world.caseID, for: world.editor).map(\.kind)
        #expect(kinds == ["created", "answers_saved", "answers_saved", "mark_ready", "sign", "sign", "register", "decide", "send", "receive"])
    }

    @Test func recallThenTheBotkyrkaOrderSendBeforeTheDecision() async throws {
        let world = try await World()
        try await world.complete()
        _ = try await world.service.markReady(world.caseID, acknowledgements: [:], by: world.editor)
        let recalled = try await world.service.recall(world.caseID, comment: "Glömde en siffra.", by: world.editor)
        #expect(recalled.state == .draft)
        _ = try await world.service.markReady(world.caseID, acknowledgements: [:], by: world.editor)
        _ = try await world.service.sign(world.caseID, password: Self.password, by: world.signatory)
        _ = try await world.service.register(world.caseID, diarienummer: "SN 2021:7", year: 2021, by: world.secretary)
        let early = await world.refusal { _ = try await world.service.sendDecision(world.caseID, by: world.secretary) }
        #expect(early?.workflowCode == .illegalTransition, "nothing is sent yet")
        let sent = try await world.service.send(world.caseID, by: world.secretary)
        #expect(sent.state == .sent && sent.workflow.formSent && !sent.workflow.decisionSent)
        let none = await world.refusal { _ = try await world.service.sendDecision(world.caseID, by: world.secretary) }
        #expect(none?.workflowCode == .noDecision)
        let decision = NamndDecision(meetingDate: LocalDate(year: 2021, month: 1, day: 26)!, paragraph: "§ 12", text: "Godkänns.", outcome: .approved)
        _ = try await world.service.decide(world.caseID, decision, by: world.secretary)
        let followed = try await world.service.sendDecision(world.caseID, by: world.secretary)
        #expect(followed.workflow.decisionSent)
        #expect(world.store.inspect { $0.dispatched.map(\.kind) } == [.formBeforeDecision, .decisionFollowUp])
        let events = try await world.service.events(world.caseID, for: world.editor)
        #expect(events.first { $0.kind == "recall" }?.comment == "Glömde en siffra.")
        #expect(events.last?.kind == "send_decision")
    }

    @Test func aWrongPasswordSignsNothing() async throws {
        let world = try await World()
        try await world.complete()
        _ = try await world.service.markReady(world.caseID, acknowledgements: [:], by: world.editor)
        world.counting.reset()
        let error = await world.refusal { _ = try await world.service.sign(world.caseID, password: "fel", by: world.signatory) }
        #expect(error?.workflowCode == .reauthenticationRequired)
        #expect(world.counting.count("passwordHash") == 1)
        #expect(world.store.inspect { $0.signatures[world.caseID] } == nil)
        #expect(try await world.service.find(world.caseID, for: world.editor).state == .ready)
    }

    @Test func aReturnVoidsTheSignatureAndTellsTheEditors() async throws {
        let world = try await World()
        try await world.complete()
        _ = try await world.service.markReady(world.caseID, acknowledgements: [:], by: world.editor)
        _ = try await world.service.sign(world.caseID, password: Self.password, by: world.signatory)
        let missing = await world.refusal { _ = try await world.service.returnToDraft(world.caseID, comment: "  ", by: world.secretary) }
        #expect(missing?.workflowCode == .commentRequired)
        let draft = try await world.service.returnToDraft(world.caseID, comment: "Fel belopp.", by: world.secretary)
        #expect(draft.state == .draft)
        #expect(draft.workflow.signers.isEmpty)
        #expect(world.store.inspect { $0.notices.map(\.comment) } == ["Fel belopp."])
        #expect(try await world.service.verifySignatures(world.caseID, for: world.editor).isEmpty)
        _ = try await world.save("ekonomi", ["beviljat": "100 000", "forbrukat": "80 000"])
        let changed = try await world.service.changesSinceReturn(world.caseID, for: world.editor).map(\.path)
        #expect(changed == ["forbrukat", "kvar"])
    }

    @Test func markingReadyNeedsNoErrorsAndCommentedWarnings() async throws {
        let world = try await World()
        let errors = await world.refusal { _ = try await world.service.markReady(world.caseID, acknowledgements: [:], by: world.editor) }
        #expect(errors?.workflowCode == .validationErrors)
        _ = try await world.save("ekonomi", ["beviljat": "100 000", "forbrukat": "90 000"])
        _ = try await world.save("verksamhet", ["utbildning": true, "klienter": 5000])
        let warning = await world.refusal { _ = try await world.service.markReady(world.caseID, acknowledgements: [:], by: world.editor) }
        #expect(warning?.workflowCode == .warningNotAcknowledged)
        let key = WarningKey(code: try #require(try await world.service.validate(world.caseID, for: world.editor).warnings.first).code, path: "klienter")
        let ready = try await world.service.markReady(world.caseID, acknowledgements: [key: "Stämmer: två kommuner."], by: world.editor)
        #expect(ready.state == .ready)
        let event = try #require(try await world.service.events(world.caseID, for: world.editor).last)
        #expect(event.details["acknowledgements"]?[key.description]?.stringValue == "Stämmer: två kommuner.")
    }

    @Test func aMissingRoundValueKeepsTheCaseFromBeingReady() async throws {
        let world = try await World(roundInputs: true)
        try await world.complete()
        let missing = await world.refusal { _ = try await world.service.markReady(world.caseID, acknowledgements: [:], by: world.editor) }
        #expect(missing?.workflowCode == .validationErrors)
        let findings = try await world.service.validate(world.caseID, for: world.editor).errors
        #expect(findings.map(\.code) == ["round-input-missing"])
        #expect(findings.first?.path == "round.antal_ombud")
        world.store.change { $0.inputs[InMemoryCaseStore.State.inputKey(World.round, World.botkyrka)] = ["antal_ombud": "2,80"] }
        let ready = try await world.service.markReady(world.caseID, acknowledgements: [:], by: world.editor)
        #expect(ready.state == .ready)
    }

    @Test func typedInputsAreReadBeforeTheCaseIsLocked() async throws {
        let world = try await World()
        world.counting.reset()
        let refusals: [(CaseCommand.Kind, CommandInputs)] = [
            (.register, CommandInputs(diarienummer: "inte ett nummer")),
            (.decide, CommandInputs(meetingDate: "26 januari", paragraph: "§ 1", text: "Godkänns.")),
            (.decide, CommandInputs(meetingDate: "2021-01-26", paragraph: "§ 1", text: "Godkänns.", outcome: "kanske")),
            (.decide, CommandInputs(meetingDate: "2021-01-26", paragraph: " ", text: "Godkänns.")),
            (.receive, CommandInputs(authorityDiarienummer: "x")),
        ]
        for (kind, inputs) in refusals {
            let error = await world.refusal { _ = try await world.service.perform(kind, inputs: inputs, on: world.caseID, by: world.secretary) }
            #expect(error?.code == .invalidInput, "\(kind)")
        }
        #expect(world.counting.count("loadCase(forUpdate)") == 0)
    }

    @Test func whatEachPersonMayDoIsAskedOfTheWorkflow() async throws {
        let world = try await World()
        func available(_ person: PersonID) async throws -> [CaseCommand.Kind] {
            try await world.service.open(world.caseID, for: person).availableCommands
        }
        #expect(try await available(world.editor) == [.markReady])
        #expect(try await available(world.secretary) == [])
        try await world.complete()
        _ = try await world.service.markReady(world.caseID, acknowledgements: [:], by: world.editor)
        #expect(try await available(world.editor) == [.recall])
        #expect(try await available(world.signatory) == [.sign, .returnToDraft])
        #expect(try await available(world.secretary) == [.returnToDraft])
        let outsider = await world.refusal { _ = try await world.service.open(world.caseID, for: world.outsider) }
        #expect(outsider?.code == .notFound)
    }

    @Test func aRefusedCommandChangesNothing() async throws {
        let world = try await World()
        let before = world.store.inspect { ($0.events[world.caseID]?.count, $0.cases[world.caseID]?.workflow) }
        for (kind, person) in [(CaseCommand.Kind.send, world.secretary), (.sign, world.signatory), (.markReady, world.signatory), (.recall, world.editor)] {
            let error = await world.refusal { _ = try await world.service.perform(kind, inputs: CommandInputs(password: Self.password), on: world.caseID, by: person) }
            #expect(error?.code == .workflow, "\(kind) by \(person)")
        }
        let after = world.store.inspect { ($0.events[world.caseID]?.count, $0.cases[world.caseID]?.workflow) }
        #expect(after.0 == before.0)
        #expect(after.1 == before.1)
    }
}
