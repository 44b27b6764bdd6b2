import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A test server run in the background through `system(3)` (Foundation's
/// `Process` can hang on inherited descriptors), known by its process id.
/// Shared by `SMTPServer` and `OpenIDTestProvider`.
struct BackgroundProcess {
    let pid: Int32

    /// Runs `command` (a shell command with its redirections) in the
    /// background; its process id is kept in `pidFile`. The command should
    /// `exec` the server, so that the id is the server's own.
    static func start(_ command: String, pidFile: String, what: String) throws -> BackgroundProcess {
        guard system("\(command) & echo $! >'\(pidFile)'") == 0,
              let pidText = try? String(contentsOfFile: pidFile, encoding: .utf8),
              let pid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw TestSetupError("could not start \(what)")
        }
        return BackgroundProcess(pid: pid)
    }

    /// Alive and not a zombie: nobody may reap a server whose starting
    /// shell has exited, and a zombie answers `kill(pid, 0)` too.
    var isRunning: Bool {
        guard kill(pid, 0) == 0 else { return false }
        // procfs files have no size, so they are read with stdio, not Foundation.
        guard let file = fopen("/proc/\(pid)/stat", "r") else { return false }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 512)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return false }
        let stat = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? false)
    }

    /// SIGTERM, then SIGKILL after five seconds; returns when the server is gone.
    func stop() {
        guard kill(pid, SIGTERM) == 0 else { return }
        let deadline = ContinuousClock.now + .seconds(5)
        while isRunning {
            if ContinuousClock.now > deadline { kill(pid, SIGKILL) }
            usleep(10_000)
        }
    }
}
