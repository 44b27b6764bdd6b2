// `swift run -c release blankett-mail-bench [--count N] [--attachment BYTES] [--handler sink|mailbox]`
//
// Starts Debian's aiosmtpd on a free port, sends N messages one after another
// through one SMTP transport with a single reused libcurl handle, and prints
// the median milliseconds per message and messages per second; then the same
// for the folder transport. Target: at least 200 messages/s over SMTP.
import BlankettMail
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

struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func makeEnvelopes(count: Int, attachmentBytes: Int) throws -> [MailEnvelope] {
    var generator = SeededGenerator(state: 42)
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

func freePort() -> Int {
    let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socketFD) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0 }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

func canConnect(port: Int) -> Bool {
    let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socketFD) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
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

// aiosmtpd in the background through system(3); stopped by its pid.
let port = freePort()
let handlerArguments = options.handler == "mailbox" ? "aiosmtpd.handlers.Mailbox '\(folder)/maildir'" : "aiosmtpd.handlers.Sink"
guard system("/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:\(port) -c \(handlerArguments) >'\(folder)/aiosmtpd.log' 2>&1 </dev/null & echo $! >'\(folder)/pid'") == 0,
      let pid = Int32((try String(contentsOfFile: folder + "/pid", encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)) else {
    print("could not start aiosmtpd")
    exit(1)
}
defer {
    kill(pid, SIGTERM)
    while kill(pid, 0) == 0 { usleep(10_000) }
}
let deadline = Date().addingTimeInterval(15)
while !canConnect(port: port) {
    guard Date() < deadline else { print("aiosmtpd did not start"); exit(1) }
    usleep(20_000)
}

let smtp = SMTPTransport(configuration: try SMTPConfiguration(url: "smtp://127.0.0.1:\(port)?starttls=off"), concurrency: 1)
for envelope in warmup { _ = try await smtp.send(envelope) }
try await measure("SMTP (aiosmtpd \(options.handler), one reused handle)", envelopes) { _ = try await smtp.send($0) }
await smtp.shutdown()

let files = FolderTransport(folder: folder + "/eml")
for envelope in warmup { _ = try await files.send(envelope) }
try await measure("folder transport", envelopes) { _ = try await files.send($0) }
