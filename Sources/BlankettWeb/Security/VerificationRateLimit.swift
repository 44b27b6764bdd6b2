import Foundation
import Synchronization

/// How often one client may look up a signature code at `/verify`: a
/// recipient checks a few codes; someone trying codes is slowed to a crawl.
/// Kept in the process (the page needs no database to refuse): with several
/// instances each holds its own count, which still bounds guessing. Memory
/// is bounded: expired entries go once the table grows past `maximumClients`.
public final class VerificationRateLimit: Sendable {
    public let limit: Int
    public let window: Duration
    let maximumClients: Int
    private let counts = Mutex<[String: (start: ContinuousClock.Instant, count: Int)]>([:])

    public init(limit: Int = 30, window: Duration = .seconds(600), maximumClients: Int = 10_000) {
        self.limit = limit
        self.window = window
        self.maximumClients = maximumClients
    }

    /// Counts a lookup by `client`; false when it is over the limit.
    public func admit(_ client: String?, now: ContinuousClock.Instant = .now) -> Bool {
        let key = client ?? "unknown"
        return counts.withLock { counts in
            if counts.count >= maximumClients {
                counts = counts.filter { now - $0.value.start < window }
                if counts.count >= maximumClients { counts.removeAll() }
            }
            var entry = counts[key] ?? (now, 0)
            if now - entry.start >= window { entry = (now, 0) }
            entry.count += 1
            counts[key] = entry
            return entry.count <= limit
        }
    }
}
