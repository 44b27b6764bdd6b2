import Crypto

/// A signature as the database layer stores it: the sealed record, the
/// snapshot it names (the evidence), the seal and the key that made it.
public struct StoredSignature: Sendable {
    public var record: SignatureRecord
    /// `CaseSnapshot.canonicalBytes()` at signing time.
    public var snapshotBytes: [UInt8]
    /// Ed25519 signature over `record.sealMessage()`.
    public var seal: [UInt8]
    /// The sealing key's public key (32 bytes).
    public var publicKey: [UInt8]

    public init(record: SignatureRecord, snapshotBytes: [UInt8], seal: [UInt8], publicKey: [UInt8]) {
        self.record = record
        self.snapshotBytes = snapshotBytes
        self.seal = seal
        self.publicKey = publicKey
    }
}

/// One reason a signature no longer holds.
///
/// `description` quotes changed answers and metadata: it is meant for the
/// people who may see the case, not for logs.
public enum SignatureProblem: Sendable, Hashable, CustomStringConvertible {
    /// The seal does not verify over the record with the stored public key.
    case sealInvalid
    /// The stored public key is not among the trusted keys.
    case untrustedKey(keyID: String)
    /// SHA-256 of the stored snapshot bytes is not the one in the record.
    case storedSnapshotAltered
    /// The stored snapshot matches its hash but cannot be read as a snapshot.
    case snapshotUnreadable
    /// A property of the case differs from the signed one: `caseID`,
    /// `organisationID`, `organisationName`, `organisationsnummer`, `roundID`,
    /// `formID`, `formSHA256`, or `period` (written `2020-01-01/2020-12-31`).
    case metadataChanged(field: String, signed: String, now: String)
    /// The current answers differ from the signed ones.
    case answerChanged(AnswerChange)

    public var description: String {
        switch self {
        case .sealInvalid:
            "the seal does not verify over the signature record with the stored public key"
        case .untrustedKey(let keyID):
            "the signature was sealed with key \(keyID), which is not among the trusted keys"
        case .storedSnapshotAltered:
            "the stored snapshot does not match the SHA-256 sealed in the signature record"
        case .snapshotUnreadable:
            "the stored snapshot cannot be read as a case snapshot"
        case .metadataChanged(let field, let signed, let now):
            "\(field) changed from \(Self.quoted(signed)) to \(Self.quoted(now))"
        case .answerChanged(let change):
            "answer \(change.path)\(change.label.map { " (\($0))" } ?? "") changed from \(Self.shown(change.before)) to \(Self.shown(change.after))"
        }
    }

    /// Text in quotes, escaped so that the description stays one line.
    private static func quoted(_ text: String) -> String {
        "\"\(JSONValue.escaped(text))\""
    }

    /// Strings and numbers in quotes (`"48"`), other values as compact JSON.
    private static func shown(_ value: JSONValue?) -> String {
        switch value {
        case .none, .some(.null): "no answer"
        case .some(.string(let text)): quoted(text)
        case .some(.number(let text)): quoted(text)
        case .some(let value): value.serialized()
        }
    }
}

/// The result of checking one stored signature.
public struct SignatureVerdict: Sendable, Hashable {
    public var sequence: Int
    public var signerName: String
    /// Every problem found, in this order: seal, key, stored snapshot,
    /// metadata, answers (in the form's order).
    public var problems: [SignatureProblem]
    /// The identity provider's assertion the signature rests on, if any (sealed with it).
    public var assertion: SigningAssertion?
    public var isValid: Bool { problems.isEmpty }

    public init(sequence: Int, signerName: String, problems: [SignatureProblem], assertion: SigningAssertion? = nil) {
        self.sequence = sequence
        self.signerName = signerName
        self.problems = problems
        self.assertion = assertion
    }
}

/// Checks stored signatures against the case as it is now.
public enum SignatureVerifier {
    /// Checks one stored signature against the case as it is now. Every
    /// problem is reported, not only the first.
    ///
    /// The answers and metadata are compared only when the stored snapshot is
    /// the signed one (its SHA-256 matches the record): against altered bytes
    /// a comparison would present unsigned values as the signed ones.
    public static func verify(
        _ signature: StoredSignature, current: CaseSnapshot, trustedPublicKeys: [[UInt8]], definition: FormDefinition?
    ) -> SignatureVerdict {
        let record = signature.record
        var problems: [SignatureProblem] = []
        if !SealingKey.isValidSeal(signature.seal, for: record, publicKey: signature.publicKey) {
            problems.append(.sealInvalid)
        }
        if !trustedPublicKeys.contains(signature.publicKey) {
            problems.append(.untrustedKey(keyID: SealingKey.keyID(forPublicKey: signature.publicKey)))
        }
        let storedHash = Hex.encode(SHA256.hash(data: signature.snapshotBytes))
        var signed: CaseSnapshot?
        if storedHash != record.snapshotSHA256Hex {
            problems.append(.storedSnapshotAltered)
        } else if let snapshot = try? CaseSnapshot(canonicalBytes: signature.snapshotBytes) {
            signed = snapshot
        } else {
            problems.append(.snapshotUnreadable)
        }
        // The sealed record names the case even when the snapshot is unusable.
        var metadata: [SignatureProblem] = []
        if record.caseID != current.caseID {
            metadata.append(.metadataChanged(field: "caseID", signed: record.caseID, now: current.caseID))
        }
        if let signed {
            for problem in metadataChanges(from: signed, to: current) where !metadata.contains(problem) {
                metadata.append(problem)
            }
        }
        problems += metadata
        if let signed {
            problems += AnswerDiff.changes(from: signed.answers, to: current.answers, definition: definition)
                .map(SignatureProblem.answerChanged)
        }
        return SignatureVerdict(sequence: record.sequence, signerName: record.signerName, problems: problems, assertion: record.assertion)
    }

    private static func metadataChanges(from signed: CaseSnapshot, to current: CaseSnapshot) -> [SignatureProblem] {
        func period(_ snapshot: CaseSnapshot) -> String { "\(snapshot.periodStart)/\(snapshot.periodEnd)" }
        let fields: [(name: String, signed: String, now: String)] = [
            ("caseID", signed.caseID, current.caseID),
            ("organisationID", signed.organisationID, current.organisationID),
            ("organisationName", signed.organisationName, current.organisationName),
            ("organisationsnummer", signed.organisationsnummer, current.organisationsnummer),
            ("roundID", signed.roundID, current.roundID),
            ("formID", signed.formID, current.formID),
            ("formSHA256", signed.formSHA256, current.formSHA256),
            ("period", period(signed), period(current)),
        ]
        return fields
            .filter { $0.signed != $0.now }
            .map { SignatureProblem.metadataChanged(field: $0.name, signed: $0.signed, now: $0.now) }
    }
}
