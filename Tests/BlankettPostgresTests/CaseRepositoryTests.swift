import BlankettCore
import BlankettPostgres
import BlankettTestSupport
import Testing

/// Cases through the repository against real PostgreSQL. The exhaustive
/// state × command × role table is `CaseWorkflowTests`; here every
/// transition is tried by every role once, end to end, with what it writes.
@Suite struct CaseRepositoryTests {
    typealias Step = @Sendable (CaseWorld, CaseID, PersonID) async throws -> CaseRecord

    static let ansokan = "po-ansokan-2021"

    /// The path of a case in its usual order, with the one role allowed each step.
    static let path: [(name: String, role: Role, to: CaseState, step: Step)] = [
        ("mark ready", .editor, .ready, { world, id, user in
            try await world.repository.markReady(id, acknowledgements: [:], by: user)
        }),
        ("sign", .signatory, .signed, { world, id, user in
            try await world.repository.sign(id, password: CaseWorld.password, by: user)
        }),
        ("register", .secretary, .registered, { world, id, user in
            try await world.repository.register(id, diarienummer: "SN 2021:1", year: 2021, by: user)
        }),
        ("decide", .secretary, .decided, { world, id, user in
            try await world.repository.decide(id, NamndDecision(meetingDate: LocalDate(year: 2021, month: 1, day: 26)!, paragraph: "§ 12", text: "Socialnämnden godkänner att ansökan inges till Länsstyrelsen.", outcome: .approved), by: user)
        }),
        ("send", .secretary, .sent, { world, id, user in
            try await world.repository.send(id, by: user)
        }),
        ("receive", .secretary, .received, { world, id, user in
            try await world.repository.receive(id, authorityDiarienummer: "821-12345-2020", by: user)
        }),
    ]

