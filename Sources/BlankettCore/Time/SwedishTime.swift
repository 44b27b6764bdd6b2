import Foundation

/// An instant as Swedish local time: CET (UTC+1), and CEST (UTC+2) from
/// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
/// October (the EU rule, in force since 1996). The one place that knows
/// Sweden's clock: the pages, the PDFs, the mails and the deadlines ask here.
public struct SwedishTime: Sendable, Hashable, CustomStringConvertible {
    /// The instant, to the whole second.
    public let instant: Date
    /// The Swedish calendar date at that instant.
    public let date: LocalDate
    /// Seconds since midnight, Swedish time.
    public let secondOfDay: Int
    /// 60 in winter (CET), 120 in summer (CEST).
    public let utcOffsetMinutes: Int

    public init(_ instant: Date) {
        self.init(secondsSinceEpoch: Int64(instant.timeIntervalSince1970.rounded(.down)))
    }

    /// Whole seconds since 1970-01-01 00:00 UTC.
    public init(secondsSinceEpoch seconds: Int64) {
        let utcDate = LocalDate(daysSinceEpoch: Int(Self.days(seconds)))
        let offset: Int64 = Self.summerTime(in: utcDate.year).contains(seconds) ? 7_200 : 3_600
        let local = seconds + offset
        let localDays = Self.days(local)
        instant = Date(timeIntervalSince1970: TimeInterval(seconds))
        date = LocalDate(daysSinceEpoch: Int(localDays))
        secondOfDay = Int(local - localDays * 86_400)
        utcOffsetMinutes = Int(offset / 60)
    }

    /// Reads UTC text as PostgreSQL and the signatures store it:
    /// `2021-01-04T09:15:00Z` (a space for the `T`, seconds and their
    /// fractions optional). Nil for anything else, a time without `Z` included:
    /// its zone would be a guess.
    public init?(iso text: some StringProtocol) {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes.count >= 17, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"),
              bytes.last == UInt8(ascii: "Z"),
              let date = LocalDate(iso: String(decoding: bytes[0..<10], as: UTF8.self)),
              let hour = number(11..<13), let minute = number(14..<16), hour < 24, minute < 60 else { return nil }
        var second = 0
        var index = 16
        if bytes[index] == UInt8(ascii: ":") {
            guard let value = number(17..<19), value < 60 else { return nil }
            second = value
            index = 19
            if bytes[index] == UInt8(ascii: "."), index + 2 < bytes.count, number(index + 1..<bytes.count - 1) != nil {
                index = bytes.count - 1
            }
        }
        guard index == bytes.count - 1 else { return nil }
        self.init(secondsSinceEpoch: Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3_600 + minute * 60 + second))
    }

    public var isSummerTime: Bool {
        utcOffsetMinutes == 120
    }

    /// `2021-03-28 kl. 03:30`: how the pages write a time.
    public var description: String {
        "\(date) kl. \(Self.clock(secondOfDay))"
    }

    /// `2021-03-28 kl. 03:30 svensk tid (01:30 UTC)`, with the UTC date too
    /// when it differs (`2021-01-01 kl. 00:30 svensk tid (2020-12-31 23:30 UTC)`):
    /// what the signed PDF prints, for a reader anywhere.
    public var descriptionWithUTC: String {
        let utc = secondOfDay - utcOffsetMinutes * 60
        let utcText = utc < 0 ? "\(date.adding(days: -1)) \(Self.clock(utc + 86_400))" : Self.clock(utc)
        return "\(self) svensk tid (\(utcText) UTC)"
    }

    /// Summer time in `year`: from 01:00 UTC on the last Sunday of March up to
    /// 01:00 UTC on the last Sunday of October, in seconds since the epoch.
    static func summerTime(in year: Int) -> Range<Int64> {
        func start(month: Int) -> Int64 {
            let last = LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))!
            // 1970-01-01 was a Thursday: weekday 0 = Sunday.
            let weekday = ((last.daysSinceEpoch + 4) % 7 + 7) % 7
            return Int64(last.daysSinceEpoch - weekday) * 86_400 + 3_600
        }
        return start(month: 3)..<start(month: 10)
    }

    private static func days(_ seconds: Int64) -> Int64 {
        seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }

    /// `HH:MM` of a second of the day.
    private static func clock(_ second: Int) -> String {
        let hours = second / 3_600
        let minutes = second / 60 % 60
        return (hours < 10 ? "0" : "") + String(hours) + ":" + (minutes < 10 ? "0" : "") + String(minutes)
    }
}
