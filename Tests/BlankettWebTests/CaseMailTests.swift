import BlankettCore
import BlankettDispatch
import BlankettMail
import BlankettPostgres
import BlankettTestSupport
import BlankettWeb
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The messages of a case as a real SMTP server (aiosmtpd) receives them and
/// Python's `email` package reads them: the expediering's PDF read back with
/// poppler's `pdftotext`, the contact person in copy, and the notice that
/// tells the editors a case came back to them.
@Suite struct CaseMailTests {
    /// Botkyrka's real PO redovisning 2020, signed by the site's signatory.
    /// The signature block's e-mail differs from the contact person's here, so
    /// that the Cc shows which of the two fields it was taken from.
    static func signedCase(_ site: WebPageTests.Site) async throws -> CaseRecord {
        let editorID = try await userID(site, .editor)
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        let answers = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: TestCluster.repositoryRoot + "/Tests/BlankettCoreTests/Fixtures/po-redovisning-2020-botkyrka.json"))))
            .setting(path: "underskrift.datum", to: "2021-01-04")
            .setting(path: "underskrift.epost", to: "underskrift@botkyrka.example")
        _ = try await site.services.cases.saveAnswers(record.id, step: nil, answers: answers, baseVersion: record.answersVersion, by: editorID)
        let warnings = try await site.services.cases.validate(record.id, for: editorID).warnings
        _ = try await site.services.cases.markReady(record.id, acknowledgements: Dictionary(uniqueKeysWithValues: warnings.map { (WarningKey($0), "Kontrollerat.") }), by: editorID)
        return try await site.services.cases.sign(record.id, password: WebPageTests.password, by: try await userID(site, .signatory))
    }

    static func userID(_ site: WebPageTests.Site, _ role: Role) async throws -> PersonID {
        try #require(try await site.services.directory.user(email: site.emails[role]!)).user.id
    }

    /// Runs the outbox worker against `server` until `count` messages have
    /// arrived or 20 s have passed; returns every message received, parsed.
    static func deliver(_ site: WebPageTests.Site, to server: SMTPServer, count: Int) async throws -> [ParsedMail] {
        let transport = SMTPTransport(configuration: try SMTPConfiguration(url: server.url))
        let worker = OutboxWorker(pool: site.pool, transport: transport)
        let deadline = ContinuousClock.now + .seconds(20)
        while server.receivedFiles().count < count, ContinuousClock.now < deadline {
            try await worker.runOnce()
            try await Task.sleep(for: .milliseconds(50))
        }
        await transport.shutdown()
        return try server.receivedFiles().map { try ParsedMail.parse(file: $0) }
    }

    /// `pdftotext -layout` of a received attachment.
    static func text(of attachment: ParsedMail.Attachment) throws -> String {
        guard system("pdftotext -layout '\(attachment.path)' '\(attachment.path).txt' </dev/null") == 0 else {
            throw TestSetupError("pdftotext could not read \(attachment.filename ?? attachment.path)")
        }
        return try String(contentsOfFile: attachment.path + ".txt", encoding: .utf8)
    }

    /// The Botkyrka order: the signed form goes before the nämnd has met, the
    /// decision follows. Both messages copy the form's contact person.
    @Test func theMailedFormReadsTheSwedishWayAndCopiesTheContactPerson() async throws {
        let site = try await WebPageTests.site()
        let record = try await Self.signedCase(site)
        let secretaryID = try await Self.userID(site, .secretary)
        _ = try await site.services.cases.register(record.id, diarienummer: "SN 2021:1", year: 2021, by: secretaryID)
        _ = try await site.services.cases.send(record.id, by: secretaryID)
        let decision = NamndDecision(meetingDate: LocalDate(year: 2021, month: 1, day: 26)!, paragraph: "§ 8",
                                     text: "Socialnämnden godkänner redovisningen av statsbidraget för personligt ombud 2020.", outcome: .approved)
        _ = try await site.services.cases.decide(record.id, decision, by: secretaryID)
        _ = try await site.services.cases.sendDecision(record.id, by: secretaryID)

        let server = try SMTPServer.start()
        defer { server.stop() }
        let received = try await Self.deliver(site, to: server, count: 2)
        #expect(received.count == 2)
        let form = try #require(received.first { !$0.subject.hasPrefix("Beslut: ") })
        let followUp = try #require(received.first { $0.subject.hasPrefix("Beslut: ") })

        for message in [form, followUp] {
            #expect(message.to.contains("stockholm@lansstyrelsen.se"))
            #expect(message.cc == "jennifer.gavin1@botkyrka.se", "the contact person, not the signatory's underskrift.epost")
            #expect(message.envelopeRecipients?.contains("jennifer.gavin1@botkyrka.se") == true, "a Cc is also delivered: \(message.envelopeRecipients ?? "")")
            #expect(message.defects.isEmpty)
        }

        #expect(form.attachments.map(\.contentType) == ["application/pdf"], "the form alone; the decision follows")
        // What the authority received is byte for byte what the outbox stored in the transition.
        let stored = try await site.pool.query("""
            SELECT message FROM outbox WHERE case_id = \(record.id)::uuid AND kind = 'form_before_decision'
            """).single().decode(PostgresBytes.self, at: 0).bytes
        #expect(try ParsedMail.parse(bytes: stored).attachments.map(\.sha256) == form.attachments.map(\.sha256))
        let pdf = try Self.text(of: try #require(form.attachments.first))
        // Prefilled from the round, and typed "1 127 386" and "2,8" in the answers.
        #expect(pdf.contains("1 127 386 kr"), "\(pdf)")
        #expect(pdf.contains("2,80") && !pdf.contains("2.80"))
        #expect(pdf.range(of: #"Totalt antal klienter\s+83\s+66\b"#, options: .regularExpression) != nil, "all clients, women and men")
        #expect(pdf.range(of: #"därav mellan 30 och 49 år\s+35\s+23\b"#, options: .regularExpression) != nil, "by age, as on paper")
        #expect(pdf.contains("Munkhättevägen 45") && pdf.contains("Jennifer Gavin"))
        #expect(pdf.contains("Dnr SN 2021:1"))
        // The code printed under the signature is the one /verify/{code} checks.
        let digest = try await site.pool.query("SELECT snapshot_sha256 FROM case_signatures WHERE case_id = \(record.id)::uuid").single().decode(String.self, at: 0)
        let code = MailDispatcher.verificationCode(digest)
        #expect(code.count == 24 && pdf.contains(code), "\(code)")
        #expect(pdf.contains("Person signatory"))
        // The signature is in the file itself (PAdES), made with the seal and valid as received.
        let attachment = try #require(form.attachments.first)
        #expect(system("pdfsig '\(attachment.path)' > '\(attachment.path).sig' 2>&1") == 0)
        let signatures = try String(contentsOfFile: attachment.path + ".sig", encoding: .utf8)
        #expect(signatures.components(separatedBy: "Signature #").count == 2, "one signatory, one signature: \(signatures)")
        #expect(signatures.contains("Signature Validation: Signature is Valid."), "\(signatures)")
        #expect(signatures.contains("Total document signed") && !signatures.contains("Not total"), "\(signatures)")
        #expect(signatures.contains("Signer Certificate Common Name: Botkyrka kommun utvecklingssigill"), "\(signatures)")

        #expect(followUp.attachments.map(\.contentType) == ["application/pdf"])
        let decisionPDF = try Self.text(of: try #require(followUp.attachments.first))
        #expect(decisionPDF.contains("§ 8"))
        #expect(decisionPDF.replacingOccurrences(of: "\n", with: " ").contains("godkänner redovisningen"))
        await site.pool.close()
    }

    @Test func aReturnedCaseTellsItsEditorsWhoAndWhy() async throws {
        let site = try await WebPageTests.site()
        let directory = site.services.directory
        // A second editor hears it too; the signatory who returns it is also an editor, and knows already.
        let second = try await directory.createUser(email: "andra.handlaggaren@botkyrka.example", name: "Andra Handläggaren", title: "",
                                                    passwordHash: try PasswordHash.make(password: WebPageTests.password, salt: Array("salt-for-second-editor-01".utf8), rounds: 1_000))
        try await directory.grant([.editor], userID: second.id, organisationID: site.botkyrka)
        let signatoryID = try await Self.userID(site, .signatory)
        try await directory.grant([.editor], userID: signatoryID, organisationID: site.botkyrka)
        try await site.pool.query("UPDATE users SET title = 'Stöd- och utvecklingschef' WHERE id = \(signatoryID)::uuid")
        let record = try await Self.signedCase(site)

        let comment = "Antalet nya klienter stämmer inte med verksamhetssystemet – kontrollera åldersgrupperna för män."
        let returned = try await site.services.cases.returnToDraft(record.id, comment: comment, by: signatoryID)
        #expect(returned.state == .draft)
        let queued = try await Outbox(pool: site.pool).messages(caseID: record.id)
        #expect(queued.map(\.kind) == [.returnedNotice], "queued with the return")

        let server = try SMTPServer.start()
        defer { server.stop() }
        let received = try await Self.deliver(site, to: server, count: 1)
        #expect(received.count == 1)
        let notice = try #require(received.first)
        #expect(notice.to.contains(site.emails[.editor]!) && notice.to.contains("andra.handlaggaren@botkyrka.example"), "\(notice.to)")
        let envelope = notice.envelopeRecipients ?? ""
        for other in [site.emails[.signatory]!, site.emails[.secretary]!, site.emails[.admin]!, site.outsider] {
            #expect(!envelope.contains(other), "\(other) is not told")
        }
        #expect(notice.subject == "Tillbakaskickad till utkast: Personligt ombud – redovisning 2020 – Botkyrka kommun")
        #expect(notice.replyTo?.contains(site.emails[.signatory]!) == true, "replies go to the one who returned it")
        #expect(notice.attachments.isEmpty)
        let body = notice.body
        #expect(body.contains("Person signatory (Stöd- och utvecklingschef) har skickat tillbaka blanketten till utkast."), "\(body)")
        #expect(body.contains(comment))
        #expect(body.contains("Botkyrka kommun") && body.contains("Redovisning"))
        #expect(body.contains("Underskriften har upphört att gälla."))
        #expect(body.contains("2021-01-15"), "the deadline still holds")
        await site.pool.close()
    }

    @Test func anAterremissTellsTheEditorsTooWithTheDecisionAsTheReason() async throws {
        let site = try await WebPageTests.site()
        let record = try await Self.signedCase(site)
        let secretaryID = try await Self.userID(site, .secretary)
        _ = try await site.services.cases.register(record.id, diarienummer: nil, year: 2021, by: secretaryID)
        let rejected = NamndDecision(meetingDate: LocalDate(year: 2021, month: 1, day: 26)!, paragraph: "§ 9",
                                     text: "Socialnämnden återremitterar ärendet för komplettering av ekonomiredovisningen.", outcome: .rejected)
        #expect(try await site.services.cases.decide(record.id, rejected, by: secretaryID).state == .draft)
        let messages = try await site.pool.query("""
            SELECT message FROM outbox WHERE case_id = \(record.id)::uuid AND kind = 'returned_notice'
            """).map { try ParsedMail.parse(bytes: try $0.decode(PostgresBytes.self, at: 0).bytes) }
        #expect(messages.count == 1)
        let text = messages.first?.body ?? ""
        #expect(text.contains("2021-01-26 § 9") && text.contains("komplettering av ekonomiredovisningen"), "\(text.prefix(2000))")
        await site.pool.close()
    }

    @Test func aReturnWithNoEditorToTellQueuesNothing() async throws {
        let site = try await WebPageTests.site()
        let editorID = try await Self.userID(site, .editor)
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        try await site.pool.query("UPDATE cases SET state = 'ready' WHERE id = \(record.id)::uuid")
        try await site.pool.query("DELETE FROM memberships WHERE role = 'editor'")
        let returned = try await site.services.cases.returnToDraft(record.id, comment: "Komplettera ekonomin.", by: try await Self.userID(site, .secretary))
        #expect(returned.state == .draft)
        #expect(try await Outbox(pool: site.pool).messages(caseID: record.id).isEmpty)
        await site.pool.close()
    }

    @Test func theContactCopyNeedsAnAddressTheMailCanCarry() throws {
        let catalog = try FormCatalog.load(directory: TestCluster.repositoryRoot + "/forms")
        let definition = try #require(catalog["po-ansokan-2021"]?.definition)
        func copy(_ answer: JSONValue?) -> String? {
            let answers: JSONValue = answer.map { ["kontakt": ["epost": $0]] } ?? ["epost": "soc@botkyrka.se"]
            return MailDispatcher.contactCopy(definition: definition, answers: answers)?.email
        }
        #expect(copy("Jennifer.gavin1@botkyrka.se") == "Jennifer.gavin1@botkyrka.se")
        #expect(copy(nil) == nil, "not answered: the kommun's own address is not a stand-in")
        #expect(copy("jennifer.gavin1") == nil)
        #expect(copy("kontakt@åre.se") == nil, "valid, but not ASCII: sent without the copy rather than not at all")
    }


    @Test func socialstyrelsensSubjectCarriesTheGrantsName() {
        let date = LocalDate(year: 2021, month: 2, day: 5)!
        let record = CaseRecord(
            id: CaseID(unchecked: "00000000-0000-0000-0000-000000000001"), organisationID: OrganisationID(unchecked: "00000000-0000-0000-0000-000000000002"),
            organisationName: "Botkyrka kommun", organisationsnummer: "212000-2882", namndID: nil,
            roundID: RoundID(unchecked: "00000000-0000-0000-0000-000000000003"), roundKey: "bemanning-aterrapportering-2020",
            roundTitle: "Stärkt bemanning – återrapportering 2020", formID: "bemanning-aterrapportering-2020", formSHA256: "",
            periodStart: date, periodEnd: date, deadline: date, roundInputs: [:],
            authorityName: "Socialstyrelsen", authorityEmail: "socialstyrelsen@socialstyrelsen.se", subjectTemplate: "{grant} {year} – {organisation}",
            grantName: "Statsbidrag för att stärka bemanningen inom den sociala barn- och ungdomsvården",
            answers: .object([:]), answersVersion: 1, workflow: CaseWorkflow())
        #expect(MailDispatcher.subject(of: record, formTitle: "Återrapportering", year: "2020", namndDiarienummer: nil)
                == "Statsbidrag för att stärka bemanningen inom den sociala barn- och ungdomsvården 2020 – Botkyrka kommun")
    }
}
