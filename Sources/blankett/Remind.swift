import Foundation
import ArgumentParser
import BlankettCore
import BlankettMail
import BlankettPostgres
import BlankettDispatch

struct Remind: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Queue the deadline reminders due today (14, 7 and 1 days before; each once). Run daily, e.g. from cron.")

    @Option(help: "The day to remind for (default today in Sweden), e.g. 2021-01-08.")
    var today: String?

    func run() async throws {
        let environment = Environment()
        let day: LocalDate
        if let today {
            guard let parsed = LocalDate(iso: today) else { throw ValidationError("--today is a date such as 2021-01-08.") }
            day = parsed
        } else {
            day = SystemClock().swedishToday()
        }
        let sender = try environment.mailSender()
        let queued = try await environment.withPool { pool in try await DeadlineReminders(pool: pool, sender: sender).run(today: day) }
        print("Reminders for \(day): \(queued) queued (the worker sends them).")
    }
}
