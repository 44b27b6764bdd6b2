import Foundation
import BlankettCore

/// Organisations, nämnder, people and their roles, authorities and grant
/// rounds: what an administrator sets up before any case exists.
public struct Directory: Sendable {
    public let pool: PostgresConnectionPool

    public init(pool: PostgresConnectionPool) {
        self.pool = pool
    }

    public struct Organisation: Sendable, Hashable {
        public let id: OrganisationID
        public let name: String
        public let organisationsnummer: String
        public let parentID: OrganisationID?
    }

    /// A kommun (with its organisationsnummer) or, with `parentID`, a sub-unit
    /// such as a stadsdelsförvaltning, which uses its parent's number.
    public func createOrganisation(name: String, organisationsnummer: String?, parentID: OrganisationID? = nil, county: String? = nil) async throws -> Organisation {
        let name = try Self.required(name, "Namnet")
        let county = try Self.county(county)
        var number: String?
        if let organisationsnummer {
            switch Organisationsnummer.parse(organisationsnummer) {
            case .success(let parsed): number = parsed.formatted
            case .failure(let error): throw CaseError(.invalidInput, error.message)
            }
        }
        guard number != nil || parentID != nil else {
            throw CaseError(.invalidInput, "En kommun behöver ett organisationsnummer.")
        }
        let row = try await unique("Organisationen \(name) finns redan.") {
            try await pool.query("""
                INSERT INTO organisations (name, organisationsnummer, parent_id, county) VALUES (\(name), \(number), \(parentID)::uuid, \(county))
                RETURNING id::text, coalesce(organisationsnummer, (SELECT organisationsnummer FROM organisations WHERE id = \(parentID)::uuid))
                """).single()
        }
        let (id, effectiveNumber) = try row.decode((OrganisationID, String).self)
        return Organisation(id: id, name: name, organisationsnummer: effectiveNumber, parentID: parentID)
    }

    public func organisation(named name: String) async throws -> Organisation? {
        guard let row = try await pool.query("""
            SELECT o.id::text, o.name, coalesce(o.organisationsnummer, p.organisationsnummer), o.parent_id::text
            FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id
            WHERE lower(o.name) = lower(\(name)) ORDER BY o.parent_id NULLS FIRST LIMIT 1
            """).first else { return nil }
        let (id, found, number, parent) = try row.decode((OrganisationID, String, String, OrganisationID?).self)
        return Organisation(id: id, name: found, organisationsnummer: number, parentID: parent)
    }

    /// A nämnd and the letters of its diarium (`SN`).
    @discardableResult
    public func createNamnd(organisationID: OrganisationID, name: String, diariumPrefix: String) async throws -> NamndID {
        let name = try Self.required(name, "Nämndens namn")
        let prefix = diariumPrefix.trimmingCharacters(in: .whitespaces).uppercased()
        guard (1...6).contains(prefix.count), prefix.allSatisfy({ $0.isLetter }) else {
            throw CaseError(.invalidInput, "Diarieprefixet ska vara 1–6 bokstäver, till exempel SN.")
        }
        return try await unique("Nämnden \(name) finns redan.") {
            try await pool.query("""
                INSERT INTO namnder (organisation_id, name, diarium_prefix) VALUES (\(organisationID)::uuid, \(name), \(prefix))
                RETURNING id::text
                """).single().decode(NamndID.self, at: 0)
        }
    }

    public func namndID(organisationID: OrganisationID, name: String) async throws -> NamndID? {
        return try await pool.query("""
            SELECT id::text FROM namnder WHERE organisation_id = \(organisationID)::uuid AND lower(name) = lower(\(name))
            """).first?.decode(NamndID.self, at: 0)
    }

    public struct User: Sendable, Hashable {
        public let id: PersonID
        public let email: String
        public let name: String
        public let title: String
    }

    /// `passwordHash` comes from `PasswordHash.make`; the plain password never reaches here.
    public func createUser(email: String, name: String, title: String, passwordHash: String) async throws -> User {
        let email = try TextRule.email.check(try Self.required(email, "E-postadressen"), parameter: "email")
        guard case .success(let parsed) = EmailAddress.parse(email) else {
            throw CaseError(.invalidInput, "\(email) är inte en e-postadress.")
        }
        let name = try Self.required(name, "Namnet")
        let title = try TextRule.name("Titeln").check(title.trimmingCharacters(in: .whitespacesAndNewlines), parameter: "title")
        let id = try await unique("Det finns redan en användare med e-postadressen \(parsed.address).") {
            try await pool.query("""
                INSERT INTO users (email, name, title, password_hash) VALUES (\(parsed.address), \(name), \(title), \(passwordHash))
                RETURNING id::text
                """).single().decode(PersonID.self, at: 0)
        }
        return User(id: id, email: parsed.address, name: name, title: title)
    }

