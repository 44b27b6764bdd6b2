import BlankettPostgres
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Shared by the test targets (a library, not a test target, so each can import it).
/// The throwaway cluster `scripts/test` starts. Each test gets a database of
/// its own, so tests run in parallel without seeing each other's rows.
public enum TestCluster {
    public static var baseURL: String {
        get throws {
            guard let url = ProcessInfo.processInfo.environment["BLANKETT_TEST_DATABASE_URL"] else {
                throw TestSetupError("BLANKETT_TEST_DATABASE_URL is not set: run the suite with scripts/test")
            }
            return url
        }
    }

    /// Creates an empty database and returns its URL.
    public static func freshDatabase() async throws -> String {
        let base = try baseURL
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let admin = PostgresConnectionPool(configuration: PostgresConfiguration(connectionString: base, maximumConnections: 1))
        try await admin.query("CREATE DATABASE \(unsafeSQL: name)")
        await admin.close()
        guard let slash = base.lastIndex(of: "/") else { throw TestSetupError("unexpected test database URL") }
        return base[..<slash] + "/" + name
    }

    public static func pool(_ url: String, size: Int = 4, configure: (inout PostgresConfiguration) -> Void = { _ in }) -> PostgresConnectionPool {
        var configuration = PostgresConfiguration(connectionString: url, maximumConnections: size)
        configure(&configuration)
        return PostgresConnectionPool(configuration: configuration)
    }

    /// Runs `scripts/pg-cluster` with the given arguments; returns its output.
    /// Through `system(3)`, not Foundation's `Process`: the PostgreSQL server the
    /// script starts inherits descriptors that keep `Process` waiting forever.
    @discardableResult
    public static func clusterScript(_ arguments: String...) throws -> String {
        let root = ProcessInfo.processInfo.environment["BLANKETT_ROOT"] ?? FileManager.default.currentDirectoryPath
        let outputPath = try workFolder + "/pg-cluster-\(UUID().uuidString).out"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let quoted = ([root + "/scripts/pg-cluster"] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        let status = system("\(quoted) >'\(outputPath)' 2>&1 </dev/null")
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else {
            throw TestSetupError("pg-cluster \(arguments.joined(separator: " ")) failed (\(status)): \(output)")
        }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public static var workFolder: String {
        get throws {
            guard let work = ProcessInfo.processInfo.environment["BLANKETT_TEST_WORK"] else {
                throw TestSetupError("BLANKETT_TEST_WORK is not set: run the suite with scripts/test")
            }
            return work
        }
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension TestCluster {
    /// A fresh database with every migration of the repository's `sql/` applied.
    public static func migratedPool(size: Int = 4) async throws -> PostgresConnectionPool {
        let pool = pool(try await freshDatabase(), size: size)
        _ = try await Migrator(migrations: try Migration.load(directory: repositoryRoot + "/sql"), pool: pool).migrate()
        return pool
    }

    /// The checkout: `BLANKETT_ROOT`, set by `scripts/test`.
    public static var repositoryRoot: String {
        ProcessInfo.processInfo.environment["BLANKETT_ROOT"] ?? FileManager.default.currentDirectoryPath
    }
}
