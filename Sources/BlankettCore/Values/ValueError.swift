/// Why a typed value could not be read, as a stable code and a Swedish message.
///
/// `code` is one of the built-in finding codes of docs/form-format.md
/// ("Findings"): `invalid-integer`, `invalid-kronor`, `invalid-decimal`,
/// `too-many-decimals`, `invalid-date`, `invalid-email`, `invalid-phone`,
/// `invalid-postnummer`, `invalid-organisationsnummer`, `invalid-bankgiro`,
/// `invalid-plusgiro`, `invalid-diarienummer` or `checksum`. Compare errors by
/// `code`; the wording of `message` may change.
///
/// `message` is plain Swedish for the person filling in the form: what is wrong
/// and how to write it, with an example ("Ange beloppet i hela kronor, till
/// exempel 1 127 386."). It never repeats the rejected input, so it is safe to
/// log and to show anywhere.
public struct ValueError: Error, Sendable, Hashable, CustomStringConvertible {
    public let code: String
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}

extension ValueError {
    /// The stable codes used by the value types in this folder.
    public enum Code {
        public static let invalidInteger = "invalid-integer"
        public static let invalidKronor = "invalid-kronor"
        public static let invalidDecimal = "invalid-decimal"
        public static let tooManyDecimals = "too-many-decimals"
        public static let invalidDate = "invalid-date"
        public static let invalidEmail = "invalid-email"
        public static let invalidPhone = "invalid-phone"
        public static let invalidPostnummer = "invalid-postnummer"
        public static let invalidOrganisationsnummer = "invalid-organisationsnummer"
        public static let invalidBankgiro = "invalid-bankgiro"
        public static let invalidPlusgiro = "invalid-plusgiro"
        public static let invalidDiarienummer = "invalid-diarienummer"
        public static let checksum = "checksum"
    }
}
