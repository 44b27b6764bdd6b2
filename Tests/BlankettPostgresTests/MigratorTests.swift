import BlankettPostgres
import BlankettTestSupport
import Foundation
import Testing

@Suite struct MigratorTests {
    /// A folder of migration files; the second one is slow, to widen race windows.
    func migrationFolder() throws -> String {
        let folder = try TestCluster.workFolder + "/migrations-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "CREATE TABLE applied_log (file text NOT NULL);\nINSERT INTO applied_log VALUES ('0001');\n"
            .write(toFile: folder + "/0001_first.sql", atomically: true, encoding: .utf8)
        try "SELECT pg_sleep(0.3);\nCREATE TABLE grants (name text);\nINSERT INTO applied_log VALUES ('0002');\n"
            .write(toFile: folder + "/0002_second.sql", atomically: true, encoding: .utf8)
        return folder
    }

    @Test func freshApplyThenReapplyIsANoOp() async throws {
        let folder = try migrationFolder()
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 2)
        let migrator = Migrator(migrations: try Migration.load(directory: folder), pool: pool)

        #expect(try await !migrator.status().isCurrent)
        let first = try await migrator.migrate()
        #expect(first.applied == ["0001_first.sql", "0002_second.sql"])
        let second = try await migrator.migrate()
        #expect(second.applied.isEmpty && second.alreadyApplied == 2)
        #expect(try await migrator.status().isCurrent)
        #expect(try await pool.query("SELECT count(*) FROM applied_log").single().decode(Int.self, at: 0) == 2)
        await pool.close()
    }

    @Test func aTamperedAppliedFileIsRefusedAndNothingElseRuns() async throws {
        let folder = try migrationFolder()
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 2)
        try await Migrator(migrations: try Migration.load(directory: folder), pool: pool).migrate()

        try "CREATE TABLE applied_log (file text);\n-- edited\n".write(toFile: folder + "/0001_first.sql", atomically: true, encoding: .utf8)
        try "CREATE TABLE third (id int);\n".write(toFile: folder + "/0003_third.sql", atomically: true, encoding: .utf8)
        let migrator = Migrator(migrations: try Migration.load(directory: folder), pool: pool)
        let error = await #expect(throws: MigrationError.self) { try await migrator.migrate() }
        #expect(error?.code == .changedAfterApply)
        #expect(error?.message.contains("0001_first.sql") == true)
        #expect(try await pool.query("SELECT to_regclass('third') IS NULL").single().decode(Bool.self, at: 0))
        let status = try await migrator.status()
        #expect(status.changed == ["0001_first.sql"] && status.pending == ["0003_third.sql"])
        await pool.close()
    }

    @Test func aFailingMigrationLeavesNoTraceAndIsNotRecorded() async throws {
        let folder = try migrationFolder()
        try "CREATE TABLE half (id int);\nSELECT * FROM no_such_table;\n".write(toFile: folder + "/0003_broken.sql", atomically: true, encoding: .utf8)
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 2)
        let migrator = Migrator(migrations: try Migration.load(directory: folder), pool: pool)
        let error = await #expect(throws: PostgresError.self) { try await migrator.migrate() }
        #expect(error?.sqlState == "42P01")
        #expect(try await pool.query("SELECT to_regclass('half') IS NULL").single().decode(Bool.self, at: 0))
        #expect(try await migrator.status().pending == ["0003_broken.sql"])
        await pool.close()
    }

    @Test func twoConcurrentMigratorsApplyEachFileOnce() async throws {
        let folder = try migrationFolder()
        let url = try await TestCluster.freshDatabase()
        let migrations = try Migration.load(directory: folder)
        let pools = (0..<3).map { _ in TestCluster.pool(url, size: 1) }
        let reports = try await withThrowingTaskGroup(of: Migrator.Report.self) { group in
            for pool in pools {
                group.addTask { try await Migrator(migrations: migrations, pool: pool).migrate() }
            }
            var reports: [Migrator.Report] = []
            for try await report in group { reports.append(report) }
            return reports
        }
        #expect(reports.flatMap(\.applied).sorted() == ["0001_first.sql", "0002_second.sql"])
        let log = try await pools[0].query("SELECT file FROM applied_log ORDER BY file").map { try $0.decode(String.self, at: 0) }
        #expect(log == ["0001", "0002"])
        for pool in pools { await pool.close() }
    }

    @Test func misnamedFilesAreRejected() throws {
        let folder = try migrationFolder()
        try "SELECT 1;".write(toFile: folder + "/3_bad.sql", atomically: true, encoding: .utf8)
        let error = #expect(throws: MigrationError.self) { try Migration.load(directory: folder) }
        #expect(error?.code == .badFileName)
    }

    @Test func theRepositoryMigrationsApplyCleanly() async throws {
        let root = ProcessInfo.processInfo.environment["BLANKETT_ROOT"] ?? FileManager.default.currentDirectoryPath
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 2)
        let migrator = Migrator(migrations: try Migration.load(directory: root + "/sql"), pool: pool)
        let report = try await migrator.migrate()
        #expect(!report.applied.isEmpty)
        #expect(try await migrator.status().isCurrent)
        await pool.close()
    }
}
