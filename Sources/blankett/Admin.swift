import ArgumentParser
import BlankettCore
import BlankettPostgres
import Foundation

/// What an administrator sets up: organisations, nämnder, people and roles,
/// authorities, grant rounds and their prefilled values.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set up organisations, people, authorities and grant rounds.",
        subcommands: [AddOrganisation.self, AddNamnd.self, AddUser.self, Grant.self, AddToken.self, ListTokens.self, RevokeToken.self, AddAuthority.self, AddRound.self, SetPrefill.self, SetOIDC.self]
    )

    /// Runs `body` with the directory on the configured database; a refused
    /// change is a clear message and exit 1, never a stack trace.
    static func withDirectory(_ body: (Directory, FormCatalog) async throws -> Void) async throws {
        let environment = Environment()
        let catalog = try environment.formCatalog()
        do {
            try await environment.withPool { pool in try await body(Directory(pool: pool), catalog) }
        } catch let error as CaseError {
            throw ValidationError(error.message)
        }
    }

    static func organisation(_ name: String, in directory: Directory) async throws -> Directory.Organisation {
        guard let organisation = try await directory.organisation(named: name) else {
            throw ValidationError("No organisation named \(name).")
        }
        return organisation
    }

    struct AddOrganisation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-organisation", abstract: "Add a kommun, or a sub-unit of one.")
        @Option(help: "Name, e.g. \"Botkyrka kommun\".") var name: String
        @Option(help: "Organisationsnummer, e.g. 212000-2882 (not for a sub-unit).") var organisationsnummer: String?
        @Option(help: "Län code of a kommun, e.g. 01 (Stockholm) or 12 (Skåne): its Länsstyrelse's rounds are offered to it.") var county: String?
        @Option(help: "The parent organisation's name, for a sub-unit such as a stadsdelsförvaltning.") var parent: String?

        func run() async throws {
            try await Admin.withDirectory { directory, _ in
                var parentID: OrganisationID?
                if let parent { parentID = try await Admin.organisation(parent, in: directory).id }
                let organisation = try await directory.createOrganisation(name: name, organisationsnummer: organisationsnummer, parentID: parentID, county: county)
                print("Organisation \(organisation.name) (\(organisation.organisationsnummer)): \(organisation.id)")
            }
        }
    }

    struct AddNamnd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-namnd", abstract: "Add a nämnd with the letters of its diarium (SN).")
        @Option(help: "The organisation's name.") var organisation: String
        @Option(help: "Name, e.g. Socialnämnden.") var name: String
        @Option(help: "Diarium prefix, e.g. SN.") var prefix: String

        func run() async throws {
            try await Admin.withDirectory { directory, _ in
                let id = try await directory.createNamnd(organisationID: try await Admin.organisation(organisation, in: directory).id, name: name, diariumPrefix: prefix)
                print("Nämnd \(name): \(id)")
            }
        }
    }

    struct AddToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-token",
            abstract: "Issue an API token for a person; it acts with the person's roles until it expires. Printed once, only its hash is kept."
        )
        @Option(help: "The person's e-mail address.") var email: String
        @Option(help: "What the token is for, e.g. \"ekonomisystemet\".") var name: String
        @Option(help: "Days the token is valid, 1–\(SessionStore.maximumTokenLifetimeDays).") var days: Int = SessionStore.defaultTokenLifetimeDays

        func run() async throws {
            try await Admin.withDirectory { directory, _ in
                guard let user = try await directory.user(email: email)?.user else { throw ValidationError("No person with the address \(email).") }
                let issued = try await SessionStore(pool: directory.pool).issueAPIToken(userID: user.id, name: name, lifetimeDays: days)
                print(issued.token)
                FileHandle.standardError.write(Data("Token \(issued.id) expires \(issued.expiresAt).\n".utf8))
            }
        }
    }

    struct ListTokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list-tokens",
            abstract: "List API tokens (never the tokens themselves): id, owner, name, created, last used, expires, state."
        )
        @Option(help: "Only this person's tokens.") var email: String?

        func run() async throws {
            try await Admin.withDirectory { directory, _ in
                var userID: PersonID?
                if let email {
                    guard let user = try await directory.user(email: email)?.user else { throw ValidationError("No person with the address \(email).") }
                    userID = user.id
                }
                let tokens = try await SessionStore(pool: directory.pool).apiTokens(userID: userID)
                print(["id", "owner", "name", "created", "last used", "expires", "state"].joined(separator: "\t"))
                for token in tokens {
                    let state = token.revokedAt.map { "revoked \($0)" } ?? (token.isActive ? "active" : "expired")
                    print([token.id, token.ownerEmail, token.name, token.createdAt, token.lastUsedAt ?? "never", token.expiresAt, state].joined(separator: "\t"))
                }
            }
        }
    }

    struct RevokeToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-token",
            abstract: "Revoke an API token by its id (from list-tokens); it is refused from its next request."
        )
        @Option(help: "The token's id.") var id: String

        func run() async throws {
            try await Admin.withDirectory { directory, _ in
                guard try await SessionStore(pool: directory.pool).revokeAPIToken(id: id) else {
                    throw ValidationError("No unrevoked token with the id \(id.prefix(64)).")
                }
                print("Token \(id) is revoked.")
            }
        }
    }

    struct AddUser: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-user",
            abstract: "Add a person. The password is read from standard input (one line), never from the command line."
        )
        @Option(help: "E-mail address (the login).") var email: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Title, e.g. Stöd- och utvecklingschef.") var title: String = ""

        func run() async throws {
            guard let password = readLine(strippingNewline: true), password.count >= PasswordHash.minimumPasswordLength else {
                throw ValidationError("Give a password of at least \(PasswordHash.minimumPasswordLength) characters on standard input.")
            }
            let hash = try PasswordHash.make(password: password, salt: PasswordHash.randomSalt())
            try await Admin.withDirectory { directory, _ in
                let user = try await directory.createUser(email: email, name: name, title: title, passwordHash: hash)
                print("User \(user.email): \(user.id)")
            }
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a person roles in an organisation.")
        @Option(help: "The person's e-mail address.") var email: String
        @Option(help: "The organisation's name.") var organisation: String
        @Option(help: "Comma-separated roles: editor, signatory, secretary, admin.") var roles: String

        func run() async throws {
            let parsed = try Set(roles.split(separator: ",").map { name in
                guard let role = Role(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("Unknown role \(name): use editor, signatory, secretary or admin.")
                }
                return role
            })
            try await Admin.withDirectory { directory, _ in
                guard let user = try await directory.user(email: email)?.user else { throw ValidationError("No user \(email).") }
                let organisation = try await Admin.organisation(organisation, in: directory)
                try await directory.grant(parsed, userID: user.id, organisationID: organisation.id)
                print("\(user.email) in \(organisation.name): \(parsed.sorted().map(\.rawValue).joined(separator: ", "))")
            }
        }
    }

    struct AddAuthority: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-authority", abstract: "Add an authority that receives forms by e-mail.")
        @Option(help: "Key, e.g. lansstyrelsen-stockholm.") var key: String
        @Option(help: "Name, e.g. Länsstyrelsen Stockholm.") var name: String
        @Option(help: "Recipient address, e.g. stockholm@lansstyrelsen.se.") var email: String
        @Option(help: "Subject line; {grant}, {form}, {organisation}, {year}, {diarienummer} are filled in.") var subject: String
        @Option(help: "Postal address, e.g. \"Box 22067, 104 22 Stockholm\" (forms show it as {authority.address}).") var postalAddress: String = ""
        @Option(help: "Län code of a Länsstyrelse, e.g. 01; none for an authority of the whole country.") var county: String?
        @Option(help: "The authority's e-service that takes the form besides the signed PDF by mail; sending then asks for its reference.") var eservice: String?

        func run() async throws {
            try await Admin.withDirectory { directory, _ in
                let id = try await directory.createAuthority(key: key, name: name, recipientEmail: email, subjectTemplate: subject,
                                                              postalAddress: postalAddress, county: county, eserviceName: eservice)
                print("Authority \(key): \(id)")
            }
        }
    }

    struct AddRound: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add-round", abstract: "Open a grant round of a published form.")
        @Option(help: "Key, e.g. po-redovisning-2020.") var key: String
        @Option(help: "Title shown to users.") var title: String
        @Option(help: "Form id, e.g. po-redovisning-2020 (a file in forms/).") var form: String
        @Option(help: "Authority key.") var authority: String
        @Option(help: "Period, e.g. 2020-01-01..2020-12-31.") var period: String
        @Option(help: "Deadline, e.g. 2021-01-15.") var deadline: String
        @Option(help: "Signatures required, 1 or 2 (chef then chair).") var signatures: Int = 1
        @Option(help: "The grant's name as the authority writes it (subject lines, {grant.name}); default the title.") var grantName: String = ""
        @Option(help: "For an application round: the key of the report-back round its authority's decision fills.") var reportBack: String?

        func run() async throws {
            let bounds = period.components(separatedBy: "..")
            guard bounds.count == 2, let start = LocalDate(iso: bounds[0]), let end = LocalDate(iso: bounds[1]) else {
                throw ValidationError("The period is written 2020-01-01..2020-12-31.")
            }
            guard let due = LocalDate(iso: deadline) else { throw ValidationError("The deadline is a date such as 2021-01-15.") }
            try await Admin.withDirectory { directory, catalog in
                let id = try await directory.createRound(.init(key: key, title: title, formID: form, authorityKey: authority, periodStart: start, periodEnd: end, deadline: due, requiredSignatures: signatures,
                                                                grantName: grantName, reportBackKey: reportBack), catalog: catalog)
                print("Round \(key): \(id)")
            }
        }
    }

    struct SetPrefill: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set-prefill", abstract: "Set what a round gives an organisation (granted amount, posts).")
        @Option(help: "Round key.") var round: String
        @Option(help: "The organisation's name.") var organisation: String
        @Option(help: "Values as JSON, e.g. '{\"beviljat\": 1127386, \"beviljade_arsanstallningar\": 2.80}'.") var inputs: String

        func run() async throws {
            guard let object = (try? JSONValue.parse(inputs))?.objectValue else {
                throw ValidationError("The values must be a JSON object.")
            }
            try await Admin.withDirectory { directory, catalog in
                guard let roundID = try await directory.roundID(key: round) else { throw ValidationError("No round \(round).") }
                let organisation = try await Admin.organisation(organisation, in: directory)
                try await directory.setPrefill(roundID: roundID, organisationID: organisation.id, inputs: object, catalog: catalog)
                print("Round \(round) for \(organisation.name): \(JSONValue.object(object).serialized())")
            }
        }
    }

    struct SetOIDC: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-oidc",
            abstract: "Let an organisation's people sign in through its OpenID Provider (Entra ID, ADFS, a Sweden Connect broker …).",
            discussion: "The client secret is never stored: name where it is, env:NAME or file:/path. The redirect URI to register at the provider is BLANKETT_PUBLIC_URL/login/oidc/callback."
        )
        @Option(help: "The organisation's name.") var organisation: String
        @Option(help: "The issuer, e.g. https://login.microsoftonline.com/<tenant>/v2.0.") var issuer: String
        @Option(name: .customLong("client-id"), help: "The client (application) id registered at the provider.") var clientID: String
        @Option(name: .customLong("client-secret-from"), help: "Where the client secret is: env:NAME or file:/path.") var clientSecretFrom: String
        @Option(name: .customLong("display-name"), help: "The sign-in button's name, e.g. \"Botkyrka kommun\".") var displayName: String?
        @Option(name: .customLong("identity-claim"), help: "The claim holding the person's e-mail address (email, upn, preferred_username).") var identityClaim = "email"
        @Option(name: .customLong("allowed-domain"), help: "A domain the address may have (repeat for several); none: any.") var allowedDomains: [String] = []
        @Option(name: .customLong("signing-acr"), help: "An assurance level (acr) a signature needs (repeat for several).") var signingACR: [String] = []
        @Flag(name: .customLong("no-passwords"), help: "The organisation's people may no longer sign in with a Blankett password.") var noPasswords = false
        @Flag(help: "Remove the organisation's provider (passwords only again).") var remove = false

        func run() async throws {
            try await Admin.withDirectory { directory, _ in
                let found = try await Admin.organisation(organisation, in: directory)
                if remove {
                    let removed = try await directory.removeIdentityProvider(of: found.id)
                    print(removed ? "Removed the identity provider of \(found.name)." : "\(found.name) had no identity provider.")
                    return
                }
                try await directory.setIdentityProvider(IdentityProviderSettings(
                    organisationID: found.id, displayName: displayName ?? found.name, issuer: issuer, clientID: clientID,
                    clientSecretFrom: clientSecretFrom, identityClaim: identityClaim, allowedDomains: allowedDomains.map { $0.lowercased() },
                    signingACRValues: signingACR, passwordsAllowed: !noPasswords))
                print("\(found.name) signs in through \(issuer).")
            }
        }
    }
}
