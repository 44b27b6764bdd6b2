import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real SMTP server for tests: Debian's aiosmtpd, started in the
/// background through `system(3)` (Foundation's `Process` can hang on
/// inherited descriptors) and stopped by its process id. Shared by the mail
/// and the web tests.
public final class SMTPServer: @unchecked Sendable {
    public let port: Int
    /// The server's own temporary folder (log, handler module, maildir).
    public let folder: String
    public let maildir: String
    private let process: BackgroundProcess

    /// A handler module written into the server's folder: `module.Class`.
    public struct Handler: Sendable {
        let className: String
        let arguments: [String]
        let pythonSource: String?

        /// aiosmtpd's Mailbox: every accepted message becomes a file in the maildir.
        public static let mailbox = Handler(className: "aiosmtpd.handlers.Mailbox", arguments: [], pythonSource: nil)

        /// aiosmtpd's Sink: accepts and forgets every message (for throughput figures).
        public static let sink = Handler(className: "aiosmtpd.handlers.Sink", arguments: [], pythonSource: nil)

        /// Answers every RCPT TO with `reply` (e.g. `550 5.1.1 …`).
        public static func rejectRecipients(_ reply: String) -> Handler {
            Handler(className: "rejecting.Handler", arguments: [], pythonSource: """
                class Handler:
                    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                        return \(pythonString(reply))
                """)
        }
    }

    public static func start(port: Int? = nil, handler: Handler = .mailbox) throws -> SMTPServer {
        let port = try port ?? freePort()
        let base = (try? TestCluster.workFolder) ?? NSTemporaryDirectory()
        let folder = base + "/smtp-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // aiosmtpd's Mailbox creates the maildir itself (an empty one makes it answer 500).
        let maildir = folder + "/maildir"
        var arguments = handler.arguments
        if let source = handler.pythonSource {
            let module = String(handler.className.split(separator: ".")[0])
            try source.write(toFile: folder + "/\(module).py", atomically: true, encoding: .utf8)
        } else if handler.className == Handler.mailbox.className {
            arguments = [maildir]
        }
        let pidFile = folder + "/pid"
        let command = "cd '\(folder)' && PYTHONPATH='\(folder)' /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:\(port) -c \(handler.className) "
            + arguments.map { "'\($0)'" }.joined(separator: " ")
            + " >'\(folder)/aiosmtpd.log' 2>&1 </dev/null"
        let process = try BackgroundProcess.start(command, pidFile: pidFile, what: "aiosmtpd")
        let server = SMTPServer(port: port, folder: folder, maildir: maildir, process: process)
        let deadline = ContinuousClock.now + .seconds(15)
        while !canConnect(port: port) {
            guard ContinuousClock.now < deadline, process.isRunning else {
                server.stop()
                let log = (try? String(contentsOfFile: folder + "/aiosmtpd.log", encoding: .utf8)) ?? ""
                throw TestSetupError("aiosmtpd did not start on port \(port): \(log)")
            }
            usleep(20_000)
        }
        return server
    }

    private init(port: Int, folder: String, maildir: String, process: BackgroundProcess) {
        self.port = port
        self.folder = folder
        self.maildir = maildir
        self.process = process
    }

    /// `smtp://127.0.0.1:PORT?starttls=off`.
    public var url: String { "smtp://127.0.0.1:\(port)?starttls=off" }

    /// Stops the server (SIGTERM, then SIGKILL) and waits until it is gone.
    public func stop() {
        process.stop()
    }

    /// The files of every message received, sorted by name.
    public func receivedFiles() -> [String] {
        var files: [String] = []
        for sub in ["new", "cur"] {
            let path = maildir + "/" + sub
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files += names.filter { !$0.hasPrefix(".") }.map { path + "/" + $0 }
        }
        return files.sorted()
    }

    /// A port nobody listens on now.
    public static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw TestSetupError("socket() failed") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(socketFD, pointer, length) == 0 && getsockname(socketFD, pointer, &length) == 0
            }
        }
        guard bound else { throw TestSetupError("bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public static func canConnect(port: Int) -> Bool {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return false }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// A Python string literal for `text`.
func pythonString(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
}
