import BlankettCore
import BlankettPostgres
import BlankettTestSupport
import Foundation

/// Two kommuner, their people and a grant round of a real form, in a
/// migrated database of its own.
struct CaseWorld {
    let pool: PostgresConnectionPool
    let directory: Directory
    let repository: CaseService
    let catalog: FormCatalog
    let botkyrka: Directory.Organisation
    let huddinge: Directory.Organisation
    let socialnamnden: NamndID
    /// Botkyrka's people, one role each, and Huddinge's editor.
    let editor: Directory.User
    let signatory: Directory.User
    let chair: Directory.User
    let secretary: Directory.User
    let admin: Directory.User
    let outsider: Directory.User
    let roundID: RoundID
    static let password = "Rätt lösenord 2021!"

    var people: [(Role, Directory.User)] {
        [(.editor, editor), (.signatory, signatory), (.secretary, secretary), (.admin, admin)]
    }

    static func make(form formID: String = "po-redovisning-2020", requiredSignatures: Int = 1, extraForms: [(String, String)] = []) async throws -> CaseWorld {
        let pool = try await TestCluster.migratedPool()
        var catalog = try FormCatalog.load(directory: TestCluster.repositoryRoot + "/forms")
        for (name, text) in extraForms {
            guard case .success(let definition) = FormDefinition.load(text, file: name) else { throw TestSetupError("bad inline form \(name)") }
            catalog.add(definition, text: text)
        }
        let directory = Directory(pool: pool)
        let repository = CaseService(store: PostgresCaseStore(pool: pool), catalog: catalog, sealingKey: SealingKey.generate())
        let botkyrka = try await directory.createOrganisation(name: "Botkyrka kommun", organisationsnummer: "212000-2882")
        let huddinge = try await directory.createOrganisation(name: "Huddinge kommun", organisationsnummer: "212000-0076")
        let socialnamnden = try await directory.createNamnd(organisationID: botkyrka.id, name: "Socialnämnden", diariumPrefix: "SN")
        func person(_ name: String, _ email: String, _ roles: Set<Role>, in organisation: Directory.Organisation) async throws -> Directory.User {
            let hash = try PasswordHash.make(password: password, salt: Array((email + "-blankett-test-salt").utf8.prefix(16)), rounds: 1_000)
            let user = try await directory.createUser(email: email, name: name, title: "Titel för \(name)", passwordHash: hash)
            try await directory.grant(roles, userID: user.id, organisationID: organisation.id)
            return user
        }
        let editor = try await person("Merith Fröberg", "merith.froberg@botkyrka.se", [.editor], in: botkyrka)
        let signatory = try await person("Anna Rydberg", "anna.rydberg@botkyrka.se", [.signatory], in: botkyrka)
        let chair = try await person("Ordförande Botkyrka", "ordforande@botkyrka.se", [.signatory], in: botkyrka)
        let secretary = try await person("Nämndsekreterare Botkyrka", "sekreterare@botkyrka.se", [.secretary], in: botkyrka)
        let admin = try await person("Admin Botkyrka", "admin@botkyrka.se", [.admin], in: botkyrka)
        let outsider = try await person("Handläggare Huddinge", "handlaggare@huddinge.se", [.editor, .signatory, .secretary, .admin], in: huddinge)

        guard let definition = catalog[formID]?.definition else { throw TestSetupError("no form \(formID) in forms/") }
        let authorityKey = definition.authority.lowercased().contains("social") ? "socialstyrelsen" : "lansstyrelsen-stockholm"
        try await directory.createAuthority(key: "lansstyrelsen-stockholm", name: "Länsstyrelsen Stockholm", recipientEmail: "stockholm@lansstyrelsen.se", subjectTemplate: "{form} – {organisation}")
        try await directory.createAuthority(key: "socialstyrelsen", name: "Socialstyrelsen", recipientEmail: "socialstyrelsen@socialstyrelsen.se", subjectTemplate: "{grant} – {organisation}")
        let round = try Self.round(formID)
        let roundID = try await directory.createRound(.init(
            key: formID, title: definition.title, formID: formID, authorityKey: authorityKey,
            periodStart: round.start, periodEnd: round.end, deadline: round.deadline, requiredSignatures: requiredSignatures
        ), catalog: catalog)
        if let inputs = round.inputs, !inputs.isEmpty {
            try await directory.setPrefill(roundID: roundID, organisationID: botkyrka.id, inputs: inputs, catalog: catalog)
            try await directory.setPrefill(roundID: roundID, organisationID: huddinge.id, inputs: inputs, catalog: catalog)
        }
        return CaseWorld(pool: pool, directory: directory, repository: repository, catalog: catalog, botkyrka: botkyrka, huddinge: huddinge,
                         socialnamnden: socialnamnden, editor: editor, signatory: signatory, chair: chair, secretary: secretary,
                         admin: admin, outsider: outsider, roundID: roundID)
    }

    /// The period, deadline and round inputs of the Botkyrka fixture of a form.
    static func round(_ formID: String) throws -> (start: LocalDate, end: LocalDate, deadline: LocalDate, inputs: JSONObject?) {
        let round = try? fixture("\(formID)-botkyrka.round")
        let start = round?["period"]?["start"]?.stringValue.flatMap { LocalDate(iso: $0) } ?? LocalDate(year: 2020, month: 1, day: 1)!
        let end = round?["period"]?["end"]?.stringValue.flatMap { LocalDate(iso: $0) } ?? LocalDate(year: 2020, month: 12, day: 31)!
        let deadline = round?["deadline"]?.stringValue.flatMap { LocalDate(iso: $0) } ?? LocalDate(year: end.year + 1, month: 1, day: 15)!
        return (start, end, deadline, round?["inputs"]?.objectValue)
    }

    static func fixture(_ name: String) throws -> JSONValue {
        let path = TestCluster.repositoryRoot + "/Tests/BlankettCoreTests/Fixtures/\(name).json"
        return try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// Botkyrka's real answers of the form.
    static func botkyrkaAnswers(_ formID: String = "po-redovisning-2020") throws -> JSONValue {
        try fixture("\(formID)-botkyrka")
    }

    func newCase(namnd: Bool = true) async throws -> CaseRecord {
        try await repository.create(roundID: roundID, organisationID: botkyrka.id, namndID: namnd ? socialnamnden : nil, by: editor.id)
    }

    /// A case with Botkyrka's answers saved and every warning acknowledged, ready to sign.
    func readyCase() async throws -> CaseRecord {
        let record = try await newCase()
        let outcome = try await repository.saveAnswers(record.id, step: nil, answers: try Self.botkyrkaAnswers(record.formID), baseVersion: record.answersVersion, by: editor.id)
        let acknowledgements = Dictionary(uniqueKeysWithValues: outcome.findings.warnings.map { (WarningKey($0), "Stämmer: se verksamhetsberättelsen.") })
        return try await repository.markReady(record.id, acknowledgements: acknowledgements, by: editor.id)
    }

    func count(_ table: String, caseID: CaseID) async throws -> Int {
        try await pool.query("SELECT count(*) FROM \(unsafeSQL: table) WHERE case_id = \(caseID)::uuid").single().decode(Int.self, at: 0)
    }
}
