import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// PBKDF2-HMAC-SHA256 password hashes, encoded
/// `pbkdf2-sha256$<rounds>$<salt base64>$<hash base64>` (standard base64 with
/// padding, a 32-byte hash).
///
/// The password is hashed as the UTF-8 bytes it is given in, without Unicode
/// normalisation: a caller that wants `å` typed on different keyboards to
/// match must normalise before calling.
public enum PasswordHash {
    /// The least that swift-crypto accepts without `unsafeUncheckedRounds`
    /// (OWASP's figure for PBKDF2-HMAC-SHA512; for SHA-256 OWASP asks 600 000,
    /// which `make(password:salt:rounds:)` accepts).
    public static let defaultRounds = 210_000
    /// Fewer rounds are refused even for tests: such a hash would be cheap to crack.
    public static let minimumRounds = 1_000
    /// More rounds are refused, so a tampered stored hash cannot make a login
    /// take minutes.
    public static let maximumRounds = 10_000_000
    /// The salt is random per password (16 bytes from `SystemRandomNumberGenerator`).
    public static let minimumSaltLength = 16

    static let scheme = "pbkdf2-sha256"
    static let hashLength = 32

    /// The encoded hash of `password`. `salt` is passed in because the core
    /// has no randomness of its own; give 16 fresh random bytes.
    /// The shortest password a person may choose.
    public static let minimumPasswordLength = 8

    /// 16 random bytes for a new hash's salt.
    public static func randomSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    public static func make(password: String, salt: [UInt8], rounds: Int = defaultRounds) throws(HashError) -> String {
        guard rounds >= minimumRounds, rounds <= maximumRounds else {
            throw HashError(.roundsOutOfRange, "PBKDF2 rounds must be between \(minimumRounds) and \(maximumRounds), not \(rounds)")
        }
        guard salt.count >= minimumSaltLength else {
            throw HashError(.saltTooShort, "the salt must be at least \(minimumSaltLength) bytes, not \(salt.count)")
        }
        guard let hash = derive(password: password, salt: salt, rounds: rounds) else {
            throw HashError(.derivationFailed, "PBKDF2 failed")
        }
        return [scheme, String(rounds), Data(salt).base64EncodedString(), Data(hash).base64EncodedString()]
            .joined(separator: "$")
    }

    /// Whether `password` matches `encoded`. `false`, never a crash, for an
    /// encoding that is malformed (other scheme, rounds out of range,
    /// non-canonical base64, a hash that is not 32 bytes).
    public static func verify(password: String, encoded: String) -> Bool {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == scheme,
              let rounds = rounds(parts[1]),
              let salt = canonicalBase64(parts[2]), !salt.isEmpty,
              let expected = canonicalBase64(parts[3]), expected.count == hashLength,
              let actual = derive(password: password, salt: salt, rounds: rounds) else { return false }
        return SecretToken.equal(actual, expected)
    }

    private static func derive(password: String, salt: [UInt8], rounds: Int) -> [UInt8]? {
        let key: SymmetricKey
        do {
            if rounds >= defaultRounds {
                key = try KDF.Insecure.PBKDF2.deriveKey(
                    from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: hashLength, rounds: rounds)
            } else {
                key = try KDF.Insecure.PBKDF2.deriveKey(
                    from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: hashLength,
                    unsafeUncheckedRounds: rounds)
            }
        } catch {
            return nil
        }
        return key.withUnsafeBytes { Array($0) }
    }

    /// Decimal digits without sign or leading zero, within the allowed range.
    private static func rounds(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 9, !text.hasPrefix("0"),
              text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let rounds = Int(text), rounds >= minimumRounds, rounds <= maximumRounds else { return nil }
        return rounds
    }

    /// Only the encoding `make` writes, so that one hash has one text.
    private static func canonicalBase64(_ text: Substring) -> [UInt8]? {
        guard let data = Data(base64Encoded: String(text)), data.base64EncodedString() == text else { return nil }
        return Array(data)
    }

    /// Why a hash could not be made.
    public typealias HashError = CodedError<HashErrorCode>

    public enum HashErrorCode: String, Sendable, Hashable {
        case roundsOutOfRange = "rounds-out-of-range"
        case saltTooShort = "salt-too-short"
        case derivationFailed = "derivation-failed"
    }
}
