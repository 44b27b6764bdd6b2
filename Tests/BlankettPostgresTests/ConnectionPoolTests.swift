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

    @Test func aStatementIsPreparedOncePerConnectionAndOutlivesARollback() async throws {
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 1)
        for value in 1...3 {
            #expect(try await pool.query("SELECT \(value)::int + 1").single().decode(Int.self, at: 0) == value + 1)
        }
        struct Rollback: Error {}
        _ = try? await pool.withTransaction { connection in
            try connection.query("SELECT \(7)::int * 2")
            throw Rollback()
        }
        #expect(try await pool.query("SELECT \(8)::int * 2").single().decode(Int.self, at: 0) == 16, "prepared inside a rolled-back transaction, still there")
        let prepared = try await pool.query("SELECT count(*)::int FROM pg_prepared_statements").single().decode(Int.self, at: 0)
        #expect(prepared == 5, "the two statements above, BEGIN, ROLLBACK and this one, each once")
        #expect(try await pool.withConnection { $0.preparedStatementCount } == 5)
        // A refused statement is not remembered; the next one still works.
        await #expect(throws: PostgresError.self) { try await pool.query("SELEC 1") }
        #expect(try await pool.query("SELECT \(1)::int").single().decode(Int.self, at: 0) == 1)
        // A script may change what a statement reads: prepared anew afterwards.
        try await pool.withConnection { try $0.executeScript(unsafeSQL: "CREATE TABLE t (a int); INSERT INTO t VALUES (1)") }
        #expect(try await pool.query("SELECT * FROM t WHERE a = \(1)").count == 1)
        try await pool.withConnection { try $0.executeScript(unsafeSQL: "ALTER TABLE t ADD COLUMN b int") }
        #expect(try await pool.query("SELECT * FROM t WHERE a = \(1)").columns == ["a", "b"])
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
