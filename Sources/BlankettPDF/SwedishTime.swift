import BlankettCore

/// UTC timestamps (`2021-01-04T09:15:00Z`) written as Swedish local time:
/// CET (UTC+1), and CEST (UTC+2) from 01:00 UTC on the last Sunday of March
/// to 01:00 UTC on the last Sunday of October (the EU rule, in force since 1996).
enum SwedishTime {
    /// `2021-01-04 kl. 10:15 svensk tid (09:15 UTC)`; the input unchanged when it cannot be read.
    static func describe(_ iso: String) -> String {
        guard let utc = parse(iso) else { return iso }
        let offset = isSummerTime(utc) ? 2 : 1
        var minutes = utc.minutes + offset * 60
        var date = utc.date
        if minutes >= 24 * 60 {
            minutes -= 24 * 60
            date = date.adding(days: 1)
        }
        return "\(date) kl. \(clock(minutes)) svensk tid (\(utc.date == date ? "" : "\(utc.date) ")\(clock(utc.minutes)) UTC)"
    }

    private struct Instant {
        var date: LocalDate
        /// Minutes since midnight UTC.
        var minutes: Int
    }

    private static func parse(_ text: String) -> Instant? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 17, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"),
              let date = LocalDate(iso: String(decoding: bytes[0..<10], as: UTF8.self)),
              let hour = Int(String(decoding: bytes[11..<13], as: UTF8.self)),
              let minute = Int(String(decoding: bytes[14..<16], as: UTF8.self)),
              (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        // Only UTC is accepted: a trailing "Z" (seconds and fractions before it are ignored).
        guard bytes.last == UInt8(ascii: "Z") else { return nil }
        return Instant(date: date, minutes: hour * 60 + minute)
    }

    private static func isSummerTime(_ instant: Instant) -> Bool {
        let year = instant.date.year
        let start = lastSunday(month: 3, year: year)
        let end = lastSunday(month: 10, year: year)
        let day = instant.date
        let afterStart = day > start || (day == start && instant.minutes >= 60)
        let beforeEnd = day < end || (day == end && instant.minutes < 60)
        return afterStart && beforeEnd
    }

    private static func lastSunday(month: Int, year: Int) -> LocalDate {
        let last = LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))!
        // 1970-01-01 was a Thursday: weekday 0 = Sunday.
        let weekday = ((last.daysSinceEpoch + 4) % 7 + 7) % 7
        return last.adding(days: -weekday)
    }

    private static func clock(_ minutes: Int) -> String {
        let hours = minutes / 60
        let rest = minutes % 60
        return (hours < 10 ? "0" : "") + String(hours) + ":" + (rest < 10 ? "0" : "") + String(rest)
    }
}
