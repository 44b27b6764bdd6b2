@testable import BlankettMail
import BlankettTestSupport
import Foundation
import Testing

@Suite struct MailMessageTests {
    private func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
    }

    @Test func renderingIsByteDeterministic() throws {
        let first = try Fixture.message(attachments: [Fixture.pdfAttachment()])
        let second = try Fixture.message(attachments: [Fixture.pdfAttachment()])
        #expect(first == second)
        #expect(first.rendered() == second.rendered())
        #expect(first.rendered() == first.rendered())
        // Another seed, another Message-ID, other bytes.
        #expect(try Fixture.message(number: 1).rendered() != Fixture.message(number: 2).rendered())
    }

    @Test func everyLineEndsInCRLFAndStaysShort() throws {
        let bytes = try Fixture.message(attachments: [Fixture.pdfAttachment()]).rendered()
        for (index, byte) in bytes.enumerated() {
            if byte == 10 { #expect(index > 0 && bytes[index - 1] == 13, "bare LF at \(index)") }
            if byte == 13 { #expect(index + 1 < bytes.count && bytes[index + 1] == 10, "bare CR at \(index)") }
        }
        #expect(bytes.suffix(2) == [13, 10])
        for line in lines(bytes) {
            #expect(line.utf8.count <= 78, "line too long: \(line)")
            #expect(line.utf8.allSatisfy { $0 < 128 }, "8-bit byte in: \(line)")
        }
    }

    @Test func headersAreWrittenAsRFC5322() throws {
        let message = try Fixture.message(cc: ["registrator@botkyrka.se"])
        let text = lines(message.rendered())
        let headerEnd = try #require(text.firstIndex(of: ""))
        // Unfolded: a line starting with a space continues the previous one.
        var headers: [String] = []
        for line in text[..<headerEnd] {
            if line.hasPrefix(" "), !headers.isEmpty { headers[headers.count - 1] += line } else { headers.append(line) }
        }
        #expect(headers.first == "Date: Thu, 7 Jan 2021 07:13:20 +0100")
        #expect(headers.contains("From: =?UTF-8?B?\(MIMEEncoding.base64String(Array("Blankett – Botkyrka kommun".utf8)))?="
            + " <noreply@botkyrka.se>"))
        #expect(headers.contains("Cc: registrator@botkyrka.se"))
        #expect(headers.contains("Reply-To: Anna Rydberg <anna.rydberg@botkyrka.se>"))
        #expect(headers.contains("Message-ID: \(message.messageID.bracketed)"))
        #expect(headers.contains("MIME-Version: 1.0"))
        #expect(headers.contains("Content-Type: text/plain; charset=UTF-8"))
        #expect(headers.contains("Content-Transfer-Encoding: quoted-printable"))
        let subject = headers.drop(while: { !$0.hasPrefix("Subject:") })
        #expect(subject.first?.hasPrefix("Subject: =?UTF-8?B?") == true)
        #expect(message.recipients == ["stockholm@lansstyrelsen.se", "registrator@botkyrka.se"])
    }

    @Test func pythonReadsSubjectBodyAndAttachmentBack() throws {
        let pdf = Fixture.pdf()
        let message = try Fixture.message(attachments: [Fixture.pdfAttachment()])
        let parsed = try ParsedMail.parse(bytes: message.rendered())
        #expect(parsed.defects.isEmpty)
        #expect(parsed.subject == Fixture.subject)
        #expect(parsed.from == "Blankett – Botkyrka kommun <noreply@botkyrka.se>")
        #expect(parsed.to == "Länsstyrelsen i Stockholms län <stockholm@lansstyrelsen.se>")
        #expect(parsed.messageID == message.messageID.bracketed)
        #expect(parsed.body == Fixture.body + "\n")
        #expect(parsed.attachments.count == 1)
        #expect(parsed.attachments.first?.filename == "Redovisning PO 2020 – Botkyrka (SN 2021:12).pdf")
        #expect(parsed.attachments.first?.contentType == "application/pdf")
        #expect(parsed.attachments.first?.size == pdf.count)
        #expect(parsed.attachments.first?.sha256 == (try sha256Hex(pdf)))
    }

    @Test func base64BodyAndPlainASCIISubject() throws {
        var message = try Fixture.message(subject: "PO 2020 Botkyrka")
        message.bodyEncoding = .base64
        let text = lines(message.rendered())
        #expect(text.contains("Subject: PO 2020 Botkyrka"))
        #expect(text.contains("Content-Transfer-Encoding: base64"))
        let parsed = try ParsedMail.parse(bytes: message.rendered())
        #expect(parsed.subject == "PO 2020 Botkyrka")
        // Base64 keeps the canonical CRLF line breaks; Python does not convert them.
        #expect(parsed.body.replacingOccurrences(of: "\r\n", with: "\n") == Fixture.body + "\n")
    }

    @Test func longSubjectsAndManyRecipientsAreFolded() throws {
        let subject = String(repeating: "Återrapportering för barn- och ungdomsnämnden ", count: 6).trimmingSpaces
        let recipients = (1...12).map { "handlaggare\($0)@lansstyrelsen.se" }
        let message = try Fixture.message(to: recipients, subject: subject)
        let bytes = message.rendered()
        for line in lines(bytes) { #expect(line.utf8.count <= 78) }
        let parsed = try ParsedMail.parse(bytes: bytes)
        #expect(parsed.subject == subject)
        #expect(parsed.to.components(separatedBy: ", ").count == 12)
    }

    @Test func quotedPrintableKeepsDotsSpacesAndLongLines() throws {
        var output: [UInt8] = []
        MIMEEncoding.quotedPrintable(crlfText: MIMEEncoding.crlfLines(".\n.a\nx = y  \n" + String(repeating: "ö", count: 40)), into: &output)
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.hasPrefix("=2E\r\n=2Ea\r\nx =3D y =20\r\n"))
        for line in text.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 76) }
        #expect(text.hasSuffix("=C3=B6\r\n"))
    }

    @Test func dateHeaderFormatsAnyInstant() {
        #expect(MailDate.format(Date(timeIntervalSince1970: 0), utcOffsetMinutes: 0) == "Thu, 1 Jan 1970 00:00:00 +0000")
        #expect(MailDate.format(Date(timeIntervalSince1970: 1_709_251_199), utcOffsetMinutes: 0) == "Thu, 29 Feb 2024 23:59:59 +0000")
        #expect(MailDate.format(Date(timeIntervalSince1970: 1_709_251_199), utcOffsetMinutes: 120) == "Fri, 1 Mar 2024 01:59:59 +0200")
        #expect(MailDate.format(Date(timeIntervalSince1970: -1), utcOffsetMinutes: -90) == "Wed, 31 Dec 1969 22:29:59 -0130")
    }

    @Test func messageIDsComeFromTheRandomSourcePassedIn() throws {
        var first = SeededGenerator(seed: 7)
        var second = SeededGenerator(seed: 7)
        let a = MessageID.generate(domain: "botkyrka.se", using: &first)
        let b = MessageID.generate(domain: "botkyrka.se", using: &second)
        #expect(a == b)
        #expect(a.value.hasPrefix("blankett.") && a.value.hasSuffix("@botkyrka.se"))
        #expect(a.value.count == "blankett.".count + 32 + "@botkyrka.se".count)
        #expect(a.value == "blankett.7dd023954e1ebc36c166c34f7dc3c440@botkyrka.se", "seed 7 gives the ID it always has")
        #expect(MessageID.generate(domain: "botkyrka.se", using: &first) != a)
        #expect(try MessageID("<abc@def>").value == "abc@def")
        #expect(throws: MailError.self) { try MessageID("no at sign") }
        #expect(throws: MailError.self) { try MessageID("a@b\r\nBcc: x@y") }
    }

    @Test func headerInjectionAndBadAddressesAreRefused() throws {
        for bad in ["a b@c.se", "x@", "@x.se", "<x@y.se>", "a@b.se\r\nBcc: evil@x.se", "å@ö.se", "a@b@c.se", "a@.se"] {
            let error = #expect(throws: MailError.self) { try MailAddress(bad) }
            #expect(error?.code == .invalidAddress, "\(bad)")
        }
        #expect(throws: MailError.self) { try MailAddress("a@b.se", name: "Evil\r\nBcc: x@y.se") }
        let error = #expect(throws: MailError.self) { try Fixture.message(subject: "Rad ett\nRad två") }
        #expect(error?.code == .invalidHeader)
        #expect(throws: MailError.self) { try MailAttachment(filename: "a\nb.pdf", contentType: "application/pdf", bytes: []) }
        #expect(throws: MailError.self) { try MailAttachment(filename: "a.pdf", contentType: "application/pdf; x=\"y\"", bytes: []) }
        let noRecipients = #expect(throws: MailError.self) {
            try MailMessage(from: MailAddress("a@b.se"), to: [], subject: "x", body: "", date: Fixture.date, messageID: MessageID("x@y"))
        }
        #expect(noRecipients?.code == .noRecipients)
    }

    @Test func theSizeLimitIsCheckedWithAClearError() throws {
        let message = try Fixture.message(attachments: [Fixture.pdfAttachment(size: 600_000)])
        let error = #expect(throws: MailError.self) { try message.rendered(limit: 500_000) }
        #expect(error?.code == .tooLarge)
        #expect(error?.message.contains("MB") == true)
        #expect(try message.rendered(limit: 1_000_000).count == message.rendered().count)
        // Over the default 20 MB before rendering anything.
        let huge = try MailAttachment(filename: "stor.pdf", contentType: "application/pdf", bytes: [UInt8](repeating: 0x25, count: 16 * 1024 * 1024))
        let tooBig = try Fixture.message(attachments: [huge])
        let defaultError = #expect(throws: MailError.self) { try MailEnvelope(tooBig) }
        #expect(defaultError?.message.contains("högst 20,0 MB") == true)
    }
}
