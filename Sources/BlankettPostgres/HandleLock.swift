import Synchronization

/// A mutex that owns no value, for guarding a C handle. Wraps `Mutex<Void>`
/// so call sites read `lock.withLock { … }`.
final class HandleLock: Sendable {
    private let mutex = Mutex<Void>(())

    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        try mutex.withLock { (_: inout Void) throws(E) -> T in try body() }
    }
}