    @Test func everyTransitionIsRefusedToEveryOtherRoleAndChangesNothing() async throws {
        let world = try await CaseWorld.make(form: Self.ansokan)
        var record = try await world.newCase()
        for role in [Role.signatory, .secretary, .admin] {
            let person = world.people.first { $0.0 == role }!.1
            let error = await #expect(throws: CaseError.self) {
                try await world.repository.create(roundID: world.roundID, organisationID: world.botkyrka.id, by: person.id)
            }
            #expect(error?.code == .workflow, "create by \(role)")
        }
        _ = try await world.repository.saveAnswers(record.id, step: nil, answers: try CaseWorld.botkyrkaAnswers(Self.ansokan), baseVersion: record.answersVersion, by: world.editor.id)
        for (name, allowed, target, step) in Self.path {
            let events = try await world.count("case_events", caseID: record.id)
            for (role, person) in world.people where role != allowed {
                let error = await #expect(throws: CaseError.self, "\(name) by \(role)") { try await step(world, record.id, person.id) }
                #expect(error?.code == .workflow && error?.workflowCode == .roleRequired, "\(name) by \(role): \(String(describing: error))")
                #expect(try await world.repository.find(record.id, for: world.editor.id).state == record.state)
                #expect(try await world.count("case_events", caseID: record.id) == events)
            }
            let person = world.people.first { $0.0 == allowed }!.1
            let before = record.state
            record = try await step(world, record.id, person.id)
            #expect(record.state == target, "\(name)")
            let last = try #require(try await world.repository.events(record.id, for: world.editor.id).last)
            #expect(last.fromState == before && last.toState == target && last.actorID == person.id, "\(name): \(last)")
            // The same step again is not a transition from the new state.
            let again = await #expect(throws: CaseError.self) { try await step(world, record.id, person.id) }
            #expect(again?.code == .workflow, "\(name) twice")
        }
        #expect(try await world.count("outbox", caseID: record.id) == 1)
    }

    @Test func recallReturnAndWhatChangedSinceTheReturn() async throws {
        let world = try await CaseWorld.make(form: Self.ansokan)
        var record = try await world.readyCase()
        // Only the editor recalls, and only before signing.
        let refused = await #expect(throws: CaseError.self) { try await world.repository.recall(record.id, by: world.signatory.id) }
        #expect(refused?.workflowCode == .roleRequired)
        record = try await world.repository.recall(record.id, by: world.editor.id)
        #expect(record.state == .draft)
        record = try await world.repository.markReady(record.id, acknowledgements: [:], by: world.editor.id)
        record = try await world.repository.sign(record.id, password: CaseWorld.password, by: world.signatory.id)
        let late = await #expect(throws: CaseError.self) { try await world.repository.recall(record.id, by: world.editor.id) }
        #expect(late?.workflowCode == .illegalTransition)
        #expect(try await world.repository.verifySignatures(record.id, for: world.secretary.id).map(\.isValid) == [true])

        let noComment = await #expect(throws: CaseError.self) { try await world.repository.returnToDraft(record.id, comment: "  ", by: world.secretary.id) }
        #expect(noComment?.workflowCode == .commentRequired)
        record = try await world.repository.returnToDraft(record.id, comment: "Ansökningsåret ska vara 2021.", by: world.secretary.id)
        #expect(record.state == .draft)
        #expect(record.workflow.signers.isEmpty)
        #expect(try await world.repository.verifySignatures(record.id, for: world.secretary.id).isEmpty)
        #expect(try await world.pool.query("SELECT count(*) FROM case_signatures WHERE case_id = \(record.id)::uuid AND voided_at IS NOT NULL").single().decode(Int.self, at: 0) == 1)
        #expect(try await world.repository.changesSinceReturn(record.id, for: world.editor.id).isEmpty)

        let answers = record.answers.setting(path: "referens_utbetalning", to: .string("BK88015199"))
        _ = try await world.repository.saveAnswers(record.id, step: "sokande-kommun", answers: Self.step("sokande-kommun", of: answers, in: world), baseVersion: record.answersVersion, by: world.editor.id)
        let changes = try await world.repository.changesSinceReturn(record.id, for: world.editor.id)
        #expect(changes.map(\.path) == ["referens_utbetalning"])
        #expect(changes.first?.before == .string("BK88015100") && changes.first?.after == .string("BK88015199"))
        #expect(changes.first?.label?.isEmpty == false)
        let returnEvent = try await world.repository.events(record.id, for: world.editor.id).first { $0.kind == "return" }
        #expect(returnEvent?.comment == "Ansökningsåret ska vara 2021.")
    }

    @Test func aStepSaveLoadsTheCaseOnceLockedInOneTransaction() async throws {
        let world = try await CaseWorld.make(form: Self.ansokan)
        let record = try await world.newCase()
        let counting = CountingCaseStore(PostgresCaseStore(pool: world.pool))
        let service = CaseService(store: counting, catalog: world.catalog, sealingKey: SealingKey.generate())
        let outcome = try await service.saveAnswers(record.id, step: "sokande-kommun", answers: ["kommun": "Botkyrka kommun"],
                                                    baseVersion: record.answersVersion, by: world.editor.id)
        #expect(outcome.record.answers["kommun"] == "Botkyrka kommun")
        #expect(counting.count("transaction") == 1)
        #expect(counting.count("read") == 0)
        #expect(counting.count("loadCase(forUpdate)") == 1)
        #expect(counting.count("loadCase") == 0)
        // The whole save: the locked load, the person's roles, the new answers (UPDATE + version row), the event.
        #expect(counting.total == 1 + 4, "\(counting.total) calls")
        let stored = try await world.repository.find(record.id, for: world.editor.id)
        #expect(stored.answers == outcome.record.answers)
        #expect(stored.answersVersion == outcome.version)
    }

    @Test func concurrentSavesOfOneStepLoseNothing() async throws {
        let world = try await CaseWorld.make(form: Self.ansokan)
        let record = try await world.newCase()
        let base = record.answersVersion
        let outcomes = await withTaskGroup(of: (String, Result<SaveOutcome, CaseError>).self) { group in
            for name in ["Botkyrka kommun", "Botkyrka kommun, Socialförvaltningen"] {
                group.addTask {
                    do {
                        return (name, .success(try await world.repository.saveAnswers(record.id, step: "sokande-kommun", answers: ["kommun": .string(name)], baseVersion: base, by: world.editor.id)))
                    } catch let error as CaseError {
                        return (name, .failure(error))
                    } catch {
                        return (name, .failure(CaseError(.invalidInput, "\(error)")))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let winners = outcomes.filter { (try? $0.1.get()) != nil }
        let losers = outcomes.compactMap { outcome -> (String, CaseError)? in
            if case .failure(let error) = outcome.1 { (outcome.0, error) } else { nil }
        }
        #expect(winners.count == 1 && losers.count == 1, "\(outcomes)")
        let stored = try await world.repository.find(record.id, for: world.editor.id)
        #expect(stored.answersVersion == base + 1)
        #expect(stored.answers["kommun"] == .string(winners[0].0))
        let conflict = try #require(losers.first?.1)
        #expect(conflict.code == .conflict)
        #expect(conflict.currentVersion == base + 1)
        #expect(conflict.changes.map(\.path) == ["kommun"])
        #expect(conflict.changes.first?.after == .string(winners[0].0))
        // The loser saves again on the current version and wins.
        let retry = try await world.repository.saveAnswers(record.id, step: "sokande-kommun", answers: ["kommun": .string(losers[0].0)], baseVersion: base + 1, by: world.editor.id)
        #expect(retry.version == base + 2)
        #expect(try await world.count("case_answer_versions", caseID: record.id) == 3)
        let saves = try await world.repository.events(record.id, for: world.editor.id).filter { $0.kind == "answers_saved" }
        #expect(saves.count == 2)
        #expect(saves.last?.details["changes"]?[0]?["before"] == .string(winners[0].0))
    }

    @Test func aListCarriesSummariesWithoutAnswers() async throws {
        let world = try await CaseWorld.make(form: Self.ansokan)
        let record = try await world.newCase()
        _ = try await world.repository.saveAnswers(record.id, step: "sokande-kommun", answers: ["kommun": .string("Botkyrka")],
                                                   baseVersion: record.answersVersion, by: world.editor.id)
        let listed = try #require(try await world.repository.cases(organisationID: world.botkyrka.id, for: world.editor.id).first)
        #expect(listed.id == record.id && listed.answersVersion == record.answersVersion + 1)
        #expect(listed.answers == .object([:]) && listed.roundInputs.isEmpty, "a list does not read the answers")
        #expect(try await world.repository.find(record.id, for: world.editor.id).answers.value(atPath: "kommun") == .string("Botkyrka"))
        // The list's order key: the round's deadline, copied onto the case by the database itself.
        let deadline = try await world.pool.query("SELECT c.deadline = r.deadline FROM cases c JOIN grant_rounds r ON r.id = c.round_id WHERE c.id = \(record.id)::uuid")
        #expect(try deadline.single().decode(Bool.self, at: 0))
        // (A table this small is read whole when allowed to; the index must serve the page's order without a sort.)
        let organisation = world.botkyrka.id
        let plan = try await world.pool.withTransaction { connection in
            try connection.query("SET LOCAL enable_seqscan = off")
            return try connection.query("""
                EXPLAIN SELECT id FROM cases WHERE organisation_id = \(organisation)::uuid ORDER BY deadline DESC, created_at DESC, id DESC LIMIT 51
                """).map { try $0.decode(String.self, at: 0) }.joined(separator: "\n")
        }
        #expect(plan.contains("cases_list_order") && !plan.contains("Sort"), "\(plan)")
    }

    @Test func savingRecomputesDropsAndRefusesBadInput() async throws {
        let world = try await CaseWorld.make(form: Self.ansokan)
        let record = try await world.newCase()
        // A member that is no field of the step is dropped and named, never stored.
        let unknown = try await world.repository.saveAnswers(record.id, step: "sokande-kommun", answers: ["kontakt": .object(["namn": "X"])],
                                                             baseVersion: record.answersVersion, by: world.editor.id)
        #expect(unknown.droppedPaths.first == "kontakt" && unknown.record.answers.value(atPath: "kontakt") == nil)
        let nul = await #expect(throws: CaseError.self) {
            try await world.repository.saveAnswers(record.id, step: "sokande-kommun", answers: ["kommun": .string("Bot\u{0}kyrka")], baseVersion: record.answersVersion, by: world.editor.id)
        }
        #expect(nul?.code == .invalidInput)
        let notObject = await #expect(throws: CaseError.self) {
            try await world.repository.saveAnswers(record.id, step: nil, answers: .array([]), baseVersion: record.answersVersion, by: world.editor.id)
        }
        #expect(notObject?.code == .invalidInput)
        // A badly typed figure is kept as typed, with its finding: nothing the person wrote is lost.
        let saved = try await world.repository.saveAnswers(record.id, step: "sokande-kommun", answers: ["arsanstallningar": .string("2,805"), "kommun": "Botkyrka kommun"], baseVersion: record.answersVersion, by: world.editor.id)
        #expect(saved.findings.contains { $0.path == "arsanstallningar" && $0.code == "too-many-decimals" })
        #expect(try await world.repository.find(record.id, for: world.editor.id).answers["arsanstallningar"] == .string("2,805"))
        // Answers are locked outside draft.
        let full = try await world.repository.saveAnswers(record.id, step: nil, answers: try CaseWorld.botkyrkaAnswers(Self.ansokan), baseVersion: saved.version, by: world.editor.id)
        let ready = try await world.repository.markReady(record.id, acknowledgements: [:], by: world.editor.id)
        let locked = await #expect(throws: CaseError.self) {
            try await world.repository.saveAnswers(record.id, step: "sokande-kommun", answers: ["kommun": "X"], baseVersion: full.version, by: world.editor.id)
        }
        #expect(locked?.workflowCode == .answersLocked)
        #expect(ready.answersVersion == full.version)
    }

    @Test func markingReadyNeedsNoErrorsAndAcknowledgedWarnings() async throws {
        let world = try await CaseWorld.make(form: Self.ansokan)
        let record = try await world.newCase()
        let empty = await #expect(throws: CaseError.self) { try await world.repository.markReady(record.id, acknowledgements: [:], by: world.editor.id) }
        #expect(empty?.workflowCode == .validationErrors)
        var answers = try CaseWorld.botkyrkaAnswers(Self.ansokan)
        answers = answers.setting(path: "arsanstallningar", to: "200")  // a warning: unreasonably many posts
        let saved = try await world.repository.saveAnswers(record.id, step: nil, answers: answers, baseVersion: record.answersVersion, by: world.editor.id)
        let warning = try #require(saved.findings.warnings.first)
        #expect(saved.findings.errors.isEmpty)
        let unacknowledged = await #expect(throws: CaseError.self) { try await world.repository.markReady(record.id, acknowledgements: [:], by: world.editor.id) }
        #expect(unacknowledged?.workflowCode == .warningNotAcknowledged)
        let ready = try await world.repository.markReady(record.id, acknowledgements: [WarningKey(warning): "Vi har 200 årsanställningar."], by: world.editor.id)
        #expect(ready.state == .ready)
        let event = try await world.repository.events(record.id, for: world.editor.id).last
        #expect(event?.details["acknowledgements"]?[WarningKey(warning).description] == .string("Vi har 200 årsanställningar."))
    }

    @Test func twoSignersInSequenceBothVerified() async throws {
        let world = try await CaseWorld.make(form: Self.ansokan, requiredSignatures: 2)
        var record = try await world.readyCase()
        let wrong = await #expect(throws: CaseError.self) { try await world.repository.sign(record.id, password: "fel", by: world.signatory.id) }
        #expect(wrong?.workflowCode == .reauthenticationRequired)
        record = try await world.repository.sign(record.id, password: CaseWorld.password, by: world.signatory.id)
        #expect(record.state == .partlySigned)
        let twice = await #expect(throws: CaseError.self) { try await world.repository.sign(record.id, password: CaseWorld.password, by: world.signatory.id) }
        #expect(twice?.workflowCode == .alreadySigned)
        record = try await world.repository.sign(record.id, password: CaseWorld.password, by: world.chair.id)
        #expect(record.state == .signed)
        let verdicts = try await world.repository.verifySignatures(record.id, for: world.secretary.id)
        #expect(verdicts.map(\.sequence) == [1, 2])
        #expect(verdicts.map(\.signerName) == [world.signatory.name, world.chair.name])
        #expect(verdicts.allSatisfy { $0.isValid })
    }

    @Test func tamperingWithASignedCaseIsDetected() async throws {
        let world = try await CaseWorld.make(form: Self.ansokan)
        var record = try await world.readyCase()
        record = try await world.repository.sign(record.id, password: CaseWorld.password, by: world.signatory.id)
        #expect(try await world.repository.verifySignatures(caseID: record.id).map(\.isValid) == [true])

        try await world.pool.query("UPDATE cases SET answers = jsonb_set(answers, '{bankgiro}', '\"5050-1055\"') WHERE id = \(record.id)::uuid")
        let changed = try await world.repository.verifySignatures(caseID: record.id)
        #expect(changed.count == 1 && !changed[0].isValid)
        guard case .answerChanged(let change)? = changed.first?.problems.first else {
            Issue.record("expected an answer change: \(changed)")
            return
        }
        #expect(change.path == "bankgiro" && change.before == .string("624-1061") && change.after == .string("5050-1055"))

        try await world.pool.query("UPDATE cases SET answers = jsonb_set(answers, '{bankgiro}', '\"624-1061\"') WHERE id = \(record.id)::uuid")
        #expect(try await world.repository.verifySignatures(caseID: record.id).map(\.isValid) == [true])

        // Rewriting the stored snapshot to match the change is caught by its hash and seal.
        try await world.pool.query("UPDATE case_signatures SET snapshot = convert_to(replace(convert_from(snapshot, 'UTF8'), '624-1061', '5050-1055'), 'UTF8') WHERE case_id = \(record.id)::uuid")
        let rewritten = try await world.repository.verifySignatures(caseID: record.id)
        #expect(rewritten.first?.problems.contains(.storedSnapshotAltered) == true, "\(rewritten)")

        let unknownCase = await #expect(throws: CaseError.self) { try await world.repository.verifySignatures(caseID: CaseID("00000000-0000-0000-0000-000000000000")!) }
        #expect(unknownCase?.code == .notFound)
    }

    @Test func theAuditTrailRefusesUpdateDeleteAndTruncate() async throws {
        let world = try await CaseWorld.make(form: Self.ansokan)
        let record = try await world.newCase()
        for statement in ["UPDATE case_events SET comment = 'ändrad'", "DELETE FROM case_events", "TRUNCATE case_events CASCADE"] {
            let error = await #expect(throws: PostgresError.self, "\(statement)") { try await world.pool.query(PostgresQuery(unsafeSQL: statement)) }
            #expect(error?.sqlState == "42501", "\(statement)")
        }
        #expect(try await world.count("case_events", caseID: record.id) == 1)
    }

    @Test func anotherKommunsCaseBehavesAsNotFound() async throws {
        let world = try await CaseWorld.make(form: Self.ansokan)
        let record = try await world.readyCase()
        let intruder = world.outsider.id
        let attempts: [(String, @Sendable () async throws -> Void)] = [
            ("find", { _ = try await world.repository.find(record.id, for: intruder) }),
            ("save", { _ = try await world.repository.saveAnswers(record.id, step: nil, answers: [:], baseVersion: 1, by: intruder) }),
            ("recall", { _ = try await world.repository.recall(record.id, by: intruder) }),
            ("sign", { _ = try await world.repository.sign(record.id, password: CaseWorld.password, by: intruder) }),
            ("return", { _ = try await world.repository.returnToDraft(record.id, comment: "x", by: intruder) }),
            ("events", { _ = try await world.repository.events(record.id, for: intruder) }),
            ("verify", { _ = try await world.repository.verifySignatures(record.id, for: intruder) }),
            ("diff", { _ = try await world.repository.changesSinceReturn(record.id, for: intruder) }),
            ("create in Botkyrka", { _ = try await world.repository.create(roundID: world.roundID, organisationID: world.botkyrka.id, by: intruder) }),
            ("deadlines of Botkyrka", { _ = try await world.repository.deadlines(organisationID: world.botkyrka.id, within: 30, today: LocalDate(year: 2021, month: 1, day: 1)!, for: intruder) }),
        ]
        for (name, attempt) in attempts {
            let error = await #expect(throws: CaseError.self, "\(name)") { try await attempt() }
            #expect(error?.code == .notFound, "\(name): \(String(describing: error))")
        }
        #expect(try await world.repository.cases(organisationID: world.botkyrka.id, for: intruder).isEmpty)
        // What is not an id never reaches the service: it is read once, at the edge.
        #expect(CaseID("1'; DROP TABLE cases; --") == nil)
        #expect(CaseID("00000000-0000-0000-0000-00000000000G") == nil)
        #expect(CaseID(record.id.uuid.uppercased()) == record.id)
        #expect(try await world.repository.find(record.id, for: world.editor.id).state == .ready)
        #expect(try await world.count("case_events", caseID: record.id) == 3)
    }

    @Test func aNewCaseStartsWithLastYearsAnswersWhereTheFormSaysSo() async throws {
        let world = try await CaseWorld.make(form: Self.ansokan)
        let earlier = try await world.newCase()
        let answers = try CaseWorld.botkyrkaAnswers(Self.ansokan)
        _ = try await world.repository.saveAnswers(earlier.id, step: nil, answers: answers, baseVersion: earlier.answersVersion, by: world.editor.id)
        let nextRound = try await world.directory.createRound(.init(
            key: "po-ansokan-nasta-ar", title: "Ansökan nästa år", formID: Self.ansokan, authorityKey: "lansstyrelsen-stockholm",
            periodStart: LocalDate(year: 2022, month: 1, day: 1)!, periodEnd: LocalDate(year: 2022, month: 12, day: 31)!, deadline: LocalDate(year: 2022, month: 1, day: 15)!
        ), catalog: world.catalog)
        let next = try await world.repository.create(roundID: nextRound, organisationID: world.botkyrka.id, by: world.editor.id)
        let definition = try world.repository.definition(of: next)
        let carried = definition.fieldsInOrder.filter(\.carryOver).map(\.path)
        #expect(!carried.isEmpty)
        for path in carried {
            #expect(next.answers.value(atPath: path) == answers.value(atPath: path), "\(path)")
        }
        #expect(next.answers["ansokan_ar"] == nil, "a figure of the year is not carried over")
        let created = try await world.repository.events(next.id, for: world.editor.id).first
        #expect(created?.details["carried_over_from"] == .string(earlier.id.uuid))
        // A kommun without an earlier case starts empty.
        let otherRound = try await world.repository.create(roundID: world.roundID, organisationID: world.huddinge.id, by: world.outsider.id)
        #expect(otherRound.answers == .object([:]))
    }

    @Test func namndDiarienummerAutoNumberedOrTypedAndUniquePerKommun() async throws {
        let world = try await CaseWorld.make(form: Self.ansokan)
        var first = try await world.readyCase()
        first = try await world.repository.sign(first.id, password: CaseWorld.password, by: world.signatory.id)
        first = try await world.repository.register(first.id, diarienummer: nil, year: 2021, by: world.secretary.id)
        #expect(first.workflow.namndDiarienummer?.formatted == "SN 2021:1")

        let round2 = try await world.directory.createRound(.init(
            key: "andra", title: "Andra", formID: Self.ansokan, authorityKey: "lansstyrelsen-stockholm",
            periodStart: LocalDate(year: 2021, month: 1, day: 1)!, periodEnd: LocalDate(year: 2021, month: 12, day: 31)!, deadline: LocalDate(year: 2021, month: 2, day: 1)!
        ), catalog: world.catalog)
        var second = try await world.repository.create(roundID: round2, organisationID: world.botkyrka.id, namndID: world.socialnamnden, by: world.editor.id)
        _ = try await world.repository.saveAnswers(second.id, step: nil, answers: try CaseWorld.botkyrkaAnswers(Self.ansokan), baseVersion: second.answersVersion, by: world.editor.id)
        _ = try await world.repository.markReady(second.id, acknowledgements: [:], by: world.editor.id)
        second = try await world.repository.sign(second.id, password: CaseWorld.password, by: world.signatory.id)
        let taken = await #expect(throws: CaseError.self) { try await world.repository.register(second.id, diarienummer: "sn 2021:0001", year: 2021, by: world.secretary.id) }
        #expect(taken?.code == .duplicate)
        #expect(try await world.repository.find(second.id, for: world.secretary.id).state == .signed)
        let wrongDialect = await #expect(throws: CaseError.self) { try await world.repository.register(second.id, diarienummer: "821-12345-2020", year: 2021, by: world.secretary.id) }
        #expect(wrongDialect?.code == .invalidInput)
        second = try await world.repository.register(second.id, diarienummer: nil, year: 2021, by: world.secretary.id)
        #expect(second.workflow.namndDiarienummer?.formatted == "SN 2021:2")
    }

    @Test func deadlinesOverdueAndDueSoonInDeadlineOrder() async throws {
        let world = try await CaseWorld.make(form: Self.ansokan)
        let late = try await world.newCase()
        let soonRound = try await world.directory.createRound(.init(
            key: "snart", title: "Snart", formID: Self.ansokan, authorityKey: "lansstyrelsen-stockholm",
            periodStart: LocalDate(year: 2021, month: 1, day: 1)!, periodEnd: LocalDate(year: 2021, month: 12, day: 31)!, deadline: LocalDate(year: 2022, month: 2, day: 5)!
        ), catalog: world.catalog)
        try await world.directory.setPrefill(roundID: soonRound, organisationID: world.botkyrka.id, inputs: [:], catalog: world.catalog)
        _ = try await world.directory.createRound(.init(
            key: "senare", title: "Senare", formID: Self.ansokan, authorityKey: "lansstyrelsen-stockholm",
            periodStart: LocalDate(year: 2021, month: 1, day: 1)!, periodEnd: LocalDate(year: 2021, month: 12, day: 31)!, deadline: LocalDate(year: 2022, month: 6, day: 1)!
        ), catalog: world.catalog)
        let today = LocalDate(year: 2022, month: 1, day: 20)!
        let items = try await world.repository.deadlines(organisationID: world.botkyrka.id, within: 30, today: today, for: world.secretary.id)
        #expect(items.map(\.caseID) == [late.id, nil])
        #expect(items.map(\.isOverdue) == [true, false])
        #expect(items.map(\.roundTitle).last == "Snart")
        #expect(items.first?.state == .draft)
    }

    /// The top-level fields of one step, taken from a whole answers object.
    static func step(_ stepID: String, of answers: JSONValue, in world: CaseWorld) -> JSONValue {
        let ids = world.catalog[ansokan]!.definition.topLevelFieldIDs(inStep: stepID)
        return .object(JSONObject(uniqueKeysWithValues: ids.compactMap { id in answers[id].map { (id, $0) } }))
    }
}
