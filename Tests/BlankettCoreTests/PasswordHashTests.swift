import BlankettCore
import Testing

/// PBKDF2-SHA256 password hashes: making, verifying, refusing malformed encodings.
@Suite struct PasswordHashTests {
    static let salt: [UInt8] = Array(0..<16)
    static let otherSalt: [UInt8] = Array(16..<32)

    @Test func theRightPasswordVerifiesAndAWrongOneDoesNot() throws {
        let encoded = try PasswordHash.make(password: "Sommar2021!", salt: Self.salt, rounds: 1_000)
        #expect(PasswordHash.verify(password: "Sommar2021!", encoded: encoded))
        #expect(!PasswordHash.verify(password: "sommar2021!", encoded: encoded))
        #expect(!PasswordHash.verify(password: "Sommar2021", encoded: encoded))
        #expect(!PasswordHash.verify(password: "", encoded: encoded))
    }

    @Test func theEncodingNamesSchemeRoundsAndSalt() throws {
        let encoded = try PasswordHash.make(password: "lösenord", salt: Self.salt, rounds: 1_000)
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        #expect(parts.count == 4)
        #expect(parts[0] == "pbkdf2-sha256")
        #expect(parts[1] == "1000")
        #expect(parts[2] == "AAECAwQFBgcICQoLDA0ODw==")
        #expect(parts[3].count == 44) // 32 bytes in base64
        #expect(try PasswordHash.make(password: "lösenord", salt: Self.salt, rounds: 1_000) == encoded)
    }

    /// RFC 7914 section 11 style vector for PBKDF2-HMAC-SHA256 (P "password", S "salt", c 4096).
    @Test func aHashMadeElsewhereVerifies() {
        let encoded = "pbkdf2-sha256$4096$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o="
        #expect(PasswordHash.verify(password: "password", encoded: encoded))
        #expect(!PasswordHash.verify(password: "passwort", encoded: encoded))
        #expect(!PasswordHash.verify(password: "password", encoded: encoded.replacing("$4096$", with: "$4097$")))
    }

    @Test func differentSaltsGiveDifferentEncodings() throws {
        let first = try PasswordHash.make(password: "Sommar2021!", salt: Self.salt, rounds: 1_000)
        let second = try PasswordHash.make(password: "Sommar2021!", salt: Self.otherSalt, rounds: 1_000)
        #expect(first != second)
        #expect(first.split(separator: "$").last != second.split(separator: "$").last)
        #expect(PasswordHash.verify(password: "Sommar2021!", encoded: second))
    }

    @Test func theDefaultRoundsAreUsedAndVerify() throws {
        #expect(PasswordHash.defaultRounds == 210_000)
        let encoded = try PasswordHash.make(password: "Sommar2021!", salt: Self.salt)
        #expect(encoded.hasPrefix("pbkdf2-sha256$210000$"))
        #expect(PasswordHash.verify(password: "Sommar2021!", encoded: encoded))
    }

    /// No Unicode normalisation: the same-looking `å` typed two ways is two passwords.
    @Test func passwordsAreHashedAsTheirUTF8Bytes() throws {
        let precomposed = "p\u{E5}ssword"
        let decomposed = "pa\u{30A}ssword"
        #expect(precomposed == decomposed) // equal as Swift strings …
        let encoded = try PasswordHash.make(password: precomposed, salt: Self.salt, rounds: 1_000)
        #expect(PasswordHash.verify(password: precomposed, encoded: encoded))
        #expect(!PasswordHash.verify(password: decomposed, encoded: encoded)) // … but not as bytes
    }

    static let valid = "pbkdf2-sha256$4096$c2FsdA==$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o="

    @Test(arguments: [
        "",
        "password",
        "pbkdf2-sha256",
        "pbkdf2-sha256$4096$c2FsdA==",
        valid + "$",
        "$" + valid,
        valid.replacing("pbkdf2-sha256", with: "pbkdf2-sha1"),
        valid.replacing("pbkdf2-sha256", with: "PBKDF2-SHA256"),
        valid.replacing("$4096$", with: "$$"),
        valid.replacing("$4096$", with: "$abc$"),
        valid.replacing("$4096$", with: "$04096$"),
        valid.replacing("$4096$", with: "$+4096$"),
        valid.replacing("$4096$", with: "$-4096$"),
        valid.replacing("$4096$", with: "$999$"),
        valid.replacing("$4096$", with: "$0$"),
        valid.replacing("$4096$", with: "$99999999999999999999$"),
        valid.replacing("$4096$", with: "$1000000000$"),
        valid.replacing("c2FsdA==", with: ""),
        valid.replacing("c2FsdA==", with: "c2FsdA"),
        valid.replacing("c2FsdA==", with: "c2Fsd!=="),
        valid.replacing("c2FsdA==", with: "c2FsdB=="),
        valid.replacing("xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=", with: ""),
        valid.replacing("xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=", with: "xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o"),
        valid.replacing("xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=", with: "xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qY"),
        valid.replacing("xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=", with: "xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o=AAAA"),
        valid + "\n",
    ])
    func malformedEncodingsNeverVerify(encoded: String) {
        #expect(!PasswordHash.verify(password: "password", encoded: encoded))
    }

    @Test(arguments: [-1, 0, 999])
    func fewerThanAThousandRoundsAreRefused(rounds: Int) {
        #expect(throws: PasswordHash.HashError.self) {
            try PasswordHash.make(password: "x", salt: Self.salt, rounds: rounds)
        }
    }

    @Test func aShortSaltIsRefused() {
        #expect(throws: PasswordHash.HashError.self) {
            try PasswordHash.make(password: "x", salt: Array(Self.salt.prefix(15)), rounds: 1_000)
        }
    }
}
