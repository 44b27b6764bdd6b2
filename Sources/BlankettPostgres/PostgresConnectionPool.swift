import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// A bounded pool of libpq connections, run as a ServiceLifecycle `Service`.
///
/// Callers hand in a synchronous closure; it runs on the pool's own
/// `NIOThreadPool` (one thread per connection), so no blocking libpq call ever
/// runs on Swift's cooperative pool or a NIO event loop. A connection found
/// broken — by a failed call, or by the health check before reuse — is closed
/// and replaced, so the pool outlives a PostgreSQL restart.
public final class PostgresConnectionPool: Service, Sendable {
    public let configuration: PostgresConfiguration
    private let logger: Logger
    private let threadPool: NIOThreadPool
    private let state = Mutex(State())

    private struct State {
        var idle: [PostgresConnection] = []
        /// Connections open or being opened, idle or leased.
        var openCount = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var isClosed = false
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Slot, any Error>
    }

    /// What an acquirer gets: a connection to reuse or the right to open one.
    private enum Slot: @unchecked Sendable {
        case existing(PostgresConnection)
        case new
    }

    public init(configuration: PostgresConfiguration, logger: Logger = Logger(label: "blankett.postgres")) {
        self.configuration = configuration
        self.logger = logger
        threadPool = NIOThreadPool(numberOfThreads: max(1, configuration.maximumConnections))
        threadPool.start()
    }

    /// Waits for graceful shutdown, then closes every connection.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Closes idle connections now and leased ones when they come back; fails
    /// every waiter. Safe to call more than once.
    public func close() async {
        let (idle, waiters) = state.withLock { state -> ([PostgresConnection], [Waiter]) in
            guard !state.isClosed else { return ([], []) }
            state.isClosed = true
            defer {
                state.openCount -= state.idle.count
                state.idle = []
                state.waiters = []
            }
            return (state.idle, state.waiters)
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(kind: .poolClosed, message: "the connection pool is shut down"))
        }
        if !idle.isEmpty {
            _ = try? await threadPool.runIfActive { idle.forEach { $0.close() } }
        }
        try? await threadPool.shutdownGracefully()
    }

    // MARK: Using connections

    /// Lends a connection to `body`, on the pool's thread pool.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let slot = try await acquire()
        let outcome: Result<T, any Error>
        do {
            outcome = try await threadPool.runIfActive { self.run(body, in: slot) }
        } catch {
            release(nil)
            throw PostgresError(kind: .poolClosed, message: "the connection pool is shut down")
        }
        return try outcome.get()
    }

    /// Runs `body` inside BEGIN … COMMIT; any thrown error rolls back.
    public func withTransaction<T: Sendable>(
        isolation: PostgresConnection.IsolationLevel = .readCommitted,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try connection.transaction(isolation: isolation) { try body(connection) }
        }
    }

    /// One statement on any connection.
    @discardableResult
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { connection in try connection.query(query) }
    }

    /// Connections open now (idle or leased), for health reporting and tests.
    public var openConnectionCount: Int {
        state.withLock { $0.openCount }
    }

    // MARK: Internals

    /// Runs on a thread-pool thread; always releases the slot. A pooled
    /// connection whose server went away while it was idle (a restart) can
    /// look healthy until used: when its first statement finds it dead and
    /// was a read or a BEGIN, nothing happened, and `body` runs once more on
    /// a fresh connection instead of failing the request.
    private func run<T>(_ body: (PostgresConnection) throws -> T, in slot: Slot) -> Result<T, any Error> {
        var connection: PostgresConnection
        do {
            connection = try connect(reusing: slot)
        } catch {
            release(nil)
            return .failure(error)
        }
        connection.beginLease()
        var result = Result { try body(connection) }
        if case .existing = slot, case .failure(let error) = result, connection.diedBeforeAnyWork(error) {
            logger.info("Retrying on a fresh PostgreSQL connection; the pooled one had lost its server")
            connection.close()
            do {
                connection = try PostgresConnection(configuration: configuration)
            } catch {
                release(nil)
                return .failure(error)
            }
            connection.beginLease()
            result = Result { try body(connection) }
        }
        release(connection)
        return result
    }

    private func connect(reusing slot: Slot) throws(PostgresError) -> PostgresConnection {
        if case .existing(let connection) = slot {
            if connection.isHealthy { return connection }
            logger.info("Replacing a broken PostgreSQL connection")
            connection.close()
        }
        return try PostgresConnection(configuration: configuration)
    }

    private func acquire() async throws -> Slot {
        enum Decision {
            case ready(Slot)
            case wait(Int)
            case closed
        }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Slot, any Error>) in
            let decision = state.withLock { state -> Decision in
                if state.isClosed { return .closed }
                if let connection = state.idle.popLast() { return .ready(.existing(connection)) }
                if state.openCount < configuration.maximumConnections {
                    state.openCount += 1
                    return .ready(.new)
                }
                state.nextWaiterID += 1
                state.waiters.append(Waiter(id: state.nextWaiterID, continuation: continuation))
                return .wait(state.nextWaiterID)
            }
            switch decision {
            case .ready(let slot):
                continuation.resume(returning: slot)
            case .closed:
                continuation.resume(throwing: PostgresError(kind: .poolClosed, message: "the connection pool is shut down"))
            case .wait(let id):
                let timeout = configuration.acquireTimeoutSeconds
                Task { [weak self] in
                    try? await Task.sleep(for: .seconds(timeout))
                    self?.expireWaiter(id)
                }
            }
        }
    }

    private func expireWaiter(_ id: Int) {
        let waiter = state.withLock { state -> Waiter? in
            guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: index)
        }
        waiter?.continuation.resume(throwing: PostgresError(
            kind: .acquireTimeout,
            message: "no database connection became free within \(configuration.acquireTimeoutSeconds) s"
        ))
    }

    /// Gives back a leased place: a healthy connection goes to the next waiter or back to
    /// idle; a broken one (or a failed open) frees its place for a new one.
    private func release(_ connection: PostgresConnection?) {
        let healthy = connection?.isHealthy ?? false
        enum Action {
            case none
            case handOver(Waiter, Slot)
            case closeConnection
        }
        let action = state.withLock { state -> Action in
            if state.isClosed {
                state.openCount -= 1
                return connection == nil ? .none : .closeConnection
            }
            if let waiter = state.waiters.first {
                state.waiters.removeFirst()
                if healthy, let connection { return .handOver(waiter, .existing(connection)) }
                // The place stays counted: the waiter opens a fresh connection.
                return .handOver(waiter, .new)
            }
            if healthy, let connection {
                state.idle.append(connection)
                return .none
            }
            state.openCount -= 1
            return connection == nil ? .none : .closeConnection
        }
        switch action {
        case .none:
            break
        case .closeConnection:
            connection?.close()
        case .handOver(let waiter, let slot):
            if case .new = slot, !healthy { connection?.close() }
            waiter.continuation.resume(returning: slot)
        }
    }
}
