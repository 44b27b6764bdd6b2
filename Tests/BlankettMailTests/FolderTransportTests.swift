import BlankettMail
import BlankettTestSupport
import Foundation
import Testing

@Suite struct FolderTransportTests {
    @Test func writesReadableEMLFilesNamedByMessageID() async throws {
        let base = (try? TestCluster.workFolder) ?? NSTemporaryDirectory()
        let folder = base + "/folder-\(UUID().uuidString.prefix(8))/mail"
        let transport = FolderTransport(folder: folder)
        let message = try Fixture.message(attachments: [Fixture.pdfAttachment()])
        let envelope = try MailEnvelope(message)
        let receipt = try await transport.send(envelope)
        let path = transport.path(for: message.messageID)
        #expect(path == folder + "/" + message.messageID.value + ".eml")
        #expect(receipt.reply == "written to \(path)")
        #expect(FileManager.default.contents(atPath: path).map { [UInt8]($0) } == envelope.bytes)

        let parsed = try ParsedMail.parse(file: path)
        #expect(parsed.subject == Fixture.subject)
        #expect(parsed.body == Fixture.body + "\n")
        #expect(parsed.attachments.first?.sha256 == (try sha256Hex(Fixture.pdf())))

        // Sending again (a duplicate after a crash) rewrites the same file.
        _ = try await transport.send(envelope)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(names == [message.messageID.value + ".eml"])
    }

    @Test func fileNamesAreSafe() throws {
        #expect(try MessageID("a/../b@c").fileName == "a_.._b@c")
        #expect(try MessageID(".hidden@x").fileName == "_hidden@x")
    }
}
