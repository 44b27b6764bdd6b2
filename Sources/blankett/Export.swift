import ArgumentParser
import BlankettCore
import BlankettPostgres
import Foundation

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a sent case's archive set to a new folder.",
        discussion: """
            The signed PDF and the decision PDF as they were sent, the messages as sent (.eml), the audit trail, each \
            signature's sealed snapshot as JSON, manifest.json and SHA256SUMS (check with `sha256sum -c SHA256SUMS` in \
            the folder): the set a kommun's e-arkiv takes in.
            """
    )

    @Argument(help: "The case id (a UUID).")
    var caseID: String

    @Argument(help: "The folder to write; it must not exist yet or be empty.")
    var folder: String

    func run() async throws {
        let environment = Environment()
        guard let caseID = CaseID(caseID) else { throw ValidationError(CaseError.notFound().message) }
        let manager = FileManager.default
        if let existing = try? manager.contentsOfDirectory(atPath: folder), !existing.isEmpty {
            throw ValidationError("\(folder) is not empty; an archive set goes into a folder of its own.")
        }
        let archive: CaseArchive
        do {
            archive = try await environment.withPool { pool in
                try await pool.withTransaction { connection in
                    try PostgresCaseStore.Connection(connection: connection).archive(of: caseID)
                }
            }
        } catch let error as CaseError {
            throw ValidationError(error.message)
        }
        guard archive.documents.contains(where: { $0.kind == "form" }) else {
            throw ValidationError("Case \(caseID) has not been sent to the authority; the archive set is what was sent.")
        }
        let files = archive.files(exportedAt: Date().formatted(.iso8601))
        for file in files {
            let path = folder + "/" + file.path
            try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard manager.createFile(atPath: path, contents: Data(file.bytes), attributes: [.posixPermissions: 0o644]) else {
                throw ValidationError("Cannot write \(path).")
            }
        }
        print("Wrote \(files.count) files for case \(caseID) to \(folder). Check them with: (cd \(folder) && sha256sum -c SHA256SUMS)")
    }
}
