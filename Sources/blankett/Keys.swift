import ArgumentParser
import BlankettCore
import Foundation

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The service's signing (sealing) key.",
        subcommands: [Generate.self, Show.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a new Ed25519 key to BLANKETT_SIGNING_KEY_FILE (default .local/signing-key).")

        @Flag(help: "Do nothing when the file already exists (for setup scripts).")
        var ifMissing = false

        func run() throws {
            let path = Environment().signingKeyFile
            if FileManager.default.fileExists(atPath: path) {
                if ifMissing { return }
                throw ValidationError("\(path) exists; a new key would make it impossible to verify seals made with the old one. Move it away first.")
            }
            let key = SealingKey.generate()
            let folder = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: Data(key.fileContents().utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ValidationError("Cannot write \(path).")
            }
            print("Wrote a new signing key \(key.keyID) to \(path).")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the key id and public key (base64) of the signing key.")

        func run() throws {
            let key = try Environment().sealingKey()
            print("\(key.keyID) \(Data(key.publicKey).base64EncodedString())")
        }
    }
}
