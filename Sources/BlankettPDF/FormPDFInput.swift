import BlankettCore

/// Everything needed to print one case's form: the definition it was started
/// on, its answers as stored, the period and round that decide relevance and
/// computed values, who it belongs to and who has signed it.
public struct FormPDFInput: Sendable {
    public var definition: FormDefinition
    /// The answers as stored (strings as typed; computed values present).
    public var answers: JSONValue
    /// Period and round inputs: relevance and computed values.
    public var context: ValidationContext
    public var organisationName: String
    public var organisationsnummer: String
    /// The nämnd's diarienummer of the case, e.g. `SN 2021:1`.
    public var namndDiarienummer: String?
    /// The authority's diarienummer, once the receipt has come back.
    public var authorityDiarienummer: String?
    /// Signatures in signing order; empty for a draft print.
    public var signatures: [SignatureLine]
    /// The authority and round facts the form's texts name (`{authority.email}`).
    public var texts: FormTexts
    /// Where and by when it is sent: "stockholm@lansstyrelsen.se, senast 15 januari 2021".
    public var sendTo: String?

    public init(
        definition: FormDefinition,
        answers: JSONValue,
        context: ValidationContext,
        organisationName: String,
        organisationsnummer: String,
        namndDiarienummer: String? = nil,
        authorityDiarienummer: String? = nil,
        signatures: [SignatureLine] = [],
        texts: FormTexts = .none,
        sendTo: String? = nil
    ) {
        self.texts = texts
        self.sendTo = sendTo
        self.definition = definition
        self.answers = answers
        self.context = context
        self.organisationName = organisationName
        self.organisationsnummer = organisationsnummer
        self.namndDiarienummer = namndDiarienummer
        self.authorityDiarienummer = authorityDiarienummer
        self.signatures = signatures
    }
}

/// One signature as printed in the signature block.
public struct SignatureLine: Sendable {
    public var sequence: Int
    public var name: String
    public var title: String
    /// UTC, ISO 8601: `2021-01-04T09:15:00Z`.
    public var signedAt: String
    /// SHA-256 of the signed snapshot, lower-case hex.
    public var snapshotSHA256Hex: String
    public var verificationCode: String
    /// How the signer authenticated for the signature, when through the
    /// organisation's identity provider (`SigningAssertion.summary`).
    public var authentication: String?

    public init(sequence: Int, name: String, title: String, signedAt: String, snapshotSHA256Hex: String, verificationCode: String,
                authentication: String? = nil) {
        self.authentication = authentication
        self.sequence = sequence
        self.name = name
        self.title = title
        self.signedAt = signedAt
        self.snapshotSHA256Hex = snapshotSHA256Hex
        self.verificationCode = verificationCode
    }
}