    public func user(email: String) async throws -> (user: User, passwordHash: String)? {
        guard let row = try await pool.query("""
            SELECT id::text, email, name, title, password_hash FROM users WHERE lower(email) = lower(\(email.trimmingCharacters(in: .whitespaces)))
            """).first else { return nil }
        let (id, found, name, title, hash) = try row.decode((PersonID, String, String, String, String).self)
        return (User(id: id, email: found, name: name, title: title), hash)
    }

    public func setPasswordHash(userID: PersonID, passwordHash: String) async throws {
        try await pool.query("UPDATE users SET password_hash = \(passwordHash) WHERE id = \(userID)::uuid")
    }

    /// Gives `roles` in `organisationID`; roles already held are kept.
    public func grant(_ roles: Set<Role>, userID: PersonID, organisationID: OrganisationID) async throws {
        try await pool.withTransaction { connection in
            for role in roles.sorted() {
                try connection.query("""
                    INSERT INTO memberships (user_id, organisation_id, role) VALUES (\(userID)::uuid, \(organisationID)::uuid, \(role.rawValue))
                    ON CONFLICT DO NOTHING
                    """)
            }
        }
    }

    public func revoke(_ role: Role, userID: PersonID, organisationID: OrganisationID) async throws {
        try await pool.query("""
            DELETE FROM memberships WHERE user_id = \(userID)::uuid AND organisation_id = \(organisationID)::uuid AND role = \(role.rawValue)
            """)
    }

    /// The organisations a person belongs to and their roles in each.
    public func memberships(userID: PersonID) async throws -> [(organisation: Organisation, roles: Set<Role>)] {
        let rows = try await pool.query("""
            SELECT o.id::text, o.name, coalesce(o.organisationsnummer, p.organisationsnummer), o.parent_id::text, string_agg(m.role, ',' ORDER BY m.role)
            FROM memberships m JOIN organisations o ON o.id = m.organisation_id LEFT JOIN organisations p ON p.id = o.parent_id
            WHERE m.user_id = \(userID)::uuid
            GROUP BY o.id, o.name, o.organisationsnummer, p.organisationsnummer, o.parent_id ORDER BY o.name
            """)
        return try rows.map { row in
            let (id, name, number, parent, roles) = try row.decode((OrganisationID, String, String, OrganisationID?, String).self)
            return (Organisation(id: id, name: name, organisationsnummer: number, parentID: parent),
                    Set(roles.split(separator: ",").compactMap { Role(rawValue: String($0)) }))
        }
    }

    @discardableResult
    /// `county`: the län code of a Länsstyrelse (`01` Stockholm, `12` Skåne),
    /// nil for an authority of the whole country.
    public func createAuthority(key: String, name: String, recipientEmail: String, subjectTemplate: String,
                                postalAddress: String = "", county: String? = nil, eserviceName: String? = nil) async throws -> String {
        guard case .success(let email) = EmailAddress.parse(recipientEmail) else {
            throw CaseError(.invalidInput, "\(recipientEmail) är inte en e-postadress.")
        }
        let county = try Self.county(county)
        guard postalAddress.count <= 300, !postalAddress.contains("\0") else { throw CaseError(.invalidInput, "Postadressen får vara högst 300 tecken.") }
        let eservice = eserviceName.flatMap { $0.isEmpty ? nil : $0 }
        guard (eservice?.count ?? 0) <= 200, eservice?.contains("\0") != true else { throw CaseError(.invalidInput, "E-tjänstens namn får vara högst 200 tecken.") }
        return try await unique("Myndigheten \(key) finns redan.") {
            try await pool.query("""
                INSERT INTO authorities (key, name, recipient_email, subject_template, postal_address, county, eservice_name)
                VALUES (\(key), \(name), \(email.address), \(subjectTemplate), \(postalAddress), \(county), \(eservice))
                RETURNING id::text
                """).single().decode(String.self, at: 0)
        }
    }

