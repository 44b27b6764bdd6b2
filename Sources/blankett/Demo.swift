import ArgumentParser
import BlankettCore
import BlankettDispatch
import BlankettMail
import BlankettPostgres

/// Demo data for a first look: Botkyrka kommun with its Socialnämnd and one
/// person per role, Huddinge kommun (to show that kommuner see only their
/// own cases), both in Stockholms län, and Trelleborgs kommun in Skåne, whose
/// forms go to Länsstyrelsen Skåne; the authorities and the rounds of the
/// seed forms, the applications naming the report-backs their decisions fill.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load demo organisations, logins and grant rounds (once; later runs change nothing).")

    static let password = "blankett-demo"
    static let logins: [(email: String, name: String, title: String, organisation: String, roles: Set<Role>)] = [
        ("handlaggare@botkyrka.example", "Sara Lind", "Verksamhetsutvecklare", "Botkyrka kommun", [.editor]),
        ("chef@botkyrka.example", "Anders Berg", "Stöd- och utvecklingschef", "Botkyrka kommun", [.signatory]),
        ("ordforande@botkyrka.example", "Eva Holm", "Ordförande i socialnämnden", "Botkyrka kommun", [.signatory]),
        ("sekreterare@botkyrka.example", "Karin Ek", "Nämndsekreterare", "Botkyrka kommun", [.secretary]),
        ("admin@botkyrka.example", "Olle Strand", "Systemförvaltare", "Botkyrka kommun", [.admin]),
        ("handlaggare@huddinge.example", "Nils Sjö", "Utredare", "Huddinge kommun", [.editor, .signatory, .secretary]),
        ("handlaggare@trelleborg.example", "Maja Ström", "Socialchef", "Trelleborgs kommun", [.editor, .signatory, .secretary]),
    ]

    func run() async throws {
        let environment = Environment()
        let catalog = try environment.formCatalog()
        do {
            try await environment.withPool { pool in
                let directory = Directory(pool: pool)
                if try await directory.organisation(named: "Botkyrka kommun") != nil {
                    print("Demo data is already loaded.")
                    return
                }
                try await Self.load(into: directory, catalog: catalog)
                let cases = try environment.caseService(pool: pool, catalog: catalog,
                                                        dispatcher: MailDispatcher(catalog: catalog, sender: try environment.mailSender(), seal: try environment.pdfSeal(), clock: SystemClock()))
                try await Self.startBotkyrkaCase(cases: cases, directory: directory, root: environment.root)
                try await Self.sendBotkyrkaApplication(cases: cases, directory: directory, root: environment.root)
                print("Demo data loaded.")
            }
        } catch let error as CaseError {
            throw ValidationError(error.message)
        }
    }

    static func load(into directory: Directory, catalog: FormCatalog) async throws {
        let stockholm = "01", skane = "12"
        let botkyrka = try await directory.createOrganisation(name: "Botkyrka kommun", organisationsnummer: "212000-2882", county: stockholm)
        let huddinge = try await directory.createOrganisation(name: "Huddinge kommun", organisationsnummer: "212000-0076", county: stockholm)
        let trelleborg = try await directory.createOrganisation(name: "Trelleborgs kommun", organisationsnummer: "212000-1140", county: skane)
        try await directory.createNamnd(organisationID: botkyrka.id, name: "Socialnämnden", diariumPrefix: "SN")
        try await directory.createNamnd(organisationID: huddinge.id, name: "Socialnämnden", diariumPrefix: "SOC")
        try await directory.createNamnd(organisationID: trelleborg.id, name: "Socialnämnden", diariumPrefix: "SN")
        let organisations = [botkyrka.name: botkyrka, huddinge.name: huddinge, trelleborg.name: trelleborg]
        for login in logins {
            let hash = try PasswordHash.make(password: password, salt: PasswordHash.randomSalt())
            let user = try await directory.createUser(email: login.email, name: login.name, title: login.title, passwordHash: hash)
            try await directory.grant(login.roles, userID: user.id, organisationID: organisations[login.organisation]!.id)
        }
        try await directory.createAuthority(key: "lansstyrelsen-stockholm", name: "Länsstyrelsen Stockholm", recipientEmail: "stockholm@lansstyrelsen.se",
                                            subjectTemplate: "{form} {year} – {organisation}", postalAddress: "Box 22067, 104 22 Stockholm", county: stockholm)
        try await directory.createAuthority(key: "lansstyrelsen-skane", name: "Länsstyrelsen Skåne", recipientEmail: "skane@lansstyrelsen.se",
                                            subjectTemplate: "{form} {year} – {organisation}", postalAddress: "205 15 Malmö", county: skane)
        try await directory.createAuthority(key: "socialstyrelsen", name: "Socialstyrelsen", recipientEmail: "socialstyrelsen@socialstyrelsen.se",
                                            subjectTemplate: "{grant} {year} – {organisation}", postalAddress: "Statsbidrag, 106 30 Stockholm",
                                            eserviceName: "Socialstyrelsens e-tjänst för statsbidrag")
        let personligtOmbud = "Statsbidrag till kommuner för verksamhet med personligt ombud"
        let bemanning = "Statsbidrag för att stärka bemanningen inom den sociala barn- och ungdomsvården"
        let year2020 = (start: date(2020, 1, 1), end: date(2020, 12, 31)), year2021 = (start: date(2021, 1, 1), end: date(2021, 12, 31))
        // Report-backs first: an application round names the round its decision fills.
        let rounds: [(Directory.RoundSpecification, [OrganisationID: JSONObject])] = [
            (.init(key: "po-redovisning-2020", title: "Personligt ombud – redovisning 2020", formID: "po-redovisning-2020", authorityKey: "lansstyrelsen-stockholm",
                   periodStart: year2020.start, periodEnd: year2020.end, deadline: date(2021, 1, 15), grantName: personligtOmbud),
             [botkyrka.id: ["beviljat_statsbidrag": 1127386, "beviljade_arsanstallningar": .number("2.80")]]),
            (.init(key: "po-redovisning-2021", title: "Personligt ombud – redovisning 2021", formID: "po-redovisning-2020", authorityKey: "lansstyrelsen-stockholm",
                   periodStart: year2021.start, periodEnd: year2021.end, deadline: date(2022, 1, 15), grantName: personligtOmbud), [:]),
            (.init(key: "po-ansokan-2021", title: "Personligt ombud – ansökan 2021", formID: "po-ansokan-2021", authorityKey: "lansstyrelsen-stockholm",
                   periodStart: year2021.start, periodEnd: year2021.end, deadline: date(2021, 1, 15), grantName: personligtOmbud,
                   reportBackKey: "po-redovisning-2021"), [:]),
            (.init(key: "po-redovisning-2021-skane", title: "Personligt ombud – redovisning 2021", formID: "po-redovisning-2020", authorityKey: "lansstyrelsen-skane",
                   periodStart: year2021.start, periodEnd: year2021.end, deadline: date(2022, 3, 1), grantName: personligtOmbud), [:]),
            // HSLF-FS 2016:98, 2 §: the ansökan is due on 1 March of the grant year.
            (.init(key: "po-ansokan-2021-skane", title: "Personligt ombud – ansökan 2021", formID: "po-ansokan-2021", authorityKey: "lansstyrelsen-skane",
                   periodStart: year2021.start, periodEnd: year2021.end, deadline: date(2021, 3, 1), grantName: personligtOmbud,
                   reportBackKey: "po-redovisning-2021-skane"), [:]),
            (.init(key: "bemanning-aterrapportering-2020", title: "Stärkt bemanning – återrapportering 2020", formID: "bemanning-aterrapportering-2020",
                   authorityKey: "socialstyrelsen", periodStart: year2020.start, periodEnd: year2020.end, deadline: date(2021, 2, 5), grantName: bemanning),
             [botkyrka.id: ["erhallet_statsbidrag": 955473, "rekvisition_dnr": "16570/2020"]]),
            (.init(key: "bemanning-rekvisition-2020", title: "Stärkt bemanning – rekvisition 2020", formID: "bemanning-rekvisition-2020",
                   authorityKey: "socialstyrelsen", periodStart: year2020.start, periodEnd: year2020.end, deadline: date(2020, 11, 15), grantName: bemanning,
                   reportBackKey: "bemanning-aterrapportering-2020"),
             [botkyrka.id: ["tilldelat_belopp": 955473], huddinge.id: ["tilldelat_belopp": 1021344], trelleborg.id: ["tilldelat_belopp": 412000]]),
        ]
        for (round, values) in rounds where catalog[round.formID] != nil {
            let id = try await directory.createRound(round, catalog: catalog)
            for (organisationID, inputs) in values {
                try await directory.setPrefill(roundID: id, organisationID: organisationID, inputs: inputs, catalog: catalog)
            }
        }
    }

    /// Botkyrka's PO redovisning 2020 with the real figures (seed 003), as a
    /// draft: the real answers date the signature 2020-01-04, before the year
    /// ended, and the form points that out as it should.
    static func startBotkyrkaCase(cases: CaseService, directory: Directory, root: String) async throws {
        _ = try await botkyrkaDraft("po-redovisning-2020", cases: cases, directory: directory, root: root)
    }

    /// Botkyrka's PO ansökan 2021 (seed 002), signed, registered, sent to
    /// Länsstyrelsen Stockholm and received: its decision is the secretary's
    /// to record, which fills the redovisning 2021.
    static func sendBotkyrkaApplication(cases: CaseService, directory: Directory, root: String) async throws {
        guard let (caseID, editor) = try await botkyrkaDraft("po-ansokan-2021", cases: cases, directory: directory, root: root),
              let chef = try await directory.user(email: logins[1].email)?.user,
              let secretary = try await directory.user(email: logins[3].email)?.user else { return }
        _ = try await cases.markReady(caseID, acknowledgements: [:], by: editor)
        _ = try await cases.sign(caseID, password: password, by: chef.id)
        _ = try await cases.register(caseID, diarienummer: "SN 2020:412", year: 2020, by: secretary.id)
        _ = try await cases.send(caseID, by: secretary.id)
        _ = try await cases.receive(caseID, authorityDiarienummer: "821-41234-2020", by: secretary.id)
    }

    /// A Botkyrka case of the round keyed like the form, with the form's Botkyrka
    /// fixture answers saved by the demo editor; nil when a piece is missing.
    static func botkyrkaDraft(_ formID: String, cases: CaseService, directory: Directory, root: String) async throws -> (CaseID, editor: PersonID)? {
        let path = root + "/Tests/BlankettCoreTests/Fixtures/\(formID)-botkyrka.json"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let answers = try? JSONValue.parse(text),
              let editor = try await directory.user(email: logins[0].email)?.user,
              let botkyrka = try await directory.organisation(named: "Botkyrka kommun"),
              let round = try await directory.roundID(key: formID) else { return nil }
        let namnd = try await directory.namndID(organisationID: botkyrka.id, name: "Socialnämnden")
        let record = try await cases.create(roundID: round, organisationID: botkyrka.id, namndID: namnd, by: editor.id)
        _ = try await cases.saveAnswers(record.id, step: nil, answers: answers, baseVersion: record.answersVersion, by: editor.id)
        return (record.id, editor.id)
    }

    static func date(_ year: Int, _ month: Int, _ day: Int) -> LocalDate {
        LocalDate(year: year, month: month, day: day)!
    }
}
