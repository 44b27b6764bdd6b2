import BlankettPostgres
import BlankettTestSupport
import Foundation
import Synchronization
import Testing

/// Records which connections are in use, to catch one being used twice at once.
final class UsageTracker: Sendable {
    let inUse = Mutex(Set<ObjectIdentifier>())
    let overlaps = Atomic<Int>(0)
    let backends = Mutex(Set<Int32>())
}

@Suite struct ConnectionPoolTests {
    @Test func twoHundredConcurrentQueriesShareEightConnectionsOneUserAtATime() async throws {
        // What this test proves is sharing, not speed: in the full parallel suite the
        // two cooperative threads are busy with other tests (password hashing, mail,
        // PDFs) for seconds, so a waiter may wait longer than the default 10 s.
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 8) { $0.acquireTimeoutSeconds = 120 }
        let tracker = UsageTracker()

        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for number in 0..<200 {
                group.addTask {
                    try await pool.withConnection { connection in
                        let id = ObjectIdentifier(connection)
                        if !tracker.inUse.withLock({ $0.insert(id).inserted }) { tracker.overlaps.add(1, ordering: .relaxed) }
                        defer { _ = tracker.inUse.withLock { $0.remove(id) } }
                        tracker.backends.withLock { _ = $0.insert(connection.backendPID) }
                        return try connection.query("SELECT \(number)::int + 0 * length(pg_sleep(0.002)::text)")
                            .single().decode(Int.self, at: 0)
                    }
                }
            }
            var values: [Int] = []
            for try await value in group { values.append(value) }
            return values
        }

        #expect(results.sorted() == Array(0..<200))
        #expect(tracker.overlaps.load(ordering: .relaxed) == 0)
        #expect(tracker.backends.withLock { $0.count } <= 8)
        #expect(pool.openConnectionCount <= 8)
        await pool.close()
    }

    @Test func callersWaitWhenEveryConnectionIsBusyAndTimeOutClearly() async throws {
        let url = try await TestCluster.freshDatabase()
        let pool = TestCluster.pool(url, size: 1) { $0.acquireTimeoutSeconds = 1 }
        let holder = Atomic<Int32>(0)
        // Holds the only connection until cancelled below, however loaded the machine is.
        async let slow: Void = pool.withConnection { connection in
            holder.store(connection.backendPID, ordering: .releasing)
            _ = try connection.query("SELECT pg_sleep(60)")
        }
        while holder.load(ordering: .acquiring) == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error?.kind == .acquireTimeout)
        let admin = TestCluster.pool(url, size: 1)
        try await admin.query("SELECT pg_cancel_backend(\(Int(holder.load(ordering: .acquiring)))::integer)")
        await admin.close()
        let cancelled: PostgresError?
        do { try await slow; cancelled = nil } catch { cancelled = error as? PostgresError }
        #expect(cancelled?.sqlState == "57014")
        #expect(try await pool.query("SELECT 2").single().decode(Int.self, at: 0) == 2)
        await pool.close()
    }

    @Test func statementTimeoutCancelsALongQuery() async throws {
        // The limit is generous because the check after it runs under the same
        // limit: with the whole suite starting at once, even SELECT 3 waited
        // more than 100 ms for a CPU in CI.
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 1) { $0.statementTimeoutMilliseconds = 2_000 }
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT pg_sleep(60)") }
        #expect(error?.sqlState == "57014")
        // The connection is still usable afterwards.
        #expect(try await pool.query("SELECT 3").single().decode(Int.self, at: 0) == 3)
        await pool.close()
    }

    @Test func aClosedPoolRefusesWork() async throws {
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 2)
        try await pool.query("SELECT 1")
        await pool.close()
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error?.kind == .poolClosed)
    }

    @Test func connectionFailureIsAClearErrorNotAHang() async throws {
        // Nothing listens on port 1.
        let pool = TestCluster.pool("postgresql://blankett@127.0.0.1:1/blankett", size: 2)
        let started = ContinuousClock.now
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error?.kind == .connectionFailed)
        // A refused connection fails at once; the bound only tells a hang from a
        // loaded machine (the suite runs many database tests in parallel).
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(pool.openConnectionCount == 0)
        await pool.close()
    }
}
