import ArgumentParser
import BlankettCore
import BlankettPDF
import Foundation

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The service's sealing key and the PDF seal.",
        subcommands: [Generate.self, Show.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: """
            Write a new Ed25519 sealing key to BLANKETT_SIGNING_KEY_FILE (default .local/signing-key), and a development \
            certificate authority with a seal certificate and key for the PDF signatures to .local/seal/ (unless \
            BLANKETT_SEAL_CERTIFICATE_FILE names the kommun's own).
            """)

        @Flag(help: "Leave what already exists alone (for setup scripts).")
        var ifMissing = false

        @Option(help: "The organisation the development seal certificate names.")
        var organisation = "Botkyrka kommun"

        func run() throws {
            let environment = Environment()
            var wrote = false
            let path = environment.signingKeyFile
            if FileManager.default.fileExists(atPath: path) {
                if !ifMissing {
                    throw ValidationError("\(path) exists; a new key would make it impossible to verify seals made with the old one. Move it away first.")
                }
            } else {
                let key = SealingKey.generate()
                try Self.write(key.fileContents(), to: path, private: true)
                print("Wrote a new signing key \(key.keyID) to \(path).")
                wrote = true
            }
            // The kommun's own e-sigill is named in the environment; nothing to make then.
            guard environment.variables["BLANKETT_SEAL_CERTIFICATE_FILE"] == nil else { return }
            if FileManager.default.fileExists(atPath: environment.sealCertificateFile) {
                if !ifMissing && !wrote {
                    throw ValidationError("\(environment.sealCertificateFile) exists. Move it away first to make a new development seal.")
                }
                return
            }
            let files = try PDFSeal.development(organisation: organisation, now: Date())
            try Self.write(files.privateKeyPEM, to: environment.sealKeyFile, private: true)
            try Self.write(files.certificatesPEM, to: environment.sealCertificateFile, private: false)
            try Self.write(files.authorityPEM, to: environment.sealAuthorityFile, private: false)
            print("Wrote a development seal for \(organisation) to \(environment.sealCertificateFile) (authority: \(environment.sealAuthorityFile)).")
        }

        private static func write(_ text: String, to path: String, private isPrivate: Bool) throws {
            let folder = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: isPrivate ? 0o600 : 0o644]) else {
                throw ValidationError("Cannot write \(path).")
            }
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
