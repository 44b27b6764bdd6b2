import BlankettMail
import BlankettPostgres
import BlankettTestSupport
import Foundation
import Testing

@Suite struct OutboxTests {
    @Test func enqueueIsPartOfTheCallersTransaction() async throws {
        let world = try await OutboxWorld.make()
        struct Rollback: Error {}
        let caseID = world.caseID
        let organisationID = world.organisationID
        await #expect(throws: Rollback.self) {
            try await world.pool.withTransaction { connection in
                try Outbox.enqueue(Fixture.message(), kind: .formWithDecision, caseID: caseID, organisationID: organisationID, on: connection)
                throw Rollback()
            }
        }
        #expect(try await world.outbox.messages(caseID: world.caseID).isEmpty)

        let message = try Fixture.message()
        let id = try await world.enqueue(message, kind: .reminder)
        let entries = try await world.outbox.messages(caseID: world.caseID)
        try #require(entries.count == 1)
        #expect(entries[0].id == id)
        #expect(entries[0].kind == .reminder)
        #expect(entries[0].status == .queued)
        #expect(entries[0].recipient == "stockholm@lansstyrelsen.se")
        #expect(entries[0].subject == Fixture.subject)
        #expect(entries[0].messageID == message.messageID.value)
        #expect(entries[0].attempts == 0)
        let stored = try await world.pool.query("SELECT message, sender, array_to_string(recipients, ',') FROM outbox WHERE id = \(id)").single()
        #expect(try stored.decode(PostgresBytes.self, at: 0).bytes == message.rendered())
        #expect(try stored.decode(String.self, at: 1) == "noreply@botkyrka.se")
        #expect(try stored.decode(String.self, at: 2) == "stockholm@lansstyrelsen.se")
        await world.pool.close()
    }

    @Test func aTooLargeMessageIsRefusedBeforeAnythingIsQueued() async throws {
        let world = try await OutboxWorld.make()
        let message = try Fixture.message(attachments: [Fixture.pdfAttachment(size: 300_000)])
        let caseID = world.caseID
        let organisationID = world.organisationID
        let error = await #expect(throws: MailError.self) {
            try await world.pool.withTransaction { connection in
                try Outbox.enqueue(message, kind: .formWithDecision, caseID: caseID, organisationID: organisationID, sizeLimit: 200_000, on: connection)
            }
        }
        #expect(error?.code == .tooLarge)
        #expect(try await world.outbox.messages(caseID: world.caseID).isEmpty)
        await world.pool.close()
    }

    @Test func theWorkerDeliversThroughTheFolderTransport() async throws {
        let world = try await OutboxWorld.make()
        let folder = ((try? TestCluster.workFolder) ?? NSTemporaryDirectory()) + "/outbox-\(UUID().uuidString.prefix(8))"
        let transport = FolderTransport(folder: folder)
        let message = try Fixture.message(attachments: [Fixture.pdfAttachment()])
        let id = try await world.enqueue(message)
        // Rows from before the migration (no rendered message) are left alone.
        try await world.pool.query("""
            INSERT INTO outbox (case_id, organisation_id, kind, recipient) VALUES (\(world.caseID)::uuid, \(world.organisationID)::uuid, 'form_before_decision', 'x@y.se')
            """)
        let report = try await world.worker(transport).runOnce()
        #expect(report == OutboxWorker.Report(sent: 1, retried: 0, failed: 0))
        let entry = try await world.status(id)
        #expect(entry.status == .sent)
        #expect(entry.sentAt != nil)
        #expect(entry.attempts == 1)
        #expect(entry.lastReply == "written to \(transport.path(for: message.messageID))")
        let attempts = try await world.outbox.attempts(outboxID: id)
        #expect(attempts.map(\.outcome) == [.sent])
        #expect(FileManager.default.contents(atPath: transport.path(for: message.messageID)).map { [UInt8]($0) } == message.rendered())
        #expect(try await world.worker(transport).runOnce().attempted == 0)
        await world.pool.close()
    }

    @Test func aServerDownAtFirstGetsTheMessageExactlyOnceWhenItComesUp() async throws {
        let world = try await OutboxWorld.make()
        let port = try SMTPServer.freePort()
        var configuration = try SMTPConfiguration(url: "smtp://127.0.0.1:\(port)?starttls=off")
        configuration.connectTimeoutMilliseconds = 2000
        let transport = SMTPTransport(configuration: configuration)
        let worker = world.worker(transport, maximumAttempts: 20)
        let message = try Fixture.message(attachments: [Fixture.pdfAttachment()])
        let id = try await world.enqueue(message)

        #expect(try await worker.runOnce() == OutboxWorker.Report(sent: 0, retried: 1, failed: 0))
        try await Task.sleep(for: .milliseconds(150))
        #expect(try await worker.runOnce().retried == 1)
        var entry = try await world.status(id)
        #expect(entry.status == .queued)
        #expect(entry.attempts == 2)
        #expect(entry.lastError?.contains("temporary") == true)

        let server = try SMTPServer.start(port: port)
        defer { server.stop() }
        let deadline = ContinuousClock.now + .seconds(10)
        while try await world.status(id).status != .sent, ContinuousClock.now < deadline {
            try await worker.runOnce()
            try await Task.sleep(for: .milliseconds(50))
        }
        // More rounds send nothing more.
        try await worker.runOnce()
        await transport.shutdown()
        entry = try await world.status(id)
        #expect(entry.status == .sent)
        #expect(entry.attempts >= 3)
        #expect(entry.lastReplyCode == 250)
        #expect(entry.lastError == nil)
        let attempts = try await world.outbox.attempts(outboxID: id)
        #expect(attempts.count == entry.attempts)
        #expect(attempts.last?.outcome == .sent)
        #expect(attempts.dropLast().allSatisfy { $0.outcome == .temporaryFailure })
        let files = server.receivedFiles()
        #expect(files.count == 1)
        if let file = files.first {
            #expect(try ParsedMail.parse(file: file).messageID == message.messageID.bracketed)
        }
        await world.pool.close()
    }

    @Test func aRejectedMessageFailsAtOnceWithTheReplyAndCanBeResent() async throws {
        let world = try await OutboxWorld.make()
        let rejecting = try SMTPServer.start(handler: .rejectRecipients("550 5.1.1 <stockholm@lansstyrelsen.se>: Recipient address rejected"))
        let transport = SMTPTransport(configuration: try SMTPConfiguration(url: rejecting.url))
        let id = try await world.enqueue(Fixture.message())
        #expect(try await world.worker(transport).runOnce() == OutboxWorker.Report(sent: 0, retried: 0, failed: 1))
        rejecting.stop()
        await transport.shutdown()

        let entries = try await world.outbox.messages(caseID: world.caseID)
        #expect(entries.map(\.status) == [.failed])
        #expect(entries.first?.attempts == 1)
        #expect(entries.first?.lastReplyCode == 550)
        #expect(entries.first?.lastReply == "550 5.1.1 <stockholm@lansstyrelsen.se>: Recipient address rejected")
        #expect(entries.first?.lastError?.contains("permanent") == true)
        let attempts = try await world.outbox.attempts(outboxID: id)
        #expect(attempts.map(\.outcome) == [.permanentFailure])
        #expect(attempts.first?.replyCode == 550)

        // The address was fixed on the server's side: send again.
        #expect(try await world.outbox.resend(id: id))
        #expect(try await world.outbox.resend(id: id) == false)  // already queued
        let accepting = try SMTPServer.start()
        defer { accepting.stop() }
        let second = SMTPTransport(configuration: try SMTPConfiguration(url: accepting.url))
        #expect(try await world.worker(second).runOnce().sent == 1)
        await second.shutdown()
        #expect(try await world.status(id).status == .sent)
        #expect(try await world.outbox.attempts(outboxID: id).map(\.outcome) == [.permanentFailure, .sent])
        #expect(accepting.receivedFiles().count == 1)
        await world.pool.close()
    }

    @Test func temporaryFailuresStopAfterTheAttemptLimit() async throws {
        let world = try await OutboxWorld.make()
        let server = try SMTPServer.start(handler: .rejectRecipients("421 4.7.0 Too busy"))
        defer { server.stop() }
        let transport = SMTPTransport(configuration: try SMTPConfiguration(url: server.url))
        let worker = world.worker(transport, maximumAttempts: 3)
        let id = try await world.enqueue(Fixture.message())
        var rounds = 0
        while try await world.status(id).status != .failed, rounds < 50 {
            try await worker.runOnce()
            try await Task.sleep(for: .milliseconds(60))
            rounds += 1
        }
        await transport.shutdown()
        let entry = try await world.status(id)
        #expect(entry.status == .failed)
        #expect(entry.attempts == 3)
        #expect(entry.lastReplyCode == 421)
        #expect(try await world.outbox.attempts(outboxID: id).map(\.outcome) == Array(repeating: .temporaryFailure, count: 3))
        await world.pool.close()
    }

    @Test func twoWorkersDeliverEachOf200MessagesExactlyOnce() async throws {
        let world = try await OutboxWorld.make(poolSize: 8)
        let server = try SMTPServer.start()
        defer { server.stop() }
        let caseID = world.caseID
        let organisationID = world.organisationID
        let messages = try (1...200).map { try Fixture.message(number: $0) }
        try await world.pool.withTransaction { connection in
            for message in messages {
                try Outbox.enqueue(message, kind: .formWithDecision, caseID: caseID, organisationID: organisationID, on: connection)
            }
        }
        let first = SMTPTransport(configuration: try SMTPConfiguration(url: server.url))
        let second = SMTPTransport(configuration: try SMTPConfiguration(url: server.url))
        async let a = world.worker(first).runOnce()
        async let b = world.worker(second).runOnce()
        let (reportA, reportB) = try await (a, b)
        await first.shutdown()
        await second.shutdown()
        #expect(reportA.sent + reportB.sent == 200)
        #expect(reportA.sent > 0 && reportB.sent > 0)
        #expect(reportA.retried + reportB.retried + reportA.failed + reportB.failed == 0)

        let files = server.receivedFiles()
        #expect(files.count == 200)
        var seen = Set<String>()
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let line = text.components(separatedBy: "\n").first { $0.hasPrefix("Message-ID:") } ?? ""
            seen.insert(line.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(seen.count == 200)
        #expect(seen == Set(messages.map { "Message-ID: \($0.messageID.bracketed)" }))
        let counts = try await world.pool.query("""
            SELECT (SELECT count(*) FROM outbox WHERE status = 'sent' AND attempts = 1), (SELECT count(*) FROM outbox_attempts WHERE outcome = 'sent')
            """).single().decode((Int, Int).self)
        #expect(counts == (200, 200))
        await world.pool.close()
    }

    @Test func aWorkerThatDiedWhileSendingIsTakenOverWithTheSameMessageID() async throws {
        let world = try await OutboxWorld.make()
        let folder = ((try? TestCluster.workFolder) ?? NSTemporaryDirectory()) + "/crash-\(UUID().uuidString.prefix(8))"
        let transport = FolderTransport(folder: folder)
        let message = try Fixture.message()
        let id = try await world.enqueue(message)
        // A worker claimed the message, sent it, and died before recording: the row says sending.
        try await world.pool.query("""
            UPDATE outbox SET status = 'sending', attempts = 1, lease_expires_at = now() + interval '1 hour' WHERE id = \(id)
            """)
        try await world.pool.query("INSERT INTO outbox_attempts (outbox_id, number) VALUES (\(id), 1)")
        let worker = world.worker(transport)
        #expect(try await worker.runOnce().attempted == 0)  // its lease still holds
        try await world.pool.query("UPDATE outbox SET lease_expires_at = now() - interval '1 second' WHERE id = \(id)")
        #expect(try await worker.runOnce().sent == 1)
        let entry = try await world.status(id)
        #expect(entry.status == .sent)
        #expect(entry.attempts == 2)
        #expect(try await world.outbox.attempts(outboxID: id).map(\.outcome) == [nil, .sent])
        #expect(FileManager.default.contents(atPath: transport.path(for: message.messageID)).map { [UInt8]($0) } == message.rendered())
        await world.pool.close()
    }

    @Test func runDeliversWhenWokenAndStopsOnCancellation() async throws {
        let world = try await OutboxWorld.make()
        let folder = ((try? TestCluster.workFolder) ?? NSTemporaryDirectory()) + "/run-\(UUID().uuidString.prefix(8))"
        let worker = OutboxWorker(pool: world.pool, transport: FolderTransport(folder: folder),
                                  configuration: .init(pollInterval: .seconds(3600)))
        let running = Task { try await worker.run() }
        try await Task.sleep(for: .milliseconds(200))
        let id = try await world.enqueue(Fixture.message())
        worker.wake()
        // Far below the poll interval, so delivery proves the wake; generous, because the
        // whole suite runs in parallel on two cores and other tests block threads (python, pdftotext).
        let deadline = ContinuousClock.now + .seconds(60)
        while try await world.status(id).status != .sent, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await world.status(id).status == .sent)
        running.cancel()
        try await running.value
        await world.pool.close()
    }
}
