import BlankettCore
import BlankettMail
import BlankettPostgres
import Hummingbird

/// An organisation's administrator: its people and their roles, its nämnder
/// and sub-units, and what each grant round gives it (from the authority's
/// decision). Rounds and authorities themselves are shared by every
/// organisation and set up with `blankett admin`.
extension WebController {
    static let adminFlashes: [String: String] = [
        "person": "Personen är tillagd.",
        "befintlig": "Personen fanns redan och har fått rollerna i organisationen.",
        "inbjuden": "Adressen hör till ett konto i en annan organisation. Personen har fått en inbjudan per e-post och får rollerna här när hen tar emot den.",
        "roller": "Rollerna är sparade.",
        "namnd": "Nämnden är tillagd.",
        "enhet": "Enheten är tillagd.",
        "omgang": "Omgångens värden är sparade.",
        "nyckel": "API-nyckeln är borttagen.",
        "inloggning": "Inloggningen via organisationens inloggningstjänst är sparad.",
        "inloggning-borttagen": "Inloggningen via organisationens inloggningstjänst är borttagen; alla loggar in med lösenord.",
    ]

    func registerAdministration(on pages: RouterGroup<SignedInRequestContext>) {
        pages.get("/admin/:organisation") { request, context in
            try await self.adminPage(context.person, organisationID: try context.parameters.id("organisation", as: OrganisationID.self, what: "Organisationen"),
                                     flash: request.uri.queryParameters.get("klart").flatMap { Self.adminFlashes[$0] })
        }
        pages.post("/admin/:organisation/tokens/:token/revoke") { _, context in
            let token = try context.parameters.require("token")
            return try await self.administer(context.person, organisationID: try context.parameters.id("organisation", as: OrganisationID.self, what: "Organisationen")) { organisation in
                guard try await self.services.sessions.revokeAPIToken(id: token, ofMemberOf: organisation.id) else { throw CaseError.notFound("Nyckeln") }
                return "nyckel"
            }
        }
        pages.post("/admin/:organisation/users") { _, context in
            try await self.administer(context.person, organisationID: try context.parameters.id("organisation", as: OrganisationID.self, what: "Organisationen"), typed: context.form) { organisation in
                try await self.addPerson(context.form, organisation: organisation, by: context.person.userID)
            }
        }
        pages.post("/admin/:organisation/users/:user/roles") { _, context in
            let member = try context.parameters.id("user", as: PersonID.self, what: "Personen")
            return try await self.administer(context.person, organisationID: try context.parameters.id("organisation", as: OrganisationID.self, what: "Organisationen")) { organisation in
                guard try await self.services.directory.members(organisationID: organisation.id).contains(where: { $0.user.id == member }) else {
                    throw CaseError.notFound("Personen")
                }
                try await self.services.directory.setRoles(Self.roles(in: context.form), userID: member, organisationID: organisation.id, actingUserID: context.person.userID)
                return "roller"
            }
        }
        pages.post("/admin/:organisation/namnder") { _, context in
            try await self.administer(context.person, organisationID: try context.parameters.id("organisation", as: OrganisationID.self, what: "Organisationen"), typed: context.form) { organisation in
                try await self.services.directory.createNamnd(organisationID: organisation.id, name: context.form["namnd_name"] ?? "", diariumPrefix: context.form["prefix"] ?? "")
                return "namnd"
            }
        }
        pages.post("/admin/:organisation/units") { _, context in
            try await self.administer(context.person, organisationID: try context.parameters.id("organisation", as: OrganisationID.self, what: "Organisationen"), typed: context.form) { organisation in
                guard organisation.parentID == nil else { throw CaseError(.invalidInput, "En enhet kan inte ha egna enheter; lägg till den under kommunen.") }
                _ = try await self.services.directory.createOrganisation(name: context.form["unit_name"] ?? "", organisationsnummer: nil, parentID: organisation.id)
                return "enhet"
            }
        }
        pages.post("/admin/:organisation/identity-provider") { _, context in
            try await self.administer(context.person, organisationID: try context.parameters.id("organisation", as: OrganisationID.self, what: "Organisationen"), typed: context.form) { organisation in
                guard organisation.parentID == nil else { throw CaseError(.invalidInput, "En enhet loggar in via sin kommuns inloggningstjänst.") }
                let words = { (name: String) in (context.form[name] ?? "").split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" }).map(String.init) }
                try await self.services.directory.setIdentityProvider(IdentityProviderSettings(
                    organisationID: organisation.id, displayName: (context.form["idp_name"] ?? "").trimmingCharacters(in: .whitespaces),
                    issuer: (context.form["idp_issuer"] ?? "").trimmingCharacters(in: .whitespaces),
                    clientID: (context.form["idp_client_id"] ?? "").trimmingCharacters(in: .whitespaces),
                    clientSecretFrom: (context.form["idp_secret_from"] ?? "").trimmingCharacters(in: .whitespaces),
                    identityClaim: (context.form["idp_claim"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty ? "email" : (context.form["idp_claim"] ?? "").trimmingCharacters(in: .whitespaces),
                    allowedDomains: words("idp_domains").map { $0.lowercased() }, signingACRValues: words("idp_acr"),
                    passwordsAllowed: context.form["idp_passwords"] == "ja"))
                return "inloggning"
            }
        }
        pages.post("/admin/:organisation/identity-provider/remove") { _, context in
            try await self.administer(context.person, organisationID: try context.parameters.id("organisation", as: OrganisationID.self, what: "Organisationen")) { organisation in
                try await self.services.directory.removeIdentityProvider(of: organisation.id)
                return "inloggning-borttagen"
            }
        }
        pages.post("/admin/:organisation/rounds/:round/prefill") { _, context in
            let roundID = try context.parameters.id("round", as: RoundID.self, what: "Omgången")
            return try await self.administer(context.person, organisationID: try context.parameters.id("organisation", as: OrganisationID.self, what: "Organisationen"), typed: context.form) { organisation in
                try await self.setPrefill(context.form, roundID: roundID, organisationID: organisation.id, by: context.person.userID)
                return "omgang"
            }
        }
    }

    /// The organisation, when the person is its administrator: someone
    /// outside it learns nothing (404), a member without the role is refused (403).
    func administeredOrganisation(_ user: SessionStore.Session, _ organisationID: OrganisationID) async throws -> Directory.Organisation {
        let memberships = try await services.directory.memberships(userID: user.userID)
        guard let (organisation, roles) = memberships.first(where: { $0.organisation.id == organisationID }) else {
            throw CaseError.notFound("Organisationen")
        }
        guard roles.contains(.admin) else {
            var error = CaseError(.workflow, "Bara organisationens administratör kan ändra personer, roller och omgångar.")
            error.workflowCode = .roleRequired
            throw error
        }
        return organisation
    }

    /// Runs one change; a refused one shows the page again with the reason
    /// and what was typed (never the password).
    func administer(_ user: SessionStore.Session, organisationID: OrganisationID, typed: FormPost? = nil, _ change: (Directory.Organisation) async throws -> String) async throws -> Response {
        let organisation = try await administeredOrganisation(user, organisationID)
        do {
            let flash = try await change(organisation)
            return Response.redirect(to: "/admin/\(organisation.id)?klart=\(flash)", type: .normal)
        } catch let error as CaseError where [.invalidInput, .duplicate].contains(error.code) {
            var kept: [String: String] = [:]
            for name in ["email", "name", "title", "namnd_name", "prefix", "unit_name", "idp_name", "idp_issuer", "idp_client_id", "idp_secret_from",
                         "idp_claim", "idp_domains", "idp_acr"] { kept[name] = typed?[name] }
            return try await adminPage(user, organisationID: organisation.id, flash: nil, problem: error.message, typed: kept,
                                       status: error.code == .duplicate ? .conflict : .unprocessableContent)
        }
    }

    static func roles(in form: FormPost) -> Set<Role> {
        Set(form.all("role").compactMap(Role.init(rawValue:)))
    }

    /// A new person, or an existing one (by e-mail) given roles here, when
    /// that person belongs to no organisation or only to this kommun (it or
    /// its units). A person of another kommun is sent an invitation instead,
    /// and gets the roles only by accepting it on their own dashboard; until
    /// then nothing about them (name, roles, where) is shown here: an
    /// administrator acts only within their kommun.
    func addPerson(_ form: FormPost, organisation: Directory.Organisation, by administrator: PersonID) async throws -> String {
        let organisationID = organisation.id
        let roles = Self.roles(in: form)
        guard !roles.isEmpty else { throw CaseError(.invalidInput, "Välj minst en roll för personen.") }
        let email = try TextRule.email.check((form["email"] ?? "").trimmingCharacters(in: .whitespaces), parameter: "email")
        guard case .success(let address) = EmailAddress.parse(email) else {
            throw CaseError(.invalidInput, "Ange personens e-postadress, till exempel namn@kommun.se.")
        }
        if let existing = try await services.directory.user(email: address.address) {
            let kommun = organisation.parentID ?? organisation.id
            let elsewhere = try await services.directory.memberships(userID: existing.user.id)
                .contains { ($0.organisation.parentID ?? $0.organisation.id) != kommun }
            if elsewhere {
                let sender = personalMailSender
                let base = services.publicURL
                let clock = services.clock
                try await services.directory.invite(userID: existing.user.id, email: address.address, roles: roles, organisationID: organisationID,
                                                    invitedBy: administrator) { invitee, connection in
                    // An address the mail module cannot write to gets no mail; the invitation still waits on the person's dashboard.
                    guard let sender, let message = try? Self.invitationMessage(to: invitee, from: sender, base: base, now: SwedishTime(clock.now())) else { return }
                    try Outbox.enqueuePersonal(message, kind: .invitation, on: connection)
                }
                return "inbjuden"
            }
            try await services.directory.grant(roles, userID: existing.user.id, organisationID: organisationID)
            return "befintlig"
        }
        let password = try TextRule.password.check(form["password"] ?? "", parameter: "password")
        guard password.count >= PasswordHash.minimumPasswordLength else {
            throw CaseError(.invalidInput, "Ge personen ett första lösenord på minst \(PasswordHash.minimumPasswordLength) tecken.")
        }
        let hash = try PasswordHash.make(password: password, salt: PasswordHash.randomSalt())
        let user = try await services.directory.createUser(email: address.address, name: form["name"] ?? "", title: form["title"] ?? "", passwordHash: hash)
        try await services.directory.grant(roles, userID: user.id, organisationID: organisationID)
        return "person"
    }

    /// The mail of an invitation: who invites, to what, and where to answer.
    /// It holds no secret; answering needs the person's own session.
    static func invitationMessage(to invitee: Directory.Invitee, from sender: MailAddress, base: String, now: SwedishTime) throws -> MailMessage {
        let roles = invitee.roles.sorted().map(\.swedishName).joined(separator: ", ")
        return try personalMessage(to: invitee.email, name: invitee.name, from: sender, subject: "Inbjudan till \(invitee.organisationName) i Blankett", paragraphs: [
            "\(invitee.invitedByName), administratör för \(invitee.organisationName) i Blankett, bjuder in dig med rollerna: \(roles).",
            "Logga in på Blankett som vanligt för att ta emot eller tacka nej till inbjudan; den finns överst på din startsida:\n" + base + "/",
            "Inbjudan gäller i \(Directory.invitationLifetimeDays) dagar. Tackar du nej, eller gör du ingenting, ändras ingenting för dig.",
        ], now: now)
    }

    /// The round's values for this organisation, typed the Swedish way and
    /// checked like the form's own fields.
    func setPrefill(_ form: FormPost, roundID: RoundID, organisationID: OrganisationID, by personID: PersonID) async throws {
        guard let round = try await services.directory.rounds(openTo: organisationID).first(where: { $0.id == roundID }),
              let definition = services.cases.catalog[round.formID]?.definition else { throw CaseError.notFound("Omgången") }
        var inputs = JSONObject()
        for input in definition.roundInputs {
            let text = (form["input.\(input.id)"] ?? "").trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            switch input.storedValue(typed: text) {
            case .success(let value): inputs[input.id] = value
            case .failure(let error): throw CaseError(.invalidInput, "\(input.label): \(error.message)")
            }
        }
        try await services.directory.setPrefill(roundID: roundID, organisationID: organisationID, inputs: inputs, catalog: services.cases.catalog, by: personID)
    }

    func adminPage(_ user: SessionStore.Session, organisationID: OrganisationID, flash: String?, problem: String? = nil,
                   typed: [String: String] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let organisation = try await administeredOrganisation(user, organisationID)
        let directory = services.directory
        let csrf = user.csrfToken
        func roleBoxes(_ held: Set<Role>, owner: String) -> [[String: Any]] {
            Role.allCases.map { ["role": $0.rawValue, "label": $0.swedishName, "checked": held.contains($0), "owner": owner] }
        }
        let members: [[String: Any]] = try await directory.members(organisationID: organisation.id).map { member, roles in
            ["id": member.id, "name": member.name, "email": member.email, "title": member.title, "organisationID": organisation.id, "csrf": csrf,
             "roles": roleBoxes(roles, owner: member.id.uuid)]
        }
        let namnder: [[String: Any]] = try await directory.namnder(organisationID: organisation.id).map { ["name": $0.name, "prefix": $0.diariumPrefix] }
        let units: [[String: Any]] = try await directory.units(parentID: organisation.id).map { ["name": $0.name] }
        let prefills = try await directory.prefills(organisationID: organisation.id)
        let rounds: [[String: Any]] = try await directory.rounds(openTo: organisation.id).map { round in
            let definition = services.cases.catalog[round.formID]?.definition
            let stored = prefills[round.id] ?? JSONObject()
            let inputs: [[String: Any]] = (definition?.roundInputs ?? []).map { input in
                ["id": input.id, "label": input.label, "roundID": round.id, "value": stored[input.id].map(RoundInput.typedText) ?? ""]
            }
            return ["id": round.id, "title": round.title, "form": definition?.title ?? round.formID, "authority": round.authorityName,
                    "period": "\(round.periodStart) – \(round.periodEnd)", "deadline": round.deadline.description,
                    "inputs": inputs, "hasInputs": !inputs.isEmpty, "organisationID": organisation.id, "csrf": csrf]
        }
        let tokens: [[String: Any]] = try await services.sessions.apiTokens(ofMembersOf: organisation.id).map { token in
            ["id": token.id, "owner": token.ownerEmail, "name": token.name, "lastUsed": token.lastUsedAt.map { SwedishTime(iso: $0)?.description ?? $0 } ?? "aldrig",
             "expires": SwedishTime(iso: token.expiresAt)?.description ?? token.expiresAt, "organisationID": organisation.id, "csrf": csrf]
        }
        let invitations: [[String: Any]] = try await directory.invitations(from: organisation.id).map { invitation in
            ["email": invitation.email, "roles": invitation.roles.sorted().map(\.swedishName).joined(separator: ", "), "expires": invitation.expiresAt.description]
        }
        let provider = organisation.parentID == nil ? try await directory.identityProvider(of: organisation.id) : nil
        let refusals: [[String: Any]] = provider == nil ? [] : try await directory.refusedSignIns(of: organisation.id).map {
            ["at": $0.at, "identity": $0.identity, "reason": $0.reason]
        }
        var content: [String: Any] = [
            "canHaveProvider": organisation.parentID == nil, "hasProvider": provider != nil,
            "idp_name": provider?.displayName ?? organisation.name, "idp_issuer": provider?.issuer ?? "", "idp_client_id": provider?.clientID ?? "",
            "idp_secret_from": provider?.clientSecretFrom ?? "", "idp_claim": provider?.identityClaim ?? "email",
            "idp_domains": provider?.allowedDomains.joined(separator: " ") ?? "", "idp_acr": provider?.signingACRValues.joined(separator: " ") ?? "",
            "idp_passwords": provider?.passwordsAllowed ?? true, "redirectURI": redirectURI,
            "refusals": refusals, "hasRefusals": !refusals.isEmpty,
            "invitations": invitations, "hasInvitations": !invitations.isEmpty,
            "tokens": tokens, "hasTokens": !tokens.isEmpty,
            "organisationID": organisation.id, "name": organisation.name, "organisationsnummer": organisation.organisationsnummer,
            "members": members, "namnder": namnder, "hasNamnder": !namnder.isEmpty, "units": units, "hasUnits": !units.isEmpty,
            "canHaveUnits": organisation.parentID == nil, "rounds": rounds, "hasRounds": !rounds.isEmpty,
            "newRoles": roleBoxes([], owner: "ny"),
        ]
        for (name, value) in typed { content["typed_\(name)"] = value }
        return render("admin", content, title: "Administration – \(organisation.name)", user: user, organisationName: organisation.name,
                      flash: flash, problem: problem, status: status)
    }
}