    public struct RoundSpecification: Sendable {
        public var key: String
        public var title: String
        public var formID: String
        public var authorityKey: String
        public var periodStart: LocalDate
        public var periodEnd: LocalDate
        public var deadline: LocalDate
        public var requiredSignatures: Int
        /// The grant's name as the authority writes it; empty: the title.
        public var grantName: String
        /// The key of the round whose form reports back on this application round's money.
        public var reportBackKey: String?

        public init(key: String, title: String, formID: String, authorityKey: String, periodStart: LocalDate, periodEnd: LocalDate, deadline: LocalDate,
                    requiredSignatures: Int = 1, grantName: String = "", reportBackKey: String? = nil) {
            self.grantName = grantName
            self.reportBackKey = reportBackKey
            self.key = key
            self.title = title
            self.formID = formID
            self.authorityKey = authorityKey
            self.periodStart = periodStart
            self.periodEnd = periodEnd
            self.deadline = deadline
            self.requiredSignatures = requiredSignatures
        }
    }

    /// A grant round of a published form version; the form must be in `catalog`.
    @discardableResult
    public func createRound(_ round: RoundSpecification, catalog: FormCatalog) async throws -> RoundID {
        guard catalog[round.formID] != nil else {
            throw CaseError(.formUnavailable, "Blanketten \(round.formID) finns inte bland de publicerade blanketterna.")
        }
        guard round.periodEnd >= round.periodStart else {
            throw CaseError(.invalidInput, "Perioden slutar före den börjar.")
        }
        guard (1...2).contains(round.requiredSignatures) else {
            throw CaseError(.invalidInput, "En omgång kräver en eller två underskrifter.")
        }
        guard round.grantName.count <= 300 else { throw CaseError(.invalidInput, "Bidragets namn får vara högst 300 tecken.") }
        var reportBackID: RoundID?
        if let reportBackKey = round.reportBackKey {
            guard let row = try await pool.query("SELECT id::text, form_id FROM grant_rounds WHERE key = \(reportBackKey)").first else {
                throw CaseError(.invalidInput, "Omgången \(reportBackKey) finns inte.")
            }
            let (id, reportBackForm) = try row.decode((RoundID, String).self)
            try Self.checkReportBack(from: round.formID, to: reportBackForm, catalog: catalog)
            reportBackID = id
        }
        return try await unique("Omgången \(round.key) finns redan.") {
            guard let row = try await pool.query("""
                INSERT INTO grant_rounds (key, title, form_id, authority_id, period_start, period_end, deadline, required_signatures, grant_name, report_back_round_id)
                SELECT \(round.key), \(round.title), \(round.formID), id, \(round.periodStart), \(round.periodEnd), \(round.deadline), \(round.requiredSignatures),
                       \(round.grantName), \(reportBackID)::uuid
                FROM authorities WHERE key = \(round.authorityKey)
                RETURNING id::text
                """).first else {
                throw CaseError(.invalidInput, "Myndigheten \(round.authorityKey) finns inte.")
            }
            return try row.decode(RoundID.self, at: 0)
        }
    }

    public func roundID(key: String) async throws -> RoundID? {
        try await pool.query("SELECT id::text FROM grant_rounds WHERE key = \(key)").first?.decode(RoundID.self, at: 0)
    }

    /// What the round gives one organisation (the form's `round_inputs`),
    /// checked against the form so that a typo is caught here, not in a case.
    public func setPrefill(roundID: RoundID, organisationID: OrganisationID, inputs: JSONObject, catalog: FormCatalog, by personID: PersonID? = nil) async throws {
        guard let formID = try await pool.query("SELECT form_id FROM grant_rounds WHERE id = \(roundID)::uuid").first?.decode(String.self, at: 0) else {
            throw CaseError.notFound("Omgången")
        }
        guard let definition = catalog[formID]?.definition else {
            throw CaseError(.formUnavailable, "Blanketten \(formID) finns inte bland de publicerade blanketterna.")
        }
        let known = Set(definition.roundInputs.map(\.id))
        if let unknown = inputs.keys.first(where: { !known.contains($0) }) {
            throw CaseError(.invalidInput, "Blanketten \(formID) har inget förifyllt värde som heter \(unknown). Kända: \(known.sorted().joined(separator: ", ")).")
        }
        try await pool.withTransaction { connection in
            try RoundValues.merge(inputs, roundID: roundID, organisationID: organisationID, by: personID, replacing: true, on: connection)
        }
    }

