import ArgumentParser
import BlankettMail
import BlankettPostgres
import ServiceLifecycle

struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Deliver the outbox (SMTP_URL, or .eml files in BLANKETT_MAIL_FOLDER) until SIGTERM, or once with --once.")

    @Flag(help: "Deliver what is due now and exit.")
    var once = false

    func run() async throws {
        let environment = Environment()
        let delivery = try environment.mailDelivery()
        let pool = PostgresConnectionPool(configuration: environment.postgres, logger: environment.logger("blankett.postgres"))
        let worker = OutboxWorker(pool: pool, transport: delivery.makeTransport(logger: environment.logger("blankett.mail")), logger: environment.logger("blankett.mail.outbox"))
        if once {
            let report = try await worker.runOnce()
            await pool.close()
            print("Outbox (\(delivery)): \(report.sent) sent, \(report.retried) to retry, \(report.failed) failed.")
            return
        }
        let group = ServiceGroup(configuration: .init(services: [.init(service: pool), .init(service: worker)], gracefulShutdownSignals: [.sigterm, .sigint], logger: environment.logger("blankett")))
        try await group.run()
    }
}
