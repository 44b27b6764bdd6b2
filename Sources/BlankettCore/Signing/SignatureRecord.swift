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

    public init(
        caseID: String,
        sequence: Int,
        signerID: String,
        signerName: String,
        signerTitle: String,
        signedAt: String,
        snapshotSHA256Hex: String
    ) {
        self.caseID = caseID
        self.sequence = sequence
        self.signerID = signerID
        self.signerName = signerName
        self.signerTitle = signerTitle
        self.signedAt = signedAt
        self.snapshotSHA256Hex = snapshotSHA256Hex
    }

    /// The bytes that are sealed: `CanonicalJSON` of every property under its
    /// Swift name plus `"purpose": "blankett-signature-v1"`.
    public func sealMessage() -> [UInt8] {
        CanonicalJSON.bytes(.object(JSONObject(uniqueKeysWithValues: [
            ("purpose", .string(Self.purpose)),
            ("caseID", .string(caseID)),
            ("sequence", JSONValue(sequence)),
            ("signerID", .string(signerID)),
            ("signerName", .string(signerName)),
            ("signerTitle", .string(signerTitle)),
            ("signedAt", .string(signedAt)),
            ("snapshotSHA256Hex", .string(snapshotSHA256Hex)),
        ])))
    }
}
