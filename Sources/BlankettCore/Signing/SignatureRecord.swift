/// The facts a seal covers: who signed which snapshot of which case, when, and
/// in which order.
public struct SignatureRecord: Sendable, Hashable {
    /// Written into every seal message, so that a seal made for a signature
    /// can never be replayed as the seal of some other kind of document.
    public static let purpose = "blankett-signature-v1"

    public var caseID: String
    /// 1 = first signer, 2 = second.
    public var sequence: Int
    public var signerID: String
    public var signerName: String
    public var signerTitle: String
    /// UTC timestamp text as stored, e.g. `2021-01-04T09:15:00Z`. Kept as text
    /// so the sealed bytes never depend on how a date type formats itself.
    public var signedAt: String
    /// `CaseSnapshot.sha256Hex` of the signed snapshot.
    public var snapshotSHA256Hex: String
    /// What the organisation's identity provider asserted when the person
    /// signed through it (step-up); nil for a signature given with the
    /// Blankett password.
    public var assertion: SigningAssertion?

    public init(
        caseID: String,
        sequence: Int,
        signerID: String,
        signerName: String,
        signerTitle: String,
        signedAt: String,
        snapshotSHA256Hex: String,
        assertion: SigningAssertion? = nil
    ) {
        self.caseID = caseID
        self.sequence = sequence
        self.signerID = signerID
        self.signerName = signerName
        self.signerTitle = signerTitle
        self.signedAt = signedAt
        self.snapshotSHA256Hex = snapshotSHA256Hex
        self.assertion = assertion
    }

    /// The bytes that are sealed: `CanonicalJSON` of every property under its
    /// Swift name plus `"purpose": "blankett-signature-v1"`; the assertion
    /// only when there is one, so that earlier seals verify as they were made.
    public func sealMessage() -> [UInt8] {
        var members: [(String, JSONValue)] = [
            ("purpose", .string(Self.purpose)),
            ("caseID", .string(caseID)),
            ("sequence", JSONValue(sequence)),
            ("signerID", .string(signerID)),
            ("signerName", .string(signerName)),
            ("signerTitle", .string(signerTitle)),
            ("signedAt", .string(signedAt)),
            ("snapshotSHA256Hex", .string(snapshotSHA256Hex)),
        ]
        if let assertion { members.append(("assertion", assertion.json)) }
        return CanonicalJSON.bytes(.object(JSONObject(uniqueKeysWithValues: members)))
    }
}

/// An identity provider's word that the signer authenticated anew for the
/// signature: who said it, about whom, how strongly, when, and the digest of
/// the ID token that said it (the token itself is not kept).
public struct SigningAssertion: Sendable, Hashable {
    public var issuer: String
    public var subject: String
    public var authenticationContext: String?
    /// Seconds since 1970, as the provider asserted (`auth_time`).
    public var authenticatedAt: Int?
    public var idTokenSHA256Hex: String

    public init(issuer: String, subject: String, authenticationContext: String?, authenticatedAt: Int?, idTokenSHA256Hex: String) {
        self.issuer = issuer
        self.subject = subject
        self.authenticationContext = authenticationContext
        self.authenticatedAt = authenticatedAt
        self.idTokenSHA256Hex = idTokenSHA256Hex
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("issuer", .string(issuer)), ("subject", .string(subject)), ("idTokenSHA256Hex", .string(idTokenSHA256Hex))]
        if let authenticationContext { members.append(("authenticationContext", .string(authenticationContext))) }
        if let authenticatedAt { members.append(("authenticatedAt", JSONValue(authenticatedAt))) }
        return .object(JSONObject(uniqueKeysWithValues: members))
    }

    public init?(json: JSONValue) {
        guard let issuer = json["issuer"]?.stringValue, let subject = json["subject"]?.stringValue,
              let digest = json["idTokenSHA256Hex"]?.stringValue else { return nil }
        self.init(issuer: issuer, subject: subject, authenticationContext: json["authenticationContext"]?.stringValue,
                  authenticatedAt: json["authenticatedAt"]?.decimalValue.flatMap { $0.integerValue }.flatMap { Int(exactly: $0) },
                  idTokenSHA256Hex: digest)
    }

    /// For people: `loa3 via https://login.botkyrka.se, 2026-12-04 14:05 (svensk tid)`.
    public var summary: String {
        let level = authenticationContext.map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? "okänd tillitsnivå"
        let when = authenticatedAt.map { SwedishTime(secondsSinceEpoch: Int64($0)).description } ?? "okänd tid"
        return "legitimerad på nytt via \(issuer) (\(level)), \(when)"
    }
}
