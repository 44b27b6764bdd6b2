import ArgumentParser
import BlankettPostgres

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending sql/ migrations and exit.")

    func run() async throws {
        let environment = Environment()
        let migrations = try Migration.load(directory: environment.sqlDirectory)
        let pool = PostgresConnectionPool(configuration: environment.postgres, logger: environment.logger("blankett.postgres"))
        do {
            let report = try await Migrator(migrations: migrations, pool: pool, logger: environment.logger("blankett.migrate")).migrate()
            await pool.close()
            print("Migrations: \(report.applied.count) applied, \(report.alreadyApplied) already applied.")
        } catch {
            await pool.close()
            throw ValidationError("\(error)")
        }
    }
}
