import BlankettPostgres
import BlankettTestSupport
import Foundation
import Testing

@Suite struct ServerRestartTests {
    /// Uses a cluster of its own: stopping the shared one would break other tests.
    @Test func thePoolSurvivesAPostgreSQLRestart() async throws {
        let folder = try TestCluster.workFolder + "/restart-\(UUID().uuidString.prefix(8))"
        let url = try TestCluster.clusterScript("init", folder)
        defer { _ = try? TestCluster.clusterScript("stop", folder) }
        let pool = TestCluster.pool(url, size: 4) { $0.connectTimeoutSeconds = 2 }

        // Warm up all four connections.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { try await pool.query("SELECT pg_sleep(0.05)") }
            }
            try await group.waitForAll()
        }

        try TestCluster.clusterScript("stop", folder)
        for _ in 0..<6 {
            let started = ContinuousClock.now
            let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
            #expect(error?.kind == .connectionFailed || error?.kind == .connectionLost)
            #expect(ContinuousClock.now - started < .seconds(5))
        }

        try TestCluster.clusterScript("start", folder)
        for number in 0..<12 {
            #expect(try await pool.query("SELECT \(number)::int").single().decode(Int.self, at: 0) == number)
        }
        #expect(pool.openConnectionCount <= 4)
        await pool.close()
    }

    @Test func noRequestFailsAfterARestartItSleptThrough() async throws {
        let folder = try TestCluster.workFolder + "/restart-\(UUID().uuidString.prefix(8))"
        let url = try TestCluster.clusterScript("init", folder)
        defer { _ = try? TestCluster.clusterScript("stop", folder) }
        let pool = TestCluster.pool(url, size: 4) { $0.connectTimeoutSeconds = 2 }
        try await pool.query("CREATE TABLE visits (n int)")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { try await pool.query("SELECT pg_sleep(0.05)") } }
            try await group.waitForAll()
        }
        let before = try await pool.withConnection { $0.backendPID }

        // Every pooled connection now belongs to a server process that is gone.
        try TestCluster.clusterScript("stop", folder)
        try TestCluster.clusterScript("start", folder)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for number in 0..<12 {
                group.addTask { try await pool.query("SELECT \(number)::int").single().decode(Int.self, at: 0) }
            }
            var seen: [Int] = []
            for try await value in group { seen.append(value) }
            #expect(seen.sorted() == Array(0..<12), "no read failed")
        }
        // A transaction whose BEGIN met a dead connection is begun again on a fresh one, once.
        try await pool.withTransaction { try $0.query("INSERT INTO visits VALUES (\(1))") }
        #expect(try await pool.query("SELECT count(*)::int FROM visits").single().decode(Int.self, at: 0) == 1)
        #expect(try await pool.withConnection { $0.backendPID } != before)
        await pool.close()
    }
}
