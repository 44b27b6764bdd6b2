/// A file sent with a message: always base64 in the rendered message, so it
/// arrives byte for byte.
public struct MailAttachment: Sendable, Hashable {
    /// Shown to the recipient; may contain å, ä, ö (written as RFC 2231 `filename*`).
    public let filename: String
    /// `type/subtype`, e.g. `application/pdf`.
    public let contentType: String
    public let bytes: [UInt8]

    public init(filename: String, contentType: String, bytes: [UInt8]) throws(MailError) {
        guard !filename.isEmpty, filename.utf8.count <= 200,
              !filename.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "/" || $0 == "\\" }) else {
            throw MailError(.invalidHeader, "Bilagans filnamn \"\(MailAddress.printable(filename))\" går inte att använda (tomt, för långt, snedstreck eller styrtecken).")
        }
        guard Self.isValidContentType(contentType) else {
            throw MailError(.invalidHeader, "Bilagan \(filename) har en ogiltig innehållstyp \"\(MailAddress.printable(contentType))\"; ange typ/undertyp, t.ex. application/pdf.")
        }
        self.filename = filename
        self.contentType = contentType.lowercased()
        self.bytes = bytes
    }

    /// `type/subtype` made of RFC 2045 token characters.
    static func isValidContentType(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        let tokenSpecials = Set("()<>@,;:\\\"/[]?= ".utf8)
        return parts.allSatisfy { part in
            !part.isEmpty && part.utf8.count <= 64
                && part.utf8.allSatisfy { $0 > 32 && $0 < 127 && !tokenSpecials.contains($0) }
        }
    }
}
