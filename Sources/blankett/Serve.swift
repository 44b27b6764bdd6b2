import ArgumentParser
import BlankettCore
import BlankettIdentity
import BlankettPostgres
import BlankettMail
import BlankettDispatch
import BlankettWeb
import Hummingbird

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply migrations, then serve HTTP until SIGTERM or SIGINT.")

    @Option(help: "Interface to listen on (env BLANKETT_HOST).")
    var host: String?

    @Option(help: "Port to listen on, 0 for any free port (env BLANKETT_PORT).")
    var port: Int?

    func run() async throws {
        let environment = Environment()
        let logger = environment.logger("blankett")
        let migrations = try Migration.load(directory: environment.sqlDirectory)
        let pool = PostgresConnectionPool(configuration: environment.postgres, logger: environment.logger("blankett.postgres"))
        let migrator = Migrator(migrations: migrations, pool: pool, logger: environment.logger("blankett.migrate"))
        do {
            try await migrator.migrate()
        } catch {
            await pool.close()
            throw ValidationError("Cannot start: \(error)")
        }
        let configuration = WebConfiguration(
            host: host ?? environment.variables["BLANKETT_HOST"] ?? "127.0.0.1",
            port: port ?? environment.variables["BLANKETT_PORT"].flatMap(Int.init) ?? 8080
        )
        var services: WebServices
        let worker: OutboxWorker
        let reminders: DeadlineReminderService
        do {
            let catalog = try environment.formCatalog()
            let clock = SystemClock()
            let delivery = try environment.mailDelivery()
            logger.notice("Mail goes to \(delivery)")
            worker = OutboxWorker(pool: pool, transport: delivery.makeTransport(logger: environment.logger("blankett.mail")), logger: environment.logger("blankett.mail.outbox"))
            reminders = DeadlineReminderService(reminders: DeadlineReminders(pool: pool, sender: try environment.mailSender(), clock: clock),
                                                logger: environment.logger("blankett.reminders"))
            // One gate for every password check: sign-in and signing share the hashing places.
            let gate = PasswordGate()
            var cases = try environment.caseService(pool: pool, catalog: catalog,
                                                    dispatcher: MailDispatcher(catalog: catalog, sender: try environment.mailSender(), seal: try environment.pdfSeal(), clock: clock))
            cases.passwordChecker = gate
            services = try WebServices(
                directory: Directory(pool: pool),
                cases: cases,
                sessions: SessionStore(pool: pool, gate: gate),
                secureCookies: environment.variables["BLANKETT_SECURE_COOKIES"].map { $0 != "0" } ?? !["127.0.0.1", "localhost", "::1"].contains(configuration.host),
                strictTransportSecurity: environment.variables["BLANKETT_HSTS"].map { $0 != "0" },
                clock: clock
            )
            services.trustForwardedFor = environment.variables["BLANKETT_TRUST_FORWARDED_FOR"] == "1"
            services.publicURL = try environment.publicURL(port: configuration.port)
            if let caFile = environment.variables["BLANKETT_OIDC_CA_FILE"], !caFile.isEmpty {
                services.identity = IdentityProviderRegistry(http: CurlHTTPClient(caFile: caFile))
            }
            services.mailSender = try environment.mailSender()
        } catch {
            await pool.close()
            throw error
        }
        let app = buildApplication(configuration: configuration, pool: pool, migrator: migrator, services: services, backgroundServices: [worker, reminders], logger: logger) { port in
            logger.notice("Blankett is listening", metadata: ["url": "http://\(configuration.host):\(port)/"])
        }
        try await app.runService()
    }
}
