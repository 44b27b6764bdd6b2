import Foundation

/// Where "now" comes from. The core never reads a clock: `serve` and the
/// commands pass the system clock (`SystemClock` in BlankettWeb), tests a
/// `FixedClock`, so that a deadline or a printed time can be checked at any instant.
public protocol WallClock: Sendable {
    func now() -> Date
}

extension WallClock {
    /// Today's date in Sweden: what deadlines, reminders and the year of a
    /// diarienummer count from (between 00:00 and 01:00 or 02:00 Swedish time
    /// the UTC date is still yesterday's).
    public func swedishToday() -> LocalDate {
        SwedishTime(now()).date
    }
}

/// A clock stopped at one instant, for tests.
public struct FixedClock: WallClock {
    public var instant: Date

    public init(_ instant: Date) {
        self.instant = instant
    }

    /// `FixedClock(iso: "2021-03-28T01:30:00Z")`; nil when `SwedishTime(iso:)` cannot read the text.
    public init?(iso text: some StringProtocol) {
        guard let time = SwedishTime(iso: text) else { return nil }
        self.init(time.instant)
    }

    public func now() -> Date {
        instant
    }
}
