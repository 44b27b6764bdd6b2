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
}
