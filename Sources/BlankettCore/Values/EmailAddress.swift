/// An e-mail address (`kontakt@botkyrka.se`), checked for the mistakes people
/// actually make rather than against all of RFC 5321.
///
/// Rules: exactly one `@`; a non-empty local part of at most 64 bytes without
/// white space, control characters or any of `()<>[],;:\"`, not starting or
/// ending with a dot and without two dots in a row; a domain of at least two
/// dot-separated labels of letters (any script: `åre.se`), digits and inner
/// hyphens, each at most 63 bytes, the last at least two characters and not
/// only digits; at most 254 bytes in all. Surrounding white space is removed
/// and the domain is lower-cased; the local part is kept as typed.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The part before the `@`, as typed.
    public let localPart: String
    /// The part after the `@`, lower-cased.
    public let domain: String

    private init(localPart: String, domain: String) {
        self.localPart = localPart
        self.domain = domain
    }

    /// Errors: `invalid-email`.
    public static func parse(_ text: some StringProtocol) -> Result<EmailAddress, ValueError> {
        let scalars = ValueText.trimmedScalars(text)
        // Checked in place on the one scalar array: an address is read on
        // every save of a step that has one.
        guard let at = scalars.firstIndex(of: "@"), !scalars[(at + 1)...].contains("@") else { return .failure(invalid) }
        let local = scalars[..<at], domainScalars = scalars[(at + 1)...]

        guard !local.isEmpty, local.first != ".", local.last != ".",
              !local.contains(where: { ValueText.isWhitespace($0) || isControl($0) || Self.forbiddenInLocal.contains($0) }),
              !zip(local, local.dropFirst()).contains(where: { $0 == "." && $1 == "." }) else {
            return .failure(invalid)
        }
        var labelCount = 0
        var labelStart = domainScalars.startIndex
        for index in domainScalars.startIndex...domainScalars.endIndex where index == domainScalars.endIndex || scalars[index] == "." {
            let label = scalars[labelStart..<index]
            guard !label.isEmpty, label.first != "-", label.last != "-",
                  utf8Count(label) <= 63,
                  label.allSatisfy({ $0 == "-" || ValueText.digit($0) != nil || ValueText.isAlphabetic($0) }) else {
                return .failure(invalid)
            }
            labelCount += 1
            labelStart = index + 1
        }
        let topLevel = domainScalars[(domainScalars.lastIndex(of: ".").map { $0 + 1 } ?? domainScalars.startIndex)...]
        guard labelCount >= 2, topLevel.count >= 2, !topLevel.allSatisfy({ ValueText.digit($0) != nil }) else {
            return .failure(invalid)
        }
        let localPart = string(local)
        let domain = domainScalars.allSatisfy(\.isASCII)
            ? String(decoding: domainScalars.map { UInt8(ValueText.asciiLowercased($0).value) }, as: UTF8.self)
            : string(domainScalars).lowercased()
        guard localPart.utf8.count <= 64, localPart.utf8.count + 1 + domain.utf8.count <= 254 else {
            return .failure(invalid)
        }
        return .success(EmailAddress(localPart: localPart, domain: domain))
    }

    /// `"kontakt@botkyrka.se"`.
    public var address: String { localPart + "@" + domain }

    /// The same as `address`.
    public var formatted: String { address }

    /// The stored form, the same as `address`.
    public var canonical: String { address }

    public var description: String { address }

    private static let forbiddenInLocal = Set("()<>[],;:\\\"".unicodeScalars)

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value < 0x20 || scalar.value == 0x7F }
        return scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
    }

    private static func utf8Count(_ scalars: some Collection<Unicode.Scalar>) -> Int {
        scalars.reduce(0) { $0 + UTF8.width($1) }
    }

    private static func string(_ scalars: some Collection<Unicode.Scalar>) -> String {
        // Nearly every address is ASCII: one buffer instead of a scalar at a time.
        if scalars.allSatisfy(\.isASCII) {
            return String(decoding: scalars.map { UInt8($0.value) }, as: UTF8.self)
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    static let invalid = ValueError(
        code: ValueError.Code.invalidEmail,
        message: "Ange en e-postadress, till exempel namn@kommun.se."
    )
}
