import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The service's Ed25519 key: seals signature records so that a later change to
/// a stored signature (or a forged one) is detected.
///
/// The executable reads the key from a file (`init(fileContents:)`); the core
/// never touches the disk. `description` shows only the key id, so logging a
/// key never leaks it.
public struct SealingKey: Sendable, CustomStringConvertible {
    /// First line of a key file; names the algorithm and the file version.
    public static let fileHeader = "blankett-ed25519-v1"

    private let privateKey: Curve25519.Signing.PrivateKey
    /// 32 bytes.
    public let publicKey: [UInt8]

    private init(privateKey: Curve25519.Signing.PrivateKey) {
        self.privateKey = privateKey
        self.publicKey = Array(privateKey.publicKey.rawRepresentation)
    }

    /// A new random key (swift-crypto's generator).
    public static func generate() -> SealingKey {
        SealingKey(privateKey: Curve25519.Signing.PrivateKey())
    }

    /// The key from its 32-byte seed, as `rawRepresentation` gives it.
    public init(rawRepresentation: [UInt8]) throws(LoadError) {
        guard rawRepresentation.count == 32 else {
            throw LoadError(.wrongLength, "an Ed25519 sealing key is 32 bytes, not \(rawRepresentation.count)")
        }
        do {
            self.init(privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation))
        } catch {
            // Every 32-byte seed is a valid key; kept for the API's sake.
            throw LoadError(.wrongLength, "an Ed25519 sealing key is 32 bytes")
        }
    }

    /// The 32-byte seed. Secret: store it only in the key file.
    public var rawRepresentation: [UInt8] { Array(privateKey.rawRepresentation) }

    /// First 16 hex characters of SHA-256 of the public key.
    public var keyID: String { Self.keyID(forPublicKey: publicKey) }

    /// The id of any public key, for naming keys that are not at hand (e.g. an
    /// untrusted key in a stored signature).
    public static func keyID(forPublicKey publicKey: [UInt8]) -> String {
        String(Hex.encode(SHA256.hash(data: publicKey)).prefix(16))
    }

    /// The Ed25519 signature (64 bytes) over `record.sealMessage()`.
    public func seal(_ record: SignatureRecord) throws -> [UInt8] {
        Array(try privateKey.signature(for: record.sealMessage()))
    }

    /// Whether `seal` is a valid signature over `record.sealMessage()` by the
    /// holder of `publicKey`; `false` for a malformed key or seal.
    public static func isValidSeal(_ seal: [UInt8], for record: SignatureRecord, publicKey: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(seal, for: record.sealMessage())
    }

    public var description: String { "SealingKey(\(keyID))" }

    // MARK: Key file

    /// The key file: `blankett-ed25519-v1`, a newline, the 32-byte seed in
    /// standard base64 (44 characters with padding), a newline.
    public func fileContents() -> String {
        "\(Self.fileHeader)\n\(Data(rawRepresentation).base64EncodedString())\n"
    }

    /// Reads exactly what `fileContents()` writes: LF line ends, the header
    /// line, one base64 line with its newline and nothing after it. Messages
    /// never quote the file, which holds a secret.
    public init(fileContents text: String) throws(LoadError) {
        let header = "\(Self.fileHeader)\n"
        guard text.hasPrefix(header) else {
            if text.hasPrefix("\(Self.fileHeader)\r\n") {
                throw LoadError(.wrongLayout, "the key file must use LF line ends, not CRLF")
            }
            throw LoadError(.wrongHeader, "the key file must begin with the line \"\(Self.fileHeader)\"")
        }
        let rest = text.utf8.dropFirst(header.utf8.count)
        guard let newline = rest.firstIndex(of: UInt8(ascii: "\n")) else {
            throw LoadError(.wrongLayout, "the key line of the key file must end with a newline")
        }
        guard rest.index(after: newline) == rest.endIndex else {
            throw LoadError(.wrongLayout, "the key file must hold exactly two lines: \"\(Self.fileHeader)\" and the key in base64")
        }
        let line = String(decoding: rest[..<newline], as: UTF8.self)
        if line.hasSuffix("\r") {
            throw LoadError(.wrongLayout, "the key file must use LF line ends, not CRLF")
        }
        // Only the canonical encoding is accepted, so one key has one file.
        guard let decoded = Data(base64Encoded: line), decoded.base64EncodedString() == line else {
            throw LoadError(.invalidBase64, "the key line of the key file is not valid base64")
        }
        try self.init(rawRepresentation: Array(decoded))
    }

    /// Why a key could not be loaded. Never contains key material.
    public typealias LoadError = CodedError<LoadErrorCode>

    public enum LoadErrorCode: String, Sendable, Hashable {
        case wrongHeader = "wrong-header"
        case wrongLayout = "wrong-layout"
        case invalidBase64 = "invalid-base64"
        case wrongLength = "wrong-length"
    }
}
