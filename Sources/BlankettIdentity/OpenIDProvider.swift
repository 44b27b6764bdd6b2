import BlankettCore
import Foundation
import JWTKit
import Logging

/// One OpenID Provider as a relying party sees it: its discovery document
/// and signing keys (fetched, cached, re-fetched once when a token names a
/// key the cache lacks), the token endpoint, and the ID token's signature
/// (jwt-kit) followed by Blankett's own claim rules (`IDTokenClaims.problem`).
public actor OpenIDProvider {
    /// What the discovery document says (OpenID Connect Discovery 1.0 §3).
    public struct Metadata: Sendable, Decodable {
        public let issuer: String
        public let authorizationEndpoint: String
        public let tokenEndpoint: String
        public let jwksURI: String
        public let endSessionEndpoint: String?
        public let acrValuesSupported: [String]?

        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
            case endSessionEndpoint = "end_session_endpoint"
            case acrValuesSupported = "acr_values_supported"
        }
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public let issuer: String
    private let http: CurlHTTPClient
    private var metadata: Metadata?
    private var keys: (collection: JWTKeyCollection, ids: Set<String>, fetchedAt: ContinuousClock.Instant)?
    /// Counts JWKS downloads, for the tests of key rotation.
    public private(set) var keySetFetches = 0
    /// A token naming an unknown key causes at most one download per this interval.
    public var refetchInterval: Duration = .seconds(10)

    public func setRefetchInterval(_ interval: Duration) {
        refetchInterval = interval
    }

    public init(issuer: String, http: CurlHTTPClient = CurlHTTPClient()) {
        self.issuer = issuer
        self.http = http
    }

    /// The discovery document, fetched once; its `issuer` must be the one configured.
    public func discover() async throws -> Metadata {
        if let metadata { return metadata }
        let url = issuer.hasSuffix("/") ? issuer + ".well-known/openid-configuration" : issuer + "/.well-known/openid-configuration"
        let response = try await http.get(url)
        guard response.status == 200 else { throw Failure(message: "discovery answered HTTP \(response.status)") }
        let found: Metadata
        do {
            found = try JSONDecoder().decode(Metadata.self, from: Data(response.body))
        } catch {
            throw Failure(message: "the discovery document cannot be read: \(error)")
        }
        guard found.issuer == issuer else { throw Failure(message: "the discovery document names another issuer") }
        for endpoint in [found.authorizationEndpoint, found.tokenEndpoint, found.jwksURI] where !http.permits(endpoint) {
            throw Failure(message: "the provider's endpoint is not https: \(endpoint.prefix(200))")
        }
        metadata = found
        return found
    }

    /// The tokens of an authorization code (RFC 6749 §4.1.3, with PKCE's verifier).
    public func exchange(code: String, codeVerifier: String, redirectURI: String, clientID: String, clientSecret: String) async throws -> String {
        let metadata = try await discover()
        let response = try await http.postForm(metadata.tokenEndpoint, [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", codeVerifier),
        ], basicAuth: (clientID, clientSecret))
        struct Tokens: Decodable {
            let idToken: String?
            let error: String?
            enum CodingKeys: String, CodingKey {
                case idToken = "id_token"
                case error
            }
        }
        let tokens = try? JSONDecoder().decode(Tokens.self, from: Data(response.body))
        guard response.status == 200, let idToken = tokens?.idToken else {
            throw Failure(message: "the token endpoint answered HTTP \(response.status)\(tokens?.error.map { ": \($0.prefix(80))" } ?? "")")
        }
        return idToken
    }

    /// The claims of a signed ID token, or why it is not believed.
    public func verify(_ idToken: String, requirements: IDTokenRequirements) async throws -> Result<IDTokenClaims, IDTokenProblem> {
        let header: JWTHeader
        do {
            header = try DefaultJWTParser().parse(Array(idToken.utf8), as: IDTokenPayload.self).header
        } catch {
            return .failure(IDTokenProblem(.malformed, "Svaret från inloggningstjänsten gick inte att läsa. Försök igen."))
        }
        guard let algorithm = header.alg, ["RS256", "ES256"].contains(algorithm) else {
            return .failure(IDTokenProblem(.badSignature, "Inloggningen var inte undertecknad på ett sätt som Blankett godtar."))
        }
        guard let kid = header.kid else {
            return .failure(IDTokenProblem(.unknownKey, "Inloggningen saknar uppgift om nyckel. Kontakta kommunens IT-avdelning."))
        }
        var keys = try await signingKeys(refresh: false)
        if !keys.ids.contains(kid), keys.fetchedAt.duration(to: .now) >= refetchInterval {
            // The provider may have rotated its keys since they were fetched.
            keys = try await signingKeys(refresh: true)
        }
        guard keys.ids.contains(kid) else {
            return .failure(IDTokenProblem(.unknownKey, "Inloggningen är undertecknad med en nyckel som kommunens inloggningstjänst inte publicerar."))
        }
        let payload: IDTokenPayload
        do {
            payload = try await keys.collection.verify(idToken, as: IDTokenPayload.self)
        } catch {
            return .failure(IDTokenProblem(.badSignature, "Inloggningens underskrift stämmer inte. Försök igen; händer det igen, kontakta kommunens IT-avdelning."))
        }
        let claims = payload.claims
        if let problem = claims.problem(against: requirements) { return .failure(problem) }
        return .success(claims)
    }

    private func signingKeys(refresh: Bool) async throws -> (collection: JWTKeyCollection, ids: Set<String>, fetchedAt: ContinuousClock.Instant) {
        if !refresh, let keys { return keys }
        let metadata = try await discover()
        let response = try await http.get(metadata.jwksURI)
        guard response.status == 200 else { throw Failure(message: "the JWKS answered HTTP \(response.status)") }
        keySetFetches += 1
        let collection = JWTKeyCollection()
        let ids: Set<String>
        do {
            let set = try JSONDecoder().decode(JWKS.self, from: Data(response.body))
            // Only signing keys of the accepted kinds, each under its own id.
            let usable = set.keys.filter { key in
                key.keyIdentifier != nil && (key.keyType == .rsa || key.keyType == .ecdsa)
            }
            try await collection.add(jwks: JWKS(keys: usable))
            ids = Set(usable.compactMap { $0.keyIdentifier?.string })
        } catch {
            throw Failure(message: "the JWKS cannot be read: \(error)")
        }
        let fetched = (collection, ids, ContinuousClock.now)
        keys = fetched
        return fetched
    }
}

