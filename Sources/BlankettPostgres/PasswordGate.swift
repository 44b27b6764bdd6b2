import BlankettCore
import Foundation
import NIOPosix
import Synchronization

/// Where password hashes are computed: on NIO's blocking thread pool, never
/// on Swift's cooperative pool (one PBKDF2 costs ~0.1 s of CPU, and the
/// cooperative pool has one thread per core: a few parallel sign-ins would
/// stall every other request), and at most `concurrency` at a time. Up to
/// `queueLimit` more wait their turn; beyond that `run` throws `Busy` at once
/// (the pages and the API answer 503 with Retry-After), so a flood of
/// sign-ins queues neither CPU nor memory.
public final class PasswordGate: Sendable {
    /// The gate's answer when it is full.
    public struct Busy: Error, Sendable {
        public init() {}
    }

    /// Hashes computed at once. Default: the number of cores less one (at least one), so a core is always left for other requests.
    public let concurrency: Int
    /// Hashes that may wait. Default: 8 × `concurrency` (under a second of waiting in a release build).
    public let queueLimit: Int

    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    public init(concurrency: Int = PasswordGate.defaultConcurrency, queueLimit: Int? = nil) {
        self.concurrency = max(1, concurrency)
        self.queueLimit = queueLimit ?? 8 * max(1, concurrency)
    }

    /// Hashes waiting for a place now (for tests and metrics).
    public var waitingCount: Int { state.withLock { $0.waiting.count } }

    public static var defaultConcurrency: Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
    }

    /// Runs `work` on the blocking thread pool when a place is free.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        try await enter()
        defer { leave() }
        return try await NIOThreadPool.singleton.runIfActive(work)
    }

    private enum Entry { case go, wait, full }

    private func enter() async throws {
        let entry: Entry = state.withLock { state in
            if state.running < concurrency {
                state.running += 1
                return .go
            }
            return state.waiting.count < queueLimit ? .wait : .full
        }
        switch entry {
        case .go: return
        case .full: throw Busy()
        case .wait:
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let admitted: Bool = state.withLock { state in
                    // A place may have come free since the check above.
                    if state.running < concurrency {
                        state.running += 1
                        return true
                    }
                    state.waiting.append(continuation)
                    return false
                }
                if admitted { continuation.resume() }
            }
        }
    }

    /// Hands the place to the first waiter, if any (it keeps `running` as is).
    private func leave() {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            if state.waiting.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}

extension PasswordGate: PasswordChecking {
    /// `PasswordHash.verify` through the gate; throws `Busy` when it is full.
    public func verify(password: String, encoded: String) async throws -> Bool {
        try await run { PasswordHash.verify(password: password, encoded: encoded) }
    }
}
