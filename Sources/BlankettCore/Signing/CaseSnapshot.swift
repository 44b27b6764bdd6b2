import Crypto

/// What a signature freezes: the case's identity, the organisation, the form
/// version (by the SHA-256 of its definition file) and the answers.
///
/// `canonicalBytes()` is the stored evidence and `sha256Hex` is what a
/// `SignatureRecord` seals; `init(canonicalBytes:)` reads the evidence back.
public struct CaseSnapshot: Sendable, Hashable {
    /// Marks the byte format, so that bytes of another document (or of a later
    /// version of this one) are never taken for a snapshot.
    public static let format = "blankett-snapshot-v1"

    public var caseID: String
    public var organisationID: String
    public var organisationName: String
    public var organisationsnummer: String
    public var roundID: String
    /// The form version, e.g. `po-redovisning-2020`.
    public var formID: String
    /// Lowercase hex SHA-256 of the definition file's text.
    public var formSHA256: String
    public var periodStart: LocalDate
    public var periodEnd: LocalDate
    /// The answers exactly as stored, numbers with their literal text.
    public var answers: JSONValue

    public init(
        caseID: String,
        organisationID: String,
        organisationName: String,
        organisationsnummer: String,
        roundID: String,
        formID: String,
        formSHA256: String,
        periodStart: LocalDate,
        periodEnd: LocalDate,
        answers: JSONValue
    ) {
        self.caseID = caseID
        self.organisationID = organisationID
        self.organisationName = organisationName
        self.organisationsnummer = organisationsnummer
        self.roundID = roundID
        self.formID = formID
        self.formSHA256 = formSHA256
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.answers = answers
    }

    /// `CanonicalJSON` of one object holding every property under its Swift
    /// name (dates as `YYYY-MM-DD`) plus `"format": "blankett-snapshot-v1"`.
    public func canonicalBytes() -> [UInt8] {
        CanonicalJSON.bytes(.object(JSONObject(uniqueKeysWithValues: [
            ("format", .string(Self.format)),
            ("caseID", .string(caseID)),
            ("organisationID", .string(organisationID)),
            ("organisationName", .string(organisationName)),
            ("organisationsnummer", .string(organisationsnummer)),
            ("roundID", .string(roundID)),
            ("formID", .string(formID)),
            ("formSHA256", .string(formSHA256)),
            ("periodStart", .string(periodStart.description)),
            ("periodEnd", .string(periodEnd.description)),
            ("answers", answers),
        ])))
    }

    /// SHA-256 of `canonicalBytes()`, lowercase hex.
    public var sha256Hex: String {
        Hex.encode(SHA256.hash(data: canonicalBytes()))
    }

    /// Reads bytes written by `canonicalBytes()`. Anything else is refused,
    /// including the same content in another byte form (white space, other key
    /// order): the bytes are hashed, so only the canonical form is evidence.
    public init(canonicalBytes bytes: [UInt8]) throws(ReadError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw ReadError(.notJSON, "a case snapshot must be JSON: \(error.message)")
        }
        guard case .object(let object) = value else {
            throw ReadError(.notAnObject, "a case snapshot must be a JSON object")
        }
        guard object["format"] == .string(Self.format) else {
            throw ReadError(.unknownFormat, "a case snapshot must have \"format\": \"\(Self.format)\"")
        }
        let known: Set<String> = [
            "format", "caseID", "organisationID", "organisationName", "organisationsnummer", "roundID",
            "formID", "formSHA256", "periodStart", "periodEnd", "answers",
        ]
        if let unknown = object.keys.first(where: { !known.contains($0) }) {
            throw ReadError(.unknownField, "a case snapshot has no field \"\(JSONValue.escaped(String(unknown.prefix(40))))\"")
        }
        func text(_ key: String) throws(ReadError) -> String {
            guard let member = object[key] else { throw ReadError(.missingField, "the case snapshot lacks \"\(key)\"") }
            guard case .string(let text) = member else { throw ReadError(.wrongType, "\"\(key)\" of a case snapshot must be a string") }
            return text
        }
        func date(_ key: String) throws(ReadError) -> LocalDate {
            guard let date = LocalDate(iso: try text(key)) else {
                throw ReadError(.invalidDate, "\"\(key)\" of a case snapshot must be a date YYYY-MM-DD")
            }
            return date
        }
        guard let answers = object["answers"] else { throw ReadError(.missingField, "the case snapshot lacks \"answers\"") }
        self.init(
            caseID: try text("caseID"),
            organisationID: try text("organisationID"),
            organisationName: try text("organisationName"),
            organisationsnummer: try text("organisationsnummer"),
            roundID: try text("roundID"),
            formID: try text("formID"),
            formSHA256: try text("formSHA256"),
            periodStart: try date("periodStart"),
            periodEnd: try date("periodEnd"),
            answers: answers
        )
        guard canonicalBytes() == bytes else {
            throw ReadError(.notCanonical, "a case snapshot must be in canonical form (compact, keys sorted)")
        }
    }

    /// Why bytes are not a case snapshot. Messages name fields, never values
    /// (answers may be personal data).
    public typealias ReadError = CodedError<ReadErrorCode>

    public enum ReadErrorCode: String, Sendable, Hashable {
        case notJSON = "not-json"
        case notAnObject = "not-an-object"
        case unknownFormat = "unknown-format"
        case unknownField = "unknown-field"
        case missingField = "missing-field"
        case wrongType = "wrong-type"
        case invalidDate = "invalid-date"
        case notCanonical = "not-canonical"
    }
}
