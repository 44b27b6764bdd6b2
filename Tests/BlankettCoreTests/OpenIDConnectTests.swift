import BlankettCore
import Testing

/// The rules an ID token's claims must meet, and the random values of a sign-in.
struct OpenIDConnectTests {
    static let now = 1_800_000_000
    static let requirements = IDTokenRequirements(issuer: "https://login.botkyrka.se", clientID: "blankett", nonce: "n-0S6_WzA2Mj", now: now)

    static func claims() -> IDTokenClaims {
        IDTokenClaims(issuer: "https://login.botkyrka.se", subject: "248289761001", audiences: ["blankett"], expiresAt: now + 300, issuedAt: now - 5,
                      nonce: "n-0S6_WzA2Mj", authenticatedAt: now - 10, authenticationContext: "http://id.elegnamnden.se/loa/1.0/loa3",
                      strings: ["email": "jennifer.gavin@botkyrka.se"])
    }

    @Test func aGoodTokenPasses() {
        #expect(Self.claims().problem(against: Self.requirements) == nil)
    }

    @Test func eachBrokenRuleHasItsCode() {
        func code(_ change: (inout IDTokenClaims) -> Void, _ requirements: IDTokenRequirements = Self.requirements) -> IDTokenProblem.Code? {
            var claims = Self.claims()
            change(&claims)
            return claims.problem(against: requirements)?.code
        }
        #expect(code { $0.issuer = "https://evil.example" } == .wrongIssuer)
        #expect(code { $0.audiences = ["another-app"] } == .wrongAudience)
        #expect(code { $0.audiences = ["blankett", "another-app"] } == .wrongAudience, "several audiences need azp = us")
        #expect(code { $0.audiences = ["blankett", "another-app"]; $0.authorizedParty = "blankett" } == nil)
        #expect(code { $0.authorizedParty = "another-app" } == .wrongAudience)
        #expect(code { $0.expiresAt = Self.now - 121 } == .expired)
        #expect(code { $0.expiresAt = Self.now - 60 } == nil, "two minutes of clock difference are tolerated")
        #expect(code { $0.issuedAt = Self.now + 600 } == .issuedInTheFuture)
        #expect(code { $0.nonce = nil } == .wrongNonce)
        #expect(code { $0.nonce = "n-0S6_WzA2Mk" } == .wrongNonce)

        var signing = Self.requirements
        signing.authenticatedNoEarlierThan = Self.now
        signing.acceptedContexts = ["http://id.elegnamnden.se/loa/1.0/loa3", "http://id.elegnamnden.se/loa/1.0/loa4"]
        #expect(code({ _ in }, signing) == nil)
        #expect(code({ $0.authenticatedAt = Self.now - 3600 }, signing) == .staleAuthentication, "an earlier single sign-on is no signature")
        #expect(code({ $0.authenticatedAt = nil }, signing) == .staleAuthentication)
        #expect(code({ $0.authenticationContext = "http://id.elegnamnden.se/loa/1.0/loa2" }, signing) == .insufficientAssurance)
        #expect(code({ $0.authenticationContext = nil }, signing) == .insufficientAssurance)
    }

    /// RFC 7636 appendix B: the verifier and challenge of the specification's example.
    @Test func thePKCEChallengeIsTheSpecificationsOwn() {
        #expect(OpenIDConnect.codeChallenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test func secretTokensAreUnpaddedBase64URLOf256Bits() {
        let tokens = (0..<200).map { _ in SecretToken.random() }
        #expect(Set(tokens).count == 200)
        #expect(tokens.allSatisfy { $0.count == 43 && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } })
        // RFC 4648 §10's test vectors, without padding.
        #expect(["", "f", "fo", "foo", "foob", "fooba", "foobar"].map { SecretToken.base64URL(Array($0.utf8)) }
                == ["", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"])
        #expect(SecretToken.base64URL([0xFB, 0xFF]) == "-_8")
        #expect(SecretToken.equal("abc", "abc") && !SecretToken.equal("abc", "abd") && !SecretToken.equal("abc", "abcd"))
    }
}
