import Foundation

/// How a temporarily failing message is retried: exponential backoff with
/// jitter, up to a number of attempts, after which it is marked failed.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included. Default 10 (about 6 hours with the other defaults).
    public var maximumAttempts: Int
    /// The wait after the first failure. Default 60 s.
    public var initialDelay: Duration
    /// The longest wait between attempts. Default 1 hour.
    public var maximumDelay: Duration
    /// Each wait is this many times the previous. Default 2.
    public var multiplier: Double
    /// Each wait is moved by up to this fraction either way, so that messages
    /// failing together do not retry together. Default 0.2 (±20 %).
    public var jitter: Double

    public init(
        maximumAttempts: Int = 10,
        initialDelay: Duration = .seconds(60),
        maximumDelay: Duration = .seconds(3600),
        multiplier: Double = 2,
        jitter: Double = 0.2
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.multiplier = max(1, multiplier)
        self.jitter = min(max(0, jitter), 1)
    }

    /// Whether a message that has failed `attempts` times may be tried again.
    public func allowsRetry(afterAttempts attempts: Int) -> Bool {
        attempts < maximumAttempts
    }

    /// The wait after failed attempt number `attempt` (1-based); `random` is
    /// a number in 0..<1 that places it within the jitter.
    public func delay(afterAttempt attempt: Int, random: Double) -> Duration {
        let initial = Self.seconds(initialDelay)
        let maximum = Self.seconds(maximumDelay)
        let exponent = Double(max(0, attempt - 1))
        let base = min(maximum, initial * pow(multiplier, min(exponent, 64)))
        let factor = 1 + jitter * (2 * min(max(random, 0), 1) - 1)
        return .milliseconds(Int64((base * factor * 1000).rounded()))
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

