import Crypto

/// The rules of an OpenID Connect sign-in that need no network: the PKCE
/// challenge, and what an ID token's claims must
/// say (OpenID Connect Core 1.0 §3.1.3.7) before Blankett believes it. The
/// signature is checked by the adapter (jwt-kit) before these rules run.
public enum OpenIDConnect {
    /// PKCE's S256 challenge (RFC 7636 §4.2) for a code verifier (`SecretToken.random()`).
    public static func codeChallenge(for verifier: String) -> String {
        SecretToken.base64URL(Array(SHA256.hash(data: Array(verifier.utf8))))
    }

    /// The SHA-256 of an ID token, hex: what a signature records of the
    /// assertion it rests on, without keeping the token itself.
    public static func tokenDigest(_ idToken: String) -> String {
        Digest.sha256Hex(idToken.utf8)
    }
}

/// What an ID token asserts, as far as Blankett reads it.
public struct IDTokenClaims: Sendable, Equatable {
    public var issuer: String
    public var subject: String
    public var audiences: [String]
    public var authorizedParty: String?
    /// Seconds since 1970 (the JWT NumericDate).
    public var expiresAt: Int
    public var issuedAt: Int
    public var nonce: String?
    public var authenticatedAt: Int?
    public var authenticationContext: String?
    public var sessionID: String?
    /// The string claims, by name, for the organisation's identity claim
    /// (`email`, `upn`, an employee number, …).
    public var strings: [String: String]

    public init(issuer: String, subject: String, audiences: [String], authorizedParty: String? = nil, expiresAt: Int, issuedAt: Int,
                nonce: String? = nil, authenticatedAt: Int? = nil, authenticationContext: String? = nil, sessionID: String? = nil,
                strings: [String: String] = [:]) {
        self.issuer = issuer
        self.subject = subject
        self.audiences = audiences
        self.authorizedParty = authorizedParty
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.nonce = nonce
        self.authenticatedAt = authenticatedAt
        self.authenticationContext = authenticationContext
        self.sessionID = sessionID
        self.strings = strings
    }
}

/// What the claims must say for this sign-in.
public struct IDTokenRequirements: Sendable {
    public var issuer: String
    public var clientID: String
    /// The nonce sent with this authentication request.
    public var nonce: String
    /// Now, in seconds since 1970.
    public var now: Int
    /// Clock difference tolerated between Blankett and the provider.
    public var leewaySeconds = 120
    /// For a signature: the person must have authenticated at or after this
    /// moment (the sign request), not in an earlier single sign-on session.
    public var authenticatedNoEarlierThan: Int?
    /// For a signature: the assurance levels (`acr`) accepted; empty: any.
    public var acceptedContexts: [String] = []

    public init(issuer: String, clientID: String, nonce: String, now: Int) {
        self.issuer = issuer
        self.clientID = clientID
        self.nonce = nonce
        self.now = now
    }
}

/// Why an ID token was not believed: a code for the log and the API, a
/// Swedish sentence for the person.
public struct IDTokenProblem: Error, Sendable, Equatable {
    public enum Code: String, Sendable {
        case wrongIssuer = "wrong-issuer"
        case wrongAudience = "wrong-audience"
        case expired
        case issuedInTheFuture = "issued-in-the-future"
        case wrongNonce = "wrong-nonce"
        case staleAuthentication = "stale-authentication"
        case insufficientAssurance = "insufficient-assurance"
        case badSignature = "bad-signature"
        case unknownKey = "unknown-key"
        case malformed
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

extension IDTokenClaims {
    /// The first rule the claims break, or nil when they may be believed.
    public func problem(against requirements: IDTokenRequirements) -> IDTokenProblem? {
        let retry = "Försök logga in igen. Händer det igen, kontakta kommunens IT-avdelning."
        guard issuer == requirements.issuer else {
            return IDTokenProblem(.wrongIssuer, "Svaret kom inte från kommunens inloggningstjänst. \(retry)")
        }
        // The client must be an audience; any other audience needs azp naming us (Core §3.1.3.7, 3–5).
        guard audiences.contains(requirements.clientID),
              audiences.count == 1 || authorizedParty == requirements.clientID,
              authorizedParty.map({ $0 == requirements.clientID }) ?? true else {
            return IDTokenProblem(.wrongAudience, "Inloggningen var utfärdad för en annan tjänst än Blankett. \(retry)")
        }
        guard expiresAt + requirements.leewaySeconds > requirements.now else {
            return IDTokenProblem(.expired, "Inloggningen hann gå ut innan den kom fram. \(retry)")
        }
        guard issuedAt - requirements.leewaySeconds <= requirements.now else {
            return IDTokenProblem(.issuedInTheFuture, "Inloggningens tidsstämpel ligger i framtiden; klockorna går olika. \(retry)")
        }
        guard let nonce, SecretToken.equal(nonce, requirements.nonce) else {
            return IDTokenProblem(.wrongNonce, "Inloggningen hör inte till den här begäran. \(retry)")
        }
        if let earliest = requirements.authenticatedNoEarlierThan {
            guard let authenticatedAt, authenticatedAt + requirements.leewaySeconds >= earliest else {
                return IDTokenProblem(.staleAuthentication, "Underskriften kräver att du legitimerar dig på nytt, men inloggningstjänsten använde en tidigare inloggning. Försök igen.")
            }
        }
        if !requirements.acceptedContexts.isEmpty {
            guard let authenticationContext, requirements.acceptedContexts.contains(authenticationContext) else {
                return IDTokenProblem(.insufficientAssurance, "Underskriften kräver en e-legitimation med högre tillitsnivå än den du använde. Välj till exempel BankID eller SITHS-kort och försök igen.")
            }
        }
        return nil
    }
}
