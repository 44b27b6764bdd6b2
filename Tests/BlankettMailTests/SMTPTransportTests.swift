import BlankettMail
import BlankettTestSupport
import Foundation
import Testing

@Suite struct SMTPTransportTests {
    @Test func aRealServerReceivesHeadersSubjectBodyAndTheAttachmentByteIdentical() async throws {
        let server = try SMTPServer.start()
        defer { server.stop() }
        let transport = SMTPTransport(configuration: try SMTPConfiguration(url: server.url))
        let pdf = Fixture.pdf()
        let message = try Fixture.message(cc: ["registrator@botkyrka.se"], attachments: [Fixture.pdfAttachment()])
        let receipt = try await transport.send(MailEnvelope(message))
        await transport.shutdown()
        #expect(receipt.replyCode == 250)
        #expect(receipt.reply.hasPrefix("250"))

        let files = server.receivedFiles()
        try #require(files.count == 1)
        let parsed = try ParsedMail.parse(file: files[0])
        #expect(parsed.defects.isEmpty)
        #expect(parsed.subject == Fixture.subject)
        #expect(parsed.from == "Blankett – Botkyrka kommun <noreply@botkyrka.se>")
        #expect(parsed.to == "Länsstyrelsen i Stockholms län <stockholm@lansstyrelsen.se>")
        #expect(parsed.cc == "registrator@botkyrka.se")
        #expect(parsed.replyTo == "Anna Rydberg <anna.rydberg@botkyrka.se>")
        #expect(parsed.messageID == message.messageID.bracketed)
        #expect(parsed.date == "Thu, 07 Jan 2021 07:13:20 +0100" || parsed.date == "Thu, 7 Jan 2021 07:13:20 +0100")
        #expect(parsed.envelopeRecipients == "stockholm@lansstyrelsen.se, registrator@botkyrka.se")
        #expect(parsed.body == Fixture.body + "\n")
        #expect(parsed.attachments.count == 1)
        #expect(parsed.attachments.first?.filename == "Redovisning PO 2020 – Botkyrka (SN 2021:12).pdf")
        #expect(parsed.attachments.first?.sha256 == (try sha256Hex(pdf)))
        #expect(parsed.attachments.first?.size == pdf.count)
    }

    @Test func oneHandleSendsManyMessagesInARow() async throws {
        let server = try SMTPServer.start()
        defer { server.stop() }
        let transport = SMTPTransport(configuration: try SMTPConfiguration(url: server.url), concurrency: 1)
        for number in 1...20 {
            _ = try await transport.send(MailEnvelope(Fixture.message(number: number)))
        }
        await transport.shutdown()
        #expect(server.receivedFiles().count == 20)
    }

    @Test func aRejectedRecipientIsAPermanentFailureWithTheReply() async throws {
        let server = try SMTPServer.start(handler: .rejectRecipients("550 5.1.1 Mottagaren finns inte (recipient unknown)"))
        defer { server.stop() }
        let transport = SMTPTransport(configuration: try SMTPConfiguration(url: server.url))
        let error = await #expect(throws: MailDeliveryError.self) {
            try await transport.send(MailEnvelope(Fixture.message()))
        }
        // The same handle (its connection closed after the failure) still works for the next try.
        let again = await #expect(throws: MailDeliveryError.self) {
            try await transport.send(MailEnvelope(Fixture.message(number: 2)))
        }
        await transport.shutdown()
        #expect(error?.kind == .permanent)
        #expect(error?.replyCode == 550)
        #expect(error?.reply == "550 5.1.1 Mottagaren finns inte (recipient unknown)")
        #expect(again?.replyCode == 550)
    }

    @Test func aTemporaryReplyIsATemporaryFailure() async throws {
        let server = try SMTPServer.start(handler: .rejectRecipients("451 4.3.0 Try again later"))
        defer { server.stop() }
        let transport = SMTPTransport(configuration: try SMTPConfiguration(url: server.url))
        let error = await #expect(throws: MailDeliveryError.self) {
            try await transport.send(MailEnvelope(Fixture.message()))
        }
        await transport.shutdown()
        #expect(error?.kind == .temporary)
        #expect(error?.replyCode == 451)
        #expect(error?.reply == "451 4.3.0 Try again later")
    }

    @Test func noServerIsATemporaryFailure() async throws {
        let port = try SMTPServer.freePort()
        var configuration = try SMTPConfiguration(url: "smtp://127.0.0.1:\(port)?starttls=off")
        configuration.connectTimeoutMilliseconds = 2000
        let transport = SMTPTransport(configuration: configuration)
        let error = await #expect(throws: MailDeliveryError.self) {
            try await transport.send(MailEnvelope(Fixture.message()))
        }
        await transport.shutdown()
        #expect(error?.kind == .temporary)
        #expect(error?.replyCode == nil)
        #expect(error?.curlCode == 7)  // CURLE_COULDNT_CONNECT
    }

    @Test func requiredSTARTTLSRefusesAServerWithoutIt() async throws {
        let server = try SMTPServer.start()
        defer { server.stop() }
        let transport = SMTPTransport(configuration: try SMTPConfiguration(url: "smtp://u:p@127.0.0.1:\(server.port)"))
        let error = await #expect(throws: MailDeliveryError.self) {
            try await transport.send(MailEnvelope(Fixture.message()))
        }
        await transport.shutdown()
        // A configuration problem: messages wait for the operator instead of failing for good.
        #expect(error?.kind == .temporary)
        #expect(server.receivedFiles().isEmpty)
    }
}
