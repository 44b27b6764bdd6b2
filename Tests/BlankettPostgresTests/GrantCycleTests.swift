import BlankettCore
import BlankettPostgres
import BlankettTestSupport
import Testing

/// The grant cycle against PostgreSQL: the authority's decision on an
/// application becomes the values of its report-back, and each kommun's
/// forms go to its own county's Länsstyrelse.
@Suite struct GrantCycleTests {
    /// A PO ansökan round whose decision fills a PO redovisning round, with Botkyrka's ansökan sent and received.
    static func receivedApplication(_ world: CaseWorld) async throws -> (application: CaseRecord, reportBack: RoundID) {
        let reportBack = try await world.directory.createRound(.init(
            key: "po-redovisning-2021", title: "Personligt ombud – redovisning 2021", formID: "po-redovisning-2020", authorityKey: "lansstyrelsen-stockholm",
            periodStart: LocalDate(year: 2021, month: 1, day: 1)!, periodEnd: LocalDate(year: 2021, month: 12, day: 31)!,
            deadline: LocalDate(year: 2022, month: 1, day: 15)!), catalog: world.catalog)
        let applications = try await world.directory.createRound(.init(
            key: "po-ansokan-2021-med-redovisning", title: "Personligt ombud – ansökan 2021", formID: "po-ansokan-2021", authorityKey: "lansstyrelsen-stockholm",
            periodStart: LocalDate(year: 2021, month: 1, day: 1)!, periodEnd: LocalDate(year: 2021, month: 12, day: 31)!,
            deadline: LocalDate(year: 2021, month: 1, day: 15)!, grantName: "Statsbidrag för personligt ombud", reportBackKey: "po-redovisning-2021"), catalog: world.catalog)
        let cases = world.repository
        var record = try await cases.create(roundID: applications, organisationID: world.botkyrka.id, namndID: world.socialnamnden, by: world.editor.id)
        let outcome = try await cases.saveAnswers(record.id, step: nil, answers: try CaseWorld.botkyrkaAnswers("po-ansokan-2021"), baseVersion: record.answersVersion, by: world.editor.id)
        #expect(outcome.findings.isEmpty, "\(outcome.findings)")
        record = try await cases.markReady(record.id, acknowledgements: [:], by: world.editor.id)
        record = try await cases.sign(record.id, password: CaseWorld.password, by: world.signatory.id)
        record = try await cases.register(record.id, diarienummer: nil, year: 2020, by: world.secretary.id)
        // Too early: the authority decides on what it has received.
        let early = await #expect(throws: CaseError.self) {
            try await cases.recordGrant(record.id, authorityDiarienummer: "821-12345-2020", decisionDate: "2021-02-10", values: [:], by: world.secretary.id)
        }
        #expect(early?.workflowCode == .illegalTransition)
        record = try await cases.send(record.id, by: world.secretary.id)
        record = try await cases.receive(record.id, authorityDiarienummer: "821-12345-2020", by: world.secretary.id)
        return (record, reportBack)
    }

    @Test func theDecisionOnTheAnsokanFillsTheRedovisning() async throws {
        let world = try await CaseWorld.make(form: "po-ansokan-2021")
        let (application, reportBack) = try await Self.receivedApplication(world)
        #expect(application.workflow.feedsReportBack)

        // Before the decision the report-back cannot be checked: its money values are missing.
        let before = try await world.repository.create(roundID: reportBack, organisationID: world.huddinge.id, by: world.outsider.id)
        #expect(try await world.repository.validate(before.id, for: world.outsider.id).findings.contains { $0.code == "round-input-missing" })

        // A value that is not a number, one the decision does not have: refused, nothing changed.
        let events = try await world.repository.events(application.id, for: world.secretary.id).count
        let wrong = await #expect(throws: CaseError.self) {
            try await world.repository.recordGrant(application.id, decisionDate: "2021-02-10",
                                                   values: ["beviljat_statsbidrag": "1 127 386", "beviljade_arsanstallningar": "två"], by: world.secretary.id)
        }
        #expect(wrong?.code == .invalidInput)
        #expect(wrong?.parameter == "values.beviljade_arsanstallningar")
        let unknown = await #expect(throws: CaseError.self) {
            try await world.repository.recordGrant(application.id, decisionDate: "2021-02-10",
                                                   values: ["beviljat_belopp": "1 127 386"], by: world.secretary.id)
        }
        #expect(unknown?.parameter == "values")
        let editor = await #expect(throws: CaseError.self) {
            try await world.repository.recordGrant(application.id, decisionDate: "2021-02-10",
                                                   values: ["beviljat_statsbidrag": "1 127 386", "beviljade_arsanstallningar": "2,80"], by: world.editor.id)
        }
        #expect(editor?.workflowCode == .roleRequired)
        #expect(try await world.repository.events(application.id, for: world.secretary.id).count == events)
        #expect(try await world.pool.query("SELECT count(*) FROM round_value_events WHERE round_id = \(reportBack)::uuid").single().decode(Int.self, at: 0) == 0)

        // The decision as the secretary types it from Länsstyrelsen's letter; the receipt's number is the default.
        let decided = try await world.repository.recordGrant(application.id, decisionDate: "2021-02-10",
                                                             values: ["beviljat_statsbidrag": "1 127 386", "beviljade_arsanstallningar": "2,80"], by: world.secretary.id)
        #expect(decided.state == .received)
        let stored = try await world.repository.find(application.id, for: world.secretary.id)
        #expect(stored.authorityGrant?.diarienummer.formatted == "821-12345-2020")
        #expect(stored.authorityGrant?.values["beviljat_statsbidrag"] == .number("1127386"))
        let event = try #require(try await world.repository.events(application.id, for: world.secretary.id).last)
        #expect(event.kind == "record_grant")
        #expect(event.details.value(atPath: "grant.values.beviljade_arsanstallningar") == .number("2.80"))

        // The redovisning of the year starts prefilled: nobody types the amount twice.
        let redovisning = try await world.repository.create(roundID: reportBack, organisationID: world.botkyrka.id, namndID: world.socialnamnden, by: world.editor.id)
        #expect(redovisning.answers["beviljat_belopp"] == .string("1127386"))
        #expect(redovisning.answers["beviljade_arsanstallningar"] == .string("2.80"))
        #expect(!(try await world.repository.validate(redovisning.id, for: world.editor.id).findings.contains { $0.code.hasPrefix("round-input") }))
        let history = try await world.pool.query("""
            SELECT case_id::text, inputs_before, inputs_after FROM round_value_events WHERE round_id = \(reportBack)::uuid ORDER BY id
            """).map { try $0.decode((String?, JSONValue, JSONValue).self) }
        #expect(history.count == 1)
        #expect(history.first?.0 == application.id.uuid)
        #expect(history.first?.1 == .object([:]))
        #expect(history.first?.2["beviljat_statsbidrag"] == .number("1127386"))
        // Huddinge's report-back is not Botkyrka's: its values stay missing.
        #expect(try await world.repository.validate(before.id, for: world.outsider.id).findings.contains { $0.code == "round-input-missing" })
    }

    @Test func aRoundWithoutAReportBackOffersNoDecision() async throws {
        let world = try await CaseWorld.make(form: "po-ansokan-2021")
        let record = try await world.newCase()
        #expect(!record.workflow.feedsReportBack)
        // An application round cannot name a report-back whose form lacks what the decision grants.
        let mismatch = await #expect(throws: CaseError.self) {
            try await world.directory.createRound(.init(
                key: "fel", title: "Fel", formID: "po-ansokan-2021", authorityKey: "lansstyrelsen-stockholm",
                periodStart: LocalDate(year: 2021, month: 1, day: 1)!, periodEnd: LocalDate(year: 2021, month: 12, day: 31)!,
                deadline: LocalDate(year: 2021, month: 3, day: 1)!, reportBackKey: "po-ansokan-2021"), catalog: world.catalog)
        }
        #expect(mismatch?.message.contains("beviljat_statsbidrag") == true)
    }

    @Test func eachKommunsFormGoesToItsOwnCounty() async throws {
        let world = try await CaseWorld.make(form: "po-ansokan-2021")
        let directory = world.directory
        try await directory.createAuthority(key: "lansstyrelsen-stockholm-lan", name: "Länsstyrelsen Stockholm", recipientEmail: "stockholm@lansstyrelsen.se",
                                            subjectTemplate: "{form} {year} – {organisation}", postalAddress: "Box 22067, 104 22 Stockholm", county: "01")
        try await directory.createAuthority(key: "lansstyrelsen-skane", name: "Länsstyrelsen Skåne", recipientEmail: "skane@lansstyrelsen.se",
                                            subjectTemplate: "{form} {year} – {organisation}", postalAddress: "205 15 Malmö", county: "12")
        var rounds: [String: RoundID] = [:]
        for (county, authority, deadline) in [("01", "lansstyrelsen-stockholm-lan", 15), ("12", "lansstyrelsen-skane", 28)] {
            rounds[county] = try await directory.createRound(.init(
                key: "po-ansokan-2021-\(county)", title: "Personligt ombud – ansökan 2021", formID: "po-ansokan-2021", authorityKey: authority,
                periodStart: LocalDate(year: 2021, month: 1, day: 1)!, periodEnd: LocalDate(year: 2021, month: 12, day: 31)!,
                deadline: LocalDate(year: 2021, month: 1, day: deadline)!), catalog: world.catalog)
        }
        let nacka = try await directory.createOrganisation(name: "Nacka kommun", organisationsnummer: "212000-0167", county: "01")
        let trelleborg = try await directory.createOrganisation(name: "Trelleborgs kommun", organisationsnummer: "212000-1140", county: "12")
        let badCounty = await #expect(throws: CaseError.self) {
            try await directory.createOrganisation(name: "Lund", organisationsnummer: "212000-1165", county: "Skåne")
        }
        #expect(badCounty?.code == .invalidInput)

        for (organisation, county, other, recipient) in [(nacka, "01", "12", "stockholm@lansstyrelsen.se"), (trelleborg, "12", "01", "skane@lansstyrelsen.se")] {
            let hash = try PasswordHash.make(password: CaseWorld.password, salt: Array("\(county)-blankett-test-salt".utf8.prefix(16)), rounds: 1_000)
            let person = try await directory.createUser(email: "socialchef@\(county).example", name: "Socialchef \(county)", title: "Socialchef", passwordHash: hash)
            try await directory.grant([.editor, .signatory, .secretary], userID: person.id, organisationID: organisation.id)
            try await directory.createNamnd(organisationID: organisation.id, name: "Socialnämnden", diariumPrefix: "SN")

            // Offered: the national round of CaseWorld and its own county's, not the other county's.
            let offered = Set(try await directory.rounds(openTo: organisation.id).map(\.id))
            #expect(offered.contains(rounds[county]!) && offered.contains(world.roundID))
            #expect(!offered.contains(rounds[other]!))
            let refused = await #expect(throws: CaseError.self) {
                try await world.repository.create(roundID: rounds[other]!, organisationID: organisation.id, by: person.id)
            }
            #expect(refused?.code == .notFound)

            var record = try await world.repository.create(roundID: rounds[county]!, organisationID: organisation.id, by: person.id)
            #expect(record.formTexts.fill("{authority.email} senast {round.deadline}") == recipient + (county == "01" ? " senast 15 januari 2021" : " senast 28 januari 2021"))
            _ = try await world.repository.saveAnswers(record.id, step: nil, answers: try CaseWorld.botkyrkaAnswers("po-ansokan-2021"), baseVersion: record.answersVersion, by: person.id)
            record = try await world.repository.markReady(record.id, acknowledgements: [:], by: person.id)
            record = try await world.repository.sign(record.id, password: CaseWorld.password, by: person.id)
            record = try await world.repository.register(record.id, diarienummer: nil, year: 2020, by: person.id)
            record = try await world.repository.send(record.id, by: person.id)
            let sent = try await world.pool.query("SELECT recipient FROM outbox WHERE case_id = \(record.id)::uuid").map { try $0.decode(String.self, at: 0) }
            #expect(sent == [recipient])
        }
    }

    /// Socialstyrelsen takes the web form in its e-service and the signed PDF by mail:
    /// sending asks for the e-service's reference and keeps it. Its decision on the
    /// rekvisition gives the återrapportering the amount paid and the rekvisition's Dnr.
    @Test func theRekvisitionIsSentWithTheEServicesReferenceAndItsDecisionFillsTheAterrapportering() async throws {
        let world = try await CaseWorld.make(form: "bemanning-rekvisition-2020")
        try await world.directory.createAuthority(key: "socialstyrelsen-etjanst", name: "Socialstyrelsen", recipientEmail: "socialstyrelsen@socialstyrelsen.se",
                                                  subjectTemplate: "{grant} {year} – {organisation}", postalAddress: "Statsbidrag, 106 30 Stockholm",
                                                  eserviceName: "Socialstyrelsens e-tjänst för statsbidrag")
        let aterrapportering = try await world.directory.createRound(.init(
            key: "aterrapportering-etjanst", title: "Stärkt bemanning – återrapportering 2020", formID: "bemanning-aterrapportering-2020", authorityKey: "socialstyrelsen-etjanst",
            periodStart: LocalDate(year: 2020, month: 1, day: 1)!, periodEnd: LocalDate(year: 2020, month: 12, day: 31)!,
            deadline: LocalDate(year: 2021, month: 2, day: 5)!), catalog: world.catalog)
        let round = try await world.directory.createRound(.init(
            key: "rekvisition-etjanst", title: "Stärkt bemanning – rekvisition 2020", formID: "bemanning-rekvisition-2020", authorityKey: "socialstyrelsen-etjanst",
            periodStart: LocalDate(year: 2020, month: 1, day: 1)!, periodEnd: LocalDate(year: 2020, month: 12, day: 31)!,
            deadline: LocalDate(year: 2020, month: 11, day: 15)!, reportBackKey: "aterrapportering-etjanst"), catalog: world.catalog)
        try await world.directory.setPrefill(roundID: round, organisationID: world.botkyrka.id, inputs: ["tilldelat_belopp": 955473], catalog: world.catalog)
        let cases = world.repository
        var record = try await cases.create(roundID: round, organisationID: world.botkyrka.id, namndID: world.socialnamnden, by: world.editor.id)
        #expect(record.authorityEService == "Socialstyrelsens e-tjänst för statsbidrag")
        let answers = try CaseWorld.botkyrkaAnswers("bemanning-rekvisition-2020")
            .setting(path: "underskrift.ort", to: "Tumba").setting(path: "underskrift.datum", to: "2020-10-01")
            .setting(path: "underskrift.namnfortydligande", to: "Anna Rydberg").setting(path: "underskrift.befattning", to: "Socialchef")
        let outcome = try await cases.saveAnswers(record.id, step: nil, answers: answers, baseVersion: record.answersVersion, by: world.editor.id)
        #expect(outcome.findings.errors.isEmpty, "\(outcome.findings)")
        let acknowledgements = Dictionary(uniqueKeysWithValues: outcome.findings.warnings.map { (WarningKey($0), "Kontrollerat.") })
        record = try await cases.markReady(record.id, acknowledgements: acknowledgements, by: world.editor.id)
        record = try await cases.sign(record.id, password: CaseWorld.password, by: world.signatory.id)
        record = try await cases.register(record.id, diarienummer: nil, year: 2020, by: world.secretary.id)
        let missing = await #expect(throws: CaseError.self) { try await cases.send(record.id, by: world.secretary.id) }
        #expect(missing?.parameter == "eservice_reference")
        let twoLines = await #expect(throws: CaseError.self) { try await cases.send(record.id, eserviceReference: "A\nB", by: world.secretary.id) }
        #expect(twoLines?.code == .invalidInput)
        #expect(try await cases.find(record.id, for: world.secretary.id).state == .registered)
        record = try await cases.send(record.id, eserviceReference: " SoS-2020-12345 ", by: world.secretary.id)
        #expect(record.state == .sent)
        #expect(try await cases.find(record.id, for: world.secretary.id).eserviceReference == "SoS-2020-12345")
        let event = try #require(try await cases.events(record.id, for: world.secretary.id).last)
        #expect(event.kind == "send" && event.details["eservice_reference"] == .string("SoS-2020-12345"))

        record = try await cases.receive(record.id, authorityDiarienummer: "16570/2020", by: world.secretary.id)
        _ = try await cases.recordGrant(record.id, decisionDate: "2020-12-01", values: ["erhallet_statsbidrag": "955 473"], by: world.secretary.id)
        let report = try await cases.create(roundID: aterrapportering, organisationID: world.botkyrka.id, namndID: world.socialnamnden, by: world.editor.id)
        #expect(report.answers["dnr_rekvisition"] == .string("16570/2020"))
        #expect(report.answers["erhallet"] == .string("955473"))
    }
}
