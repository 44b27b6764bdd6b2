import Foundation

/// One numbered SQL file from `sql/`, e.g. `0001_initial.sql`.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let fileName: String
    public let sql: String

    public init(version: Int, name: String, fileName: String, sql: String) {
        self.version = version
        self.name = name
        self.fileName = fileName
        self.sql = sql
    }

    /// Reads every `NNNN_name.sql` in `directory`, ordered by number. Other
    /// files are an error, so a misnamed migration is never silently skipped.
    public static func load(directory: String) throws(MigrationError) -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw MigrationError(code: .unreadableDirectory, message: "cannot read migrations folder \(directory)")
        }
        var migrations: [Migration] = []
        for fileName in names.sorted() where !fileName.hasPrefix(".") {
            guard fileName.hasSuffix(".sql"),
                  let underscore = fileName.firstIndex(of: "_"),
                  let version = Int(fileName[..<underscore]),
                  fileName[..<underscore].count == 4 else {
                throw MigrationError(code: .badFileName, message: "\(directory)/\(fileName): migration files are named NNNN_name.sql")
            }
            guard let data = FileManager.default.contents(atPath: "\(directory)/\(fileName)"),
                  let sql = String(data: data, encoding: .utf8) else {
                throw MigrationError(code: .unreadableDirectory, message: "\(directory)/\(fileName): cannot read as UTF-8")
            }
            if let clash = migrations.first(where: { $0.version == version }) {
                throw MigrationError(code: .duplicateVersion, message: "\(fileName) and \(clash.fileName) share version \(version)")
            }
            let name = String(fileName[fileName.index(after: underscore)...].dropLast(4))
            migrations.append(Migration(version: version, name: name, fileName: fileName, sql: sql))
        }
        return migrations
    }
}

public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unreadableDirectory = "unreadable-directory"
        case badFileName = "bad-file-name"
        case duplicateVersion = "duplicate-version"
        /// A file that was applied has been edited since.
        case changedAfterApply = "changed-after-apply"
    }

    public let code: Code
    public let message: String

    public var description: String { message }
}
