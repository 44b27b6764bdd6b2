// `swift run -c release blankett-mail-bench [--count N] [--attachment BYTES] [--handler sink|mailbox]`
//
// Starts Debian's aiosmtpd on a free port, sends N messages one after another
// through one SMTP transport with a single reused libcurl handle, and prints
// the median milliseconds per message and messages per second; then the same
// for the folder transport. Target: at least 200 messages/s over SMTP.
import BlankettMail
import BlankettTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var count = 1000
    var attachmentBytes = 0
    var handler = "sink"

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--count": count = iterator.next().flatMap(Int.init) ?? count
            case "--attachment": attachmentBytes = iterator.next().flatMap(Int.init) ?? attachmentBytes
            case "--handler": handler = iterator.next() ?? handler
            default:
                print("usage: blankett-mail-bench [--count N] [--attachment BYTES] [--handler sink|mailbox]")
                exit(2)
            }
        }
    }
}

func makeEnvelopes(count: Int, attachmentBytes: Int) throws -> [MailEnvelope] {
    var generator = SeededGenerator(seed: 42)
    let attachment = attachmentBytes > 0
        ? [try MailAttachment(filename: "Redovisning PO 2020.pdf", contentType: "application/pdf",
                              bytes: (0..<attachmentBytes).map { _ in UInt8.random(in: 0...255, using: &generator) })]
        : []
    return try (0..<count).map { number in
        let message = try MailMessage(
            from: MailAddress("noreply@botkyrka.se", name: "Blankett – Botkyrka kommun"),
            to: [MailAddress("stockholm@lansstyrelsen.se", name: "Länsstyrelsen Stockholm")],
            subject: "Redovisning av statsbidrag för personligt ombud 2020 – nr \(number)",
            body: "Hej!\n\nHär kommer redovisningen för år 2020.\n\nMed vänliga hälsningar\nSocialförvaltningen\n",
            attachments: attachment,
            date: Date(timeIntervalSince1970: 1_610_000_000),
            using: &generator
        )
        return try MailEnvelope(message)
    }
}

/// Runs `send` for every envelope; prints and returns the median and the rate.
func measure(_ label: String, _ envelopes: [MailEnvelope], _ send: (MailEnvelope) async throws -> Void) async throws {
    let clock = ContinuousClock()
    var durations: [Duration] = []
    durations.reserveCapacity(envelopes.count)
    let started = clock.now
    for envelope in envelopes {
        let one = clock.now
        try await send(envelope)
        durations.append(clock.now - one)
    }
    let total = clock.now - started
    durations.sort()
    func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
    let median = milliseconds(durations[durations.count / 2])
    let p99 = milliseconds(durations[min(durations.count - 1, durations.count * 99 / 100)])
    let rate = Double(envelopes.count) / (milliseconds(total) / 1000)
    print("\(label): \(envelopes.count) messages, median \(String(format: "%.3f", median)) ms, p99 \(String(format: "%.3f", p99)) ms, \(String(format: "%.0f", rate)) messages/s")
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let folder = NSTemporaryDirectory() + "blankett-mail-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: folder) }

let warmup = try makeEnvelopes(count: 20, attachmentBytes: options.attachmentBytes)
let envelopes = try makeEnvelopes(count: options.count, attachmentBytes: options.attachmentBytes)
print("message size: \(envelopes[0].bytes.count) bytes")

let server = try SMTPServer.start(handler: options.handler == "mailbox" ? .mailbox : .sink)
defer { server.stop() }

let smtp = SMTPTransport(configuration: try SMTPConfiguration(url: server.url), concurrency: 1)
for envelope in warmup { _ = try await smtp.send(envelope) }
try await measure("SMTP (aiosmtpd \(options.handler), one reused handle)", envelopes) { _ = try await smtp.send($0) }
await smtp.shutdown()

let files = FolderTransport(folder: folder + "/eml")
for envelope in warmup { _ = try await files.send(envelope) }
try await measure("folder transport", envelopes) { _ = try await files.send($0) }
