import BlankettCore
import Foundation

/// RFC 5322 date-time text (`Mon, 30 Nov 2026 06:12:05 +0100`) for a given
/// instant and UTC offset. Pure: the instant is passed in, never read from a clock.
enum MailDate {
    static func format(_ date: Date, utcOffsetMinutes: Int) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(utcOffsetMinutes) * 60
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let civil = LocalDate(daysSinceEpoch: Int(days))
        let (year, month, day) = (civil.year, civil.month, civil.day)
        // 1970-01-01 was a Thursday.
        let weekday = Int(((days % 7) + 7 + 4) % 7)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let sign = utcOffsetMinutes < 0 ? "-" : "+"
        let offset = abs(utcOffsetMinutes)
        return "\(weekdays[weekday]), \(day) \(months[month - 1]) \(year) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) "
            + "\(sign)\(two(offset / 60))\(two(offset % 60))"
    }

    private static func two(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }
}