    /// An application's decision values must be round inputs of the
    /// report-back's form, of the same type, or the decision would give the
    /// report-back values it refuses.
    static func checkReportBack(from formID: String, to reportBackFormID: String, catalog: FormCatalog) throws {
        guard let spec = catalog[formID]?.definition.authorityDecision else {
            throw CaseError(.invalidInput, "Blanketten \(formID) säger inte vad myndighetens beslut beviljar (authority_decision), så den kan inte förifylla en redovisning.")
        }
        guard let reportBack = catalog[reportBackFormID]?.definition else {
            throw CaseError(.formUnavailable, "Blanketten \(reportBackFormID) finns inte bland de publicerade blanketterna.")
        }
        let inputs = Dictionary(uniqueKeysWithValues: reportBack.roundInputs.map { ($0.id, $0.type.name) })
        for value in spec.values where inputs[value.id] != value.type.name {
            throw CaseError(.invalidInput, "Beslutets värde \(value.id) (\(value.type.name)) är inget sådant värde i \(reportBackFormID); den tar \(inputs.keys.sorted().joined(separator: ", ")).")
        }
        if let input = spec.diarienummerInput, inputs[input] == nil {
            throw CaseError(.invalidInput, "Beslutets diarienummer ska bli \(input), som \(reportBackFormID) inte har.")
        }
    }

    /// A län code as written (`01`, `12`), or nil.
    static func county(_ text: String?) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard text.count == 2, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw CaseError(.invalidInput, "Länskoden skrivs med två siffror, till exempel 01 för Stockholms län eller 12 för Skåne län.")
        }
        return text
    }

    // MARK: Checks shared by the repositories

    /// A name (`TextRule.name`: 200 characters, no control characters), trimmed and not empty.
    static func required(_ text: String, _ what: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw CaseError(.invalidInput, "\(what) måste fyllas i.") }
        return try TextRule.name(what).check(trimmed)
    }

    private func unique<T: Sendable>(_ message: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError where error.isUniqueViolation {
            throw CaseError(.duplicate, message)
        }
    }
}

extension Directory {
    public struct Round: Sendable, Hashable {
        public let id: RoundID
        public let key: String
        public let title: String
        public let formID: String
        public let authorityName: String
        public let periodStart: LocalDate
        public let periodEnd: LocalDate
        public let deadline: LocalDate
    }

    /// The rounds open to an organisation that it has no case of yet, newest
    /// deadline first, at most `limit`: what its editor can start. One query
    /// (the case's unique (organisation, round) index answers the anti-join),
    /// however many rounds earlier years left.
    public func startableRounds(for organisationID: OrganisationID, limit: Int) async throws -> [Round] {
        try await pool.query("""
            SELECT r.id::text, r.key, r.title, r.form_id, a.name, r.period_start, r.period_end, r.deadline
            FROM grant_rounds r JOIN authorities a ON a.id = r.authority_id
            WHERE (a.county IS NULL
                   OR a.county = (SELECT coalesce(o.county, p.county) FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id
                                  WHERE o.id = \(organisationID)::uuid))
              AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.organisation_id = \(organisationID)::uuid AND c.round_id = r.id)
            ORDER BY r.deadline DESC, r.title
            LIMIT \(limit)
            """).map { row in
            let (id, key, title, formID, authority, start, end, deadline) = try row.decode((RoundID, String, String, String, String, LocalDate, LocalDate, LocalDate).self)
            return Round(id: id, key: key, title: title, formID: formID, authorityName: authority, periodStart: start, periodEnd: end, deadline: deadline)
        }
    }

    /// The grant rounds open to an organisation, newest deadline first: a
    /// national authority's, and its own county's Länsstyrelse's. Nil: every round.
    public func rounds(openTo organisationID: OrganisationID? = nil) async throws -> [Round] {
        try await pool.query("""
            SELECT r.id::text, r.key, r.title, r.form_id, a.name, r.period_start, r.period_end, r.deadline
            FROM grant_rounds r JOIN authorities a ON a.id = r.authority_id
            WHERE \(organisationID)::uuid IS NULL OR a.county IS NULL
               OR a.county = (SELECT coalesce(o.county, p.county) FROM organisations o LEFT JOIN organisations p ON p.id = o.parent_id
                              WHERE o.id = \(organisationID)::uuid)
            ORDER BY r.deadline DESC, r.title
            """).map { row in
            let (id, key, title, formID, authority, start, end, deadline) = try row.decode((RoundID, String, String, String, String, LocalDate, LocalDate, LocalDate).self)
            return Round(id: id, key: key, title: title, formID: formID, authorityName: authority, periodStart: start, periodEnd: end, deadline: deadline)
        }
    }
}
