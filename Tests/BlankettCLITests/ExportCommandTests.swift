import BlankettCore
import BlankettPostgres
import BlankettTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `blankett export`: the archive set of the demo's sent ansökan, checked with
/// `sha256sum -c`, `pdfsig`, Python's e-mail parser and the manifest itself.
@Suite struct ExportCommandTests {
    @Test func aSentCaseIsExportedAsAVerifiableArchiveSet() async throws {
        let url = try await TestCluster.freshDatabase()
        let work = try BlankettProcess.temporaryFolder().path
        let environment = ["DATABASE_URL": url, "BLANKETT_SIGNING_KEY_FILE": work + "/signing-key"]
        func blankett(_ arguments: String...) async throws -> BlankettProcess.Run {
            try await BlankettProcess.run(arguments, environment: environment)
        }
        #expect(try await blankett("migrate").status == 0)
        #expect(try await blankett("keys", "generate").status == 0)
        let demo = try await blankett("demo")
        #expect(demo.status == 0, "\(demo.output)")

        let pool = TestCluster.pool(url, size: 1)
        let sent = try await pool.query("SELECT id::text FROM cases WHERE state = 'received' ORDER BY created_at LIMIT 1").single().decode(CaseID.self, at: 0)
        let draft = try await pool.query("SELECT id::text FROM cases WHERE state = 'draft' ORDER BY created_at LIMIT 1").single().decode(CaseID.self, at: 0)
        await pool.close()

        let folder = work + "/arkiv"
        let export = try await blankett("export", sent.uuid, folder)
        #expect(export.status == 0 && export.output.contains("sha256sum -c SHA256SUMS"), "\(export.output)")
        #expect(system("cd '\(folder)' && sha256sum --quiet -c SHA256SUMS") == 0, "every file matches its sum")

        let manifest = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/manifest.json"))))
        #expect(manifest["format"]?.stringValue == "blankett-arkiv/1")
        #expect(manifest["case"]?["organisation"]?.stringValue == "Botkyrka kommun")
        #expect(manifest["case"]?["id"]?.stringValue == sent.uuid)
        let paths = (manifest["files"]?.arrayValue ?? []).compactMap { $0["path"]?.stringValue }
        #expect(paths.contains("handelser.json") && paths.contains("underskrifter.json"), "\(paths)")
        let pdfs = paths.filter { $0.hasSuffix(".pdf") }
        let mails = paths.filter { $0.hasPrefix("mail/") && $0.hasSuffix(".eml") }
        try #require(pdfs.count == 1 && mails.count == 1, "the ansökan goes alone, without a decision: \(paths)")

        // The PDF is signed in itself, and is byte for byte the attachment of the message as sent.
        let pdf = folder + "/" + pdfs[0]
        #expect(system("pdfsig '\(pdf)' > '\(pdf).sig' 2>&1") == 0)
        let report = try String(contentsOfFile: pdf + ".sig", encoding: .utf8)
        #expect(report.contains("Signature is Valid.") && report.contains("Total document signed"), "\(report)")
        try FileManager.default.removeItem(atPath: pdf + ".sig")
        let mail = try ParsedMail.parse(file: folder + "/" + mails[0])
        let pdfBytes = Array(try Data(contentsOf: URL(fileURLWithPath: pdf)))
        #expect(mail.attachments.map(\.sha256) == [Digest.sha256Hex(pdfBytes)])

        // Each sealed snapshot has the digest its signature names (the one printed in the PDF).
        let signatures = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/underskrifter.json"))))
        let first = try #require(signatures.arrayValue?.first)
        let snapshot = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + (first["snapshot"]?.stringValue ?? ""))))
        #expect(Digest.sha256Hex(snapshot) == first["snapshotSHA256"]?.stringValue)
        #expect(first["signer"]?.stringValue == "Anders Berg")
        let events = try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/handelser.json"))))
        let kinds = (events.arrayValue ?? []).compactMap { $0["kind"]?.stringValue }
        #expect(kinds.first == "created" && kinds.contains("sign") && kinds.contains("send"), "\(kinds)")

        // A changed file no longer matches.
        let handle = try #require(FileHandle(forUpdatingAtPath: folder + "/handelser.json"))
        try handle.seek(toOffset: 3)
        handle.write(Data("X".utf8))
        try handle.close()
        #expect(system("cd '\(folder)' && sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1") != 0)

        // Refusals: a folder in use, a case not sent, a case that does not exist.
        let again = try await blankett("export", sent.uuid, folder)
        #expect(again.status != 0 && again.output.contains("not empty"), "\(again.output)")
        let unsent = try await blankett("export", draft.uuid, work + "/utkast")
        #expect(unsent.status != 0 && unsent.output.contains("has not been sent"), "\(unsent.output)")
        let unknown = try await blankett("export", "00000000-0000-0000-0000-000000000000", work + "/okand")
        #expect(unknown.status != 0 && unknown.output.contains("finns inte"), "\(unknown.output)")
    }
}
