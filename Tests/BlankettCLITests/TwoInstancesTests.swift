import BlankettCore
import BlankettPostgres
import BlankettTestSupport
import Foundation
import Testing

/// Several `blankett` processes on one database, as the replicas of
/// docker-compose.yml (or two virtual machines) run: migrations are applied
/// once, the outbox delivers each message once (claims use FOR UPDATE SKIP
/// LOCKED) and each deadline reminder is queued once (a unique row per case and
/// threshold). Real processes, started together, not tasks in one process.
@Suite struct TwoInstancesTests {
    @Test func twoProcessesMigrateRemindAndDeliverEachThingOnce() async throws {
        let url = try await TestCluster.freshDatabase()
        let folder = try BlankettProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["DATABASE_URL": url, "BLANKETT_SIGNING_KEY_FILE": folder.path + "/signing-key", "SMTP_URL": ""]

        // Two instances starting on an empty database: each migration once.
        let migrations = try await BlankettProcess.runTogether([["migrate"], ["migrate"]], environment: environment)
        for run in migrations { #expect(run.status == 0, "\(run.output)") }
        let pool = TestCluster.pool(url, size: 2)
        let files = try FileManager.default.contentsOfDirectory(atPath: TestCluster.repositoryRoot + "/sql").filter { $0.hasSuffix(".sql") }
        #expect(try await pool.query("SELECT count(*), count(DISTINCT version) FROM schema_migrations").single().decode((Int, Int).self) == (files.count, files.count))

        // Every organisation of the demo with a case in every round: Botkyrka and
        // Huddinge, two rounds due 2021-01-15 and one due 2021-02-05.
        #expect(try await BlankettProcess.run(["keys", "generate"], environment: environment).status == 0)
        let demo = try await BlankettProcess.run(["demo"], environment: environment)
        #expect(demo.status == 0, "\(demo.output)")
        let key = try SealingKey(fileContents: try String(contentsOfFile: folder.path + "/signing-key", encoding: .utf8))
        let cases = CaseService(store: PostgresCaseStore(pool: pool), catalog: try FormCatalog.load(directory: TestCluster.repositoryRoot + "/forms"), sealingKey: key)
        let directory = Directory(pool: pool)
        for (organisation, editor) in [("Botkyrka kommun", "handlaggare@botkyrka.example"), ("Huddinge kommun", "handlaggare@huddinge.example")] {
            let organisationID = try #require(try await directory.organisation(named: organisation)).id
            let editorID = try #require(try await directory.user(email: editor)).user.id
            for roundKey in ["po-ansokan-2021", "po-redovisning-2020", "bemanning-aterrapportering-2020"] {
                let roundID = try #require(try await directory.roundID(key: roundKey))
                let existing = try await pool.query("""
                    SELECT count(*) FROM cases WHERE round_id = \(roundID)::uuid AND organisation_id = \(organisationID)::uuid
                    """).single().decode(Int.self, at: 0)
                if existing == 0 { _ = try await cases.create(roundID: roundID, organisationID: organisationID, by: editorID) }
            }
        }
        #expect(try await pool.query("SELECT count(*) FROM cases").single().decode(Int.self, at: 0) == 6)

        // Two `remind` processes per day, together: 3 cases at 14, 7 and 1 days
        // before 2021-01-15 (the demo's Botkyrka ansökan is sent already), then
        // 2 cases before 2021-02-05.
        var queued = 0
        for day in ["2021-01-01", "2021-01-08", "2021-01-14", "2021-01-22", "2021-01-29", "2021-02-04"] {
            let runs = try await BlankettProcess.runTogether([["remind", "--today", day], ["remind", "--today", day]], environment: environment)
            var queuedToday = 0
            for run in runs {
                #expect(run.status == 0, "\(run.output)")
                queuedToday += try Self.number(in: run.output, before: " queued (the worker sends them)")
            }
            #expect(queuedToday == (day < "2021-01-15" ? 3 : 2), "\(day): \(runs.map(\.output))")
            queued += queuedToday
        }
        #expect(queued == 15)
        #expect(try await pool.query("SELECT count(*), count(DISTINCT (case_id, days_before)) FROM case_reminders").single().decode((Int, Int).self) == (15, 15))
        #expect(try await pool.query("SELECT count(*) FROM outbox WHERE kind = 'reminder'").single().decode(Int.self, at: 0) == 15)

        // Two `worker --once` processes, together, each writing into a folder
        // of its own: every message is in exactly one of them.
        let mailA = folder.path + "/mail-a", mailB = folder.path + "/mail-b"
        let workers = try await BlankettProcess.runTogether([
            (["worker", "--once"], environment.merging(["BLANKETT_MAIL_FOLDER": mailA]) { $1 }),
            (["worker", "--once"], environment.merging(["BLANKETT_MAIL_FOLDER": mailB]) { $1 }),
        ])
        var sent = 0
        for run in workers {
            #expect(run.status == 0 && run.output.contains("0 to retry, 0 failed"), "\(run.output)")
            sent += try Self.number(in: run.output, before: " sent, ")
        }
        // The reminders and the demo ansökan's mail to Länsstyrelsen Stockholm.
        #expect(sent == 16, "\(workers.map(\.output))")
        let delivered = [mailA, mailB].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".eml") }
        }
        #expect(delivered.count == 16)
        #expect(Set(delivered).count == 16)
        #expect(try await pool.query("""
            SELECT (SELECT count(*) FROM outbox WHERE status = 'sent' AND attempts = 1),
                   (SELECT count(*) FROM outbox_attempts WHERE outcome = 'sent')
            """).single().decode((Int, Int).self) == (16, 16))
        await pool.close()
    }

    /// The number just before `marker` in a command's summary line ("… 4 queued …"),
    /// the last occurrence (log lines come first).
    static func number(in output: String, before marker: String) throws -> Int {
        guard let range = output.range(of: marker, options: .backwards),
              let number = Int(output[..<range.lowerBound].split(separator: " ").last ?? "") else {
            throw CommandError("no number before \"\(marker)\" in: \(output)")
        }
        return number
    }
}

extension BlankettProcess {
    /// Starts every command at once, each on a thread of its own, and waits for all.
    static func runTogether(_ commands: [[String]], environment: [String: String] = [:]) async throws -> [Run] {
        try await runTogether(commands.map { ($0, environment) })
    }

    static func runTogether(_ commands: [(arguments: [String], environment: [String: String])]) async throws -> [Run] {
        try await withThrowingTaskGroup(of: (Int, Run).self) { group in
            for (index, command) in commands.enumerated() {
                group.addTask {
                    (index, try await BlankettProcess.run(command.arguments, environment: command.environment))
                }
            }
            var runs = [Run?](repeating: nil, count: commands.count)
            for try await (index, run) in group { runs[index] = run }
            return runs.map { $0! }
        }
    }
}
