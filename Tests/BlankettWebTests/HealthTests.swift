import BlankettPostgres
import BlankettTestSupport
import BlankettWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite struct HealthTests {
    func repositoryMigrations() throws -> [Migration] {
        let root = ProcessInfo.processInfo.environment["BLANKETT_ROOT"] ?? FileManager.default.currentDirectoryPath
        return try Migration.load(directory: root + "/sql")
    }

    func application(pool: PostgresConnectionPool, migrator: Migrator) -> some ApplicationProtocol {
        buildApplication(configuration: WebConfiguration(port: 0), pool: pool, migrator: migrator, logger: Logger(label: "test"))
    }

    @Test func healthzAndReadyzAnswerOverRealHTTPWhenMigrated() async throws {
        let pool = TestCluster.pool(try await TestCluster.freshDatabase())
        let migrator = Migrator(migrations: try repositoryMigrations(), pool: pool)
        try await migrator.migrate()
        try await application(pool: pool, migrator: migrator).test(.live) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""status":"ok""#))
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains(#""status":"ready""#))
                #expect(body.contains(#""migrations":"current""#))
            }
        }
    }

    @Test func readyzIsUnavailableWhileAMigrationIsPending() async throws {
        let pool = TestCluster.pool(try await TestCluster.freshDatabase())
        let migrations = try repositoryMigrations()
        try await Migrator(migrations: migrations, pool: pool).migrate()
        let newer = Migration(version: 9999, name: "future", fileName: "9999_future.sql", sql: "SELECT 1;")
        let migrator = Migrator(migrations: migrations + [newer], pool: pool)
        try await application(pool: pool, migrator: migrator).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("9999_future.sql"))
            }
        }
    }

    @Test func readyzIsUnavailableWithoutADatabase() async throws {
        let pool = TestCluster.pool("postgresql://blankett@127.0.0.1:1/blankett")
        let migrator = Migrator(migrations: try repositoryMigrations(), pool: pool)
        try await application(pool: pool, migrator: migrator).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains(#""status":"unavailable""#))
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}
