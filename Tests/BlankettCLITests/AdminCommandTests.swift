import BlankettCore
import BlankettPostgres
import BlankettTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Setting up and verifying from the command line, against a database of its own.
@Suite struct AdminCommandTests {
    @Test func apiTokensAreIssuedWithAnExpiryListedAndRevoked() async throws {
        let url = try await TestCluster.freshDatabase()
        let environment = ["DATABASE_URL": url]
        func blankett(_ arguments: String..., input: String? = nil) async throws -> BlankettProcess.Run {
            try await BlankettProcess.run(arguments, environment: environment, input: input)
        }
        #expect(try await blankett("migrate").status == 0)
        #expect(try await blankett("admin", "add-user", "--email", "chef@salem.example", "--name", "Chef Salem", input: "ett långt lösenord\n").status == 0)
        let tooLong = try await blankett("admin", "add-token", "--email", "chef@salem.example", "--name", "ekonomi", "--days", "5000")
        #expect(tooLong.status != 0 && tooLong.output.contains("730"), "\(tooLong.output)")
        let issued = try await blankett("admin", "add-token", "--email", "chef@salem.example", "--name", "ekonomi", "--days", "30")
        #expect(issued.status == 0 && issued.output.contains("blk_") && issued.output.contains("expires"), "\(issued.output)")
        let listed = try await blankett("admin", "list-tokens")
        let row = try #require(listed.output.split(separator: "\n").first { $0.contains("chef@salem.example") }, "\(listed.output)")
        #expect(row.contains("ekonomi") && row.contains("never") && row.hasSuffix("active") && !row.contains("blk_"), "\(row)")
        let id = String(row.split(separator: "\t")[0])
        #expect(try await blankett("admin", "revoke-token", "--id", id).status == 0)
        let again = try await blankett("admin", "revoke-token", "--id", id)
        #expect(again.status != 0 && again.output.contains("No unrevoked token"), "\(again.output)")
        #expect(try await blankett("admin", "list-tokens", "--email", "chef@salem.example").output.contains("revoked"))
    }

