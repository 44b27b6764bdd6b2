#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One case as a kommun's e-arkiv takes it in: the PDFs as they were sent
/// (the form with its PAdES signatures, the decision), the messages as sent
/// (.eml), the audit trail, each signature's sealed snapshot as JSON, and a
/// manifest with SHA-256 sums that `sha256sum -c SHA256SUMS` checks.
/// Pure: the repository reads the parts, the command line writes the files.
public struct CaseArchive: Sendable {
    public struct Document: Sendable {
        public var outboxID: Int
        /// `form` or `decision`.
        public var kind: String
        public var filename: String
        public var content: [UInt8]
        public var createdAt: String

        public init(outboxID: Int, kind: String, filename: String, content: [UInt8], createdAt: String) {
            self.outboxID = outboxID
            self.kind = kind
            self.filename = filename
            self.content = content
            self.createdAt = createdAt
        }
    }

    public struct Message: Sendable {
        public var outboxID: Int
        public var kind: String
        public var subject: String
        /// queued, sending, sent or failed.
        public var status: String
        public var createdAt: String
        public var sentAt: String?
        /// The RFC 5322 message, byte for byte as handed to the SMTP server.
        public var bytes: [UInt8]

        public init(outboxID: Int, kind: String, subject: String, status: String, createdAt: String, sentAt: String?, bytes: [UInt8]) {
            self.outboxID = outboxID
            self.kind = kind
            self.subject = subject
            self.status = status
            self.createdAt = createdAt
            self.sentAt = sentAt
            self.bytes = bytes
        }
    }

    public struct Signature: Sendable {
        public var id: Int
        public var sequence: Int
        public var signerName: String
        public var signerTitle: String
        public var signedAt: String
        /// The canonical JSON the seal covers, as stored.
        public var snapshot: [UInt8]
        public var snapshotSHA256Hex: String
        public var seal: [UInt8]
        public var publicKey: [UInt8]
        /// A signature voided when the case was returned stays in the record.
        public var voided: Bool
        public var assertion: JSONValue?

        public init(id: Int, sequence: Int, signerName: String, signerTitle: String, signedAt: String, snapshot: [UInt8],
                    snapshotSHA256Hex: String, seal: [UInt8], publicKey: [UInt8], voided: Bool, assertion: JSONValue?) {
            self.id = id
            self.sequence = sequence
            self.signerName = signerName
            self.signerTitle = signerTitle
            self.signedAt = signedAt
            self.snapshot = snapshot
            self.snapshotSHA256Hex = snapshotSHA256Hex
            self.seal = seal
            self.publicKey = publicKey
            self.voided = voided
            self.assertion = assertion
        }
    }

    public struct File: Sendable, Equatable {
        /// Relative, with `/` between folders.
        public var path: String
        public var bytes: [UInt8]
    }

    public var record: CaseRecord
    public var documents: [Document]
    public var messages: [Message]
    public var signatures: [Signature]
    public var events: [CaseEvent]

    public init(record: CaseRecord, documents: [Document], messages: [Message], signatures: [Signature], events: [CaseEvent]) {
        self.record = record
        self.documents = documents
        self.messages = messages
        self.signatures = signatures
        self.events = events
    }

    /// The manifest's name for the layout, for whoever reads an archive later.
    public static let format = "blankett-arkiv/1"