/// An ID token's payload for jwt-kit: every claim Blankett reads, and the
/// string claims by name. The rules are `IDTokenClaims.problem`, so `verify`
/// here checks nothing beyond the signature jwt-kit has checked.
struct IDTokenPayload: JWTPayload {
    let claims: IDTokenClaims

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        func string(_ name: String) -> String? { try? container.decodeIfPresent(String.self, forKey: Key(stringValue: name)) }
        func number(_ name: String) -> Int? {
            if let value = try? container.decodeIfPresent(Int.self, forKey: Key(stringValue: name)) { return value }
            return (try? container.decodeIfPresent(Double.self, forKey: Key(stringValue: name))).flatMap { $0.map { Int($0) } }
        }
        let audiences = string("aud").map { [$0] } ?? (try? container.decodeIfPresent([String].self, forKey: Key(stringValue: "aud"))) ?? nil ?? []
        var strings: [String: String] = [:]
        for key in container.allKeys {
            if let value = try? container.decode(String.self, forKey: key) { strings[key.stringValue] = value }
        }
        guard let issuer = string("iss"), let subject = string("sub"), let expiresAt = number("exp"), let issuedAt = number("iat") else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "an ID token needs iss, sub, exp and iat"))
        }
        claims = IDTokenClaims(issuer: issuer, subject: subject, audiences: audiences, authorizedParty: string("azp"),
                               expiresAt: expiresAt, issuedAt: issuedAt, nonce: string("nonce"), authenticatedAt: number("auth_time"),
                               authenticationContext: string("acr"), sessionID: string("sid"), strings: strings)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (name, value) in claims.strings { try container.encode(value, forKey: Key(stringValue: name)) }
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