    @Test func setUpThenSignInTheServiceAndVerifyFromTheCommandLine() async throws {
        let url = try await TestCluster.freshDatabase()
        let keyFile = try BlankettProcess.temporaryFolder().path + "/signing-key"
        let environment = ["DATABASE_URL": url, "BLANKETT_SIGNING_KEY_FILE": keyFile]
        func blankett(_ arguments: String..., input: String? = nil) async throws -> BlankettProcess.Run {
            try await BlankettProcess.run(arguments, environment: environment, input: input)
        }

        #expect(try await blankett("migrate").status == 0)
        let noKey = try await blankett("verify", "00000000-0000-0000-0000-000000000000")
        #expect(noKey.status != 0 && noKey.output.contains("blankett keys generate"), "\(noKey.output)")
        #expect(try await blankett("keys", "generate").status == 0)
        // The development PDF seal beside the key: a certificate that chains to the authority, and its key.
        let seal = (keyFile as NSString).deletingLastPathComponent + "/seal"
        #expect(system("openssl verify -CAfile '\(seal)/authority.pem' '\(seal)/certificates.pem' >/dev/null 2>&1") == 0)
        #expect(system("openssl pkey -in '\(seal)/key.pem' -noout 2>/dev/null") == 0)
        let again = try await blankett("keys", "generate")
        #expect(again.status != 0 && again.output.contains("exists"), "\(again.output)")
        #expect(try await blankett("keys", "generate", "--if-missing").status == 0)

        let demo = try await blankett("demo")
        #expect(demo.status == 0 && demo.output.contains("Demo data loaded."), "\(demo.output)")
        #expect(try await blankett("demo").output.contains("already loaded"))

        // Refusals are clear messages, not crashes.
        let badNumber = try await blankett("admin", "add-organisation", "--name", "Salems kommun", "--organisationsnummer", "212000-0101")
        #expect(badNumber.status != 0 && badNumber.output.contains("Kontrollsiffran"), "\(badNumber.output)")
        let salem = try await blankett("admin", "add-organisation", "--name", "Salems kommun", "--organisationsnummer", "212000-0100")
        #expect(salem.status == 0, "\(salem.output)")
        let duplicate = try await blankett("admin", "add-organisation", "--name", "Salems kommun", "--organisationsnummer", "212000-0100")
        #expect(duplicate.status != 0 && duplicate.output.contains("finns redan"), "\(duplicate.output)")
        #expect(try await blankett("admin", "add-organisation", "--name", "Salems kommun, Socialförvaltningen", "--parent", "Salems kommun").status == 0)
        #expect(try await blankett("admin", "add-namnd", "--organisation", "Salems kommun", "--name", "Socialnämnden", "--prefix", "SN").status == 0)
        let shortPassword = try await blankett("admin", "add-user", "--email", "chef@salem.example", "--name", "Chef Salem", input: "kort\n")
        #expect(shortPassword.status != 0, "\(shortPassword.output)")
        #expect(try await blankett("admin", "add-user", "--email", "chef@salem.example", "--name", "Chef Salem", "--title", "Socialchef", input: "ett långt lösenord\n").status == 0)
        let unknownRole = try await blankett("admin", "grant", "--email", "chef@salem.example", "--organisation", "Salems kommun", "--roles", "editor,boss")
        #expect(unknownRole.status != 0 && unknownRole.output.contains("boss"), "\(unknownRole.output)")
        #expect(try await blankett("admin", "grant", "--email", "chef@salem.example", "--organisation", "Salems kommun", "--roles", "editor,signatory").status == 0)
        let unknownForm = try await blankett("admin", "add-round", "--key", "x", "--title", "X", "--form", "po-ansokan-1999", "--authority", "lansstyrelsen-stockholm", "--period", "2020-01-01..2020-12-31", "--deadline", "2021-01-15")
        #expect(unknownForm.status != 0 && unknownForm.output.contains("po-ansokan-1999"), "\(unknownForm.output)")
        let badPrefill = try await blankett("admin", "set-prefill", "--round", "po-redovisning-2020", "--organisation", "Salems kommun", "--inputs", "{\"beviljat\": 1}")
        #expect(badPrefill.status != 0 && badPrefill.output.contains("beviljat_statsbidrag"), "\(badPrefill.output)")

        // The service signs a demo case; the command line verifies it.
        let pool = TestCluster.pool(url, size: 2)

        let directory = Directory(pool: pool)
        let botkyrka = try #require(try await directory.organisation(named: "Botkyrka kommun"))
        let round = try #require(try await directory.roundID(key: "po-ansokan-2021"))
        // The demo's ansökan 2021, signed by the chef with the key of BLANKETT_SIGNING_KEY_FILE and sent.
        let record = try await pool.query("""
            SELECT id::text FROM cases WHERE round_id = \(round)::uuid AND organisation_id = \(botkyrka.id)::uuid AND state = 'received'
            """).single().decode(CaseID.self, at: 0)


        let valid = try await blankett("verify", record.uuid)
        #expect(valid.status == 0 && valid.output.contains("signature 1 by Anders Berg: valid"), "\(valid.output)")

        // After a rotation the old seal verifies only while the old public key is listed as retired.
        let newKeyFile = keyFile + ".new"
        let rotated = ["DATABASE_URL": url, "BLANKETT_SIGNING_KEY_FILE": newKeyFile]
        #expect(try await BlankettProcess.run(["keys", "generate"], environment: rotated).status == 0)
        let untrusted = try await BlankettProcess.run(["verify", record.uuid], environment: rotated)
        #expect(untrusted.status == 1 && untrusted.output.contains("INVALID"), "\(untrusted.output)")
        let oldPublicKey = try #require(try await blankett("keys", "show").output.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines)
        let retired = try await BlankettProcess.run(["verify", record.uuid], environment: rotated.merging(["BLANKETT_RETIRED_PUBLIC_KEYS": oldPublicKey]) { $1 })
        #expect(retired.status == 0 && retired.output.contains("valid"), "\(retired.output)")
        let garbled = try await BlankettProcess.run(["verify", record.uuid], environment: rotated.merging(["BLANKETT_RETIRED_PUBLIC_KEYS": "not-a-key"]) { $1 })
        #expect(garbled.status != 0 && garbled.output.contains("BLANKETT_RETIRED_PUBLIC_KEYS"), "\(garbled.output)")
        try await pool.query("UPDATE cases SET answers = jsonb_set(answers, '{bankgiro}', '\"5050-1055\"') WHERE id = \(record)::uuid")
        let tampered = try await blankett("verify", record.uuid)
        #expect(tampered.status == 1 && tampered.output.contains("INVALID") && tampered.output.contains("bankgiro"), "\(tampered.output)")
        let unknown = try await blankett("verify", "00000000-0000-0000-0000-000000000000")
        #expect(unknown.status != 0 && unknown.output.contains("finns inte"), "\(unknown.output)")
        await pool.close()
    }
}
