import BlankettPostgres
import Hummingbird
import Logging

/// `/healthz`: the process answers. `/readyz`: the database answers and its
/// schema matches this build's migrations; load balancers route on it.
struct HealthController: Sendable {
    let pool: PostgresConnectionPool
    let migrator: Migrator

    struct Health: ResponseEncodable {
        let status: String
    }

    struct Readiness: ResponseEncodable {
        let status: String
        let database: String
        let migrations: String
        let pending: [String]?
        let changed: [String]?
    }

    func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("healthz") { _, _ in Health(status: "ok") }
        router.get("readyz") { _, context in try await readiness(logger: context.logger) }
    }

    /// The answer names no host, port or database: the probe is public, and
    /// the reason is in the log.
    func readiness(logger: Logger) async throws -> EditedResponse<Readiness> {
        let status: Migrator.Status
        do {
            try await pool.query("SELECT 1 FROM app_instance")
            status = try await migrator.status()
        } catch {
            logger.warning("Not ready: the database does not answer", metadata: ["error": "\(error)"])
            let body = Readiness(status: "unavailable", database: "unavailable", migrations: "unknown", pending: nil, changed: nil)
            return EditedResponse(status: .serviceUnavailable, response: body)
        }
        let body = Readiness(
            status: status.isCurrent ? "ready" : "unavailable",
            database: "ok",
            migrations: status.isCurrent ? "current" : "outdated",
            pending: status.pending.isEmpty ? nil : status.pending,
            changed: status.changed.isEmpty ? nil : status.changed
        )
        return EditedResponse(status: status.isCurrent ? .ok : .serviceUnavailable, response: body)
    }
}