    /// Every file of the set, `manifest.json` and `SHA256SUMS` last.
    public func files(exportedAt: String) -> [File] {
        var files: [(file: File, description: String)] = []
        let names = documents.map(\.filename)
        for document in documents {
            // A form sent again after a return has the same name as the first one.
            let path = names.filter { $0 == document.filename }.count > 1 ? "\(document.outboxID)-\(document.filename)" : document.filename
            let description = document.kind == "form" ? "Blanketten som skickades, med underskrifter (PAdES)" : "Nämndens beslut (protokollsutdrag)"
            files.append((File(path: path, bytes: document.content), "\(description), \(document.createdAt)"))
        }
        for (index, message) in messages.enumerated() {
            let path = "mail/\(index + 1 < 10 ? "0" : "")\(index + 1)-\(message.kind).eml"
            let when = message.sentAt.map { "skickat \($0)" } ?? "inte skickat (\(message.status))"
            files.append((File(path: path, bytes: message.bytes), "E-post: \(message.subject), \(when)"))
        }
        var signatureEntries: [JSONValue] = []
        for signature in signatures {
            let path = "underskrifter/\(signature.id)-underskrift-\(signature.sequence)-underlag.json"
            files.append((File(path: path, bytes: signature.snapshot),
                          "Underlaget som underskrift \(signature.sequence) (\(signature.signerName)) förseglade\(signature.voided ? ", makulerad" : "")"))
            var entry: [(String, JSONValue)] = [
                ("sequence", .number(String(signature.sequence))),
                ("signer", .string(signature.signerName)),
                ("title", .string(signature.signerTitle)),
                ("signedAt", .string(signature.signedAt)),
                ("snapshot", .string(path)),
                ("snapshotSHA256", .string(signature.snapshotSHA256Hex)),
                ("verificationCode", .string(VerificationCode.make(snapshotSHA256Hex: signature.snapshotSHA256Hex))),
                ("sealEd25519", .string(Data(signature.seal).base64EncodedString())),
                ("publicKeyEd25519", .string(Data(signature.publicKey).base64EncodedString())),
                ("voided", .bool(signature.voided)),
            ]
            if let assertion = signature.assertion { entry.append(("identityProvider", assertion)) }
            signatureEntries.append(.object(JSONObject(uniqueKeysWithValues: entry)))
        }
        files.append((File(path: "underskrifter.json", bytes: Array((JSONValue.array(signatureEntries).prettyPrinted() + "\n").utf8)),
                      "Underskrifterna: vem, när, sigill och kontrollkod"))
        let trail = events.map { event -> JSONValue in
            var entry: [(String, JSONValue)] = [("id", .number(String(event.id))), ("at", .string(event.at)),
                                                ("actor", .string(event.actorName)), ("kind", .string(event.kind))]
            if let from = event.fromState { entry.append(("from", .string(from.rawValue))) }
            if let to = event.toState { entry.append(("to", .string(to.rawValue))) }
            if let comment = event.comment { entry.append(("comment", .string(comment))) }
            if event.details != .object(JSONObject()) { entry.append(("details", event.details)) }
            return .object(JSONObject(uniqueKeysWithValues: entry))
        }
        files.append((File(path: "handelser.json", bytes: Array((JSONValue.array(trail).prettyPrinted() + "\n").utf8)),
                      "Ärendets händelser (granskningsspår), äldst först"))

        let manifest = JSONValue.object(JSONObject(uniqueKeysWithValues: [
            ("format", .string(Self.format)),
            ("exportedAt", .string(exportedAt)),
            ("case", caseFacts),
            ("files", .array(files.map { entry in
                .object(JSONObject(uniqueKeysWithValues: [
                    ("path", .string(entry.file.path)),
                    ("sha256", .string(Digest.sha256Hex(entry.file.bytes))),
                    ("bytes", .number(String(entry.file.bytes.count))),
                    ("description", .string(entry.description)),
                ]))
            })),
        ]))
        var result = files.map(\.file)
        result.append(File(path: "manifest.json", bytes: Array((manifest.prettyPrinted() + "\n").utf8)))
        let sums = result.map { "\(Digest.sha256Hex($0.bytes))  \($0.path)\n" }.joined()
        result.append(File(path: "SHA256SUMS", bytes: Array(sums.utf8)))
        return result
    }

    private var caseFacts: JSONValue {
        var facts: [(String, JSONValue)] = [
            ("id", .string(record.id.description)),
            ("organisation", .string(record.organisationName)),
            ("organisationsnummer", .string(record.organisationsnummer)),
            ("grant", .string(record.grantName)),
            ("round", .string(record.roundTitle)),
            ("form", .string(record.formID)),
            ("formSHA256", .string(record.formSHA256)),
            ("periodStart", .string(record.periodStart.description)),
            ("periodEnd", .string(record.periodEnd.description)),
            ("state", .string(record.state.rawValue)),
            ("authority", .string(record.authorityName)),
            ("authorityEmail", .string(record.authorityEmail)),
        ]
        if let number = record.workflow.namndDiarienummer { facts.append(("namndDiarienummer", .string(number.formatted))) }
        if let number = record.workflow.authorityDiarienummer { facts.append(("authorityDiarienummer", .string(number.formatted))) }
        return .object(JSONObject(uniqueKeysWithValues: facts))
    }
}
