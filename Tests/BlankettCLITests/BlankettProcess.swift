import Foundation

/// Runs the built `blankett` executable (`BLANKETT_BIN`, set by scripts/test) as a user would.
enum BlankettProcess {
    struct Run {
        let status: Int32
        let output: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func run(_ arguments: String..., environment: [String: String] = [:], input: String? = nil) async throws -> Run {
        try await run(arguments, environment: environment, input: input)
    }

    /// Runs the command on a thread of its own and waits for it without
    /// holding one of Swift's cooperative threads (two here), which every
    /// other test of the suite needs meanwhile.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> Run {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Run, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try runBlocking(arguments, environment: environment, input: input) })
            }
        }
    }

    static func runBlocking(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> Run {
        guard let binary = ProcessInfo.processInfo.environment["BLANKETT_BIN"] else {
            throw CommandError("BLANKETT_BIN is not set: run the suite with scripts/test")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = repository
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blankett-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

struct CommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
