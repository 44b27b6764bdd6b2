import BlankettCore
import Foundation
import SwiftASN1
import X509

/// A person whose signature is embedded in the PDF. The seal signs; the
/// signature dictionary names the person, their reason and when they signed.
public struct PDFSignatory: Sendable {
    public var name: String
    public var signedAt: Date
    public var reason: String
    /// Printed as the signature's contact information: e.g. the verification code.
    public var contactInfo: String?

    public init(name: String, signedAt: Date, reason: String = "Underskrift av behörig företrädare", contactInfo: String? = nil) {
        self.name = name
        self.signedAt = signedAt
        self.reason = reason
        self.contactInfo = contactInfo
    }
}

extension PDFSeal {
    /// The PDF with one more PAdES baseline B-B signature (ETSI EN 319 142-1),
    /// appended as its own revision: an invisible signature field on the last
    /// page, the signature dictionary (`/SubFilter /ETSI.CAdES.detached`) and
    /// a detached CMS over every byte of the file except the signature itself.
    /// Earlier revisions, and so earlier signatures, stay as they were.
    public func sign(_ pdf: [UInt8], for signatory: PDFSignatory) throws(PDFError) -> [UInt8] {
        let file = try PDFFile(pdf)
        let catalog = try file.dictionary(of: file.root)
        guard let pagesNumber = PDFFile.integer(after: "/Pages", in: catalog),
              let pageNumber = PDFFile.references(in: try file.dictionary(of: pagesNumber), key: "/Kids").last else {
            throw PDFError(.structure, detail: "the page tree has no pages")
        }
        let page = try file.dictionary(of: pageNumber)
        guard page.contains("/Type /Page"), !page.contains("/Type /Pages") else {
            throw PDFError(.structure, detail: "nested page trees are not signed")
        }

        var update = PDFIncrementalUpdate(file)
        let existingForm = PDFFile.integer(after: "/AcroForm", in: catalog)
        let formNumber = existingForm ?? update.reserveNumber()
        let fieldNumber = update.reserveNumber()
        let signatureNumber = update.reserveNumber()
        var fields: [Int] = []
        if let existingForm { fields = PDFFile.references(in: try file.dictionary(of: existingForm), key: "/Fields") }
        if existingForm == nil {
            update.set(file.root, PDFSyntax.adding("/AcroForm \(formNumber) 0 R", to: catalog))
        }
        // SigFlags 3: the file has signatures, and must only be appended to.
        update.set(formNumber, "<< /Fields [\((fields + [fieldNumber]).map { "\($0) 0 R" }.joined(separator: " "))] /SigFlags 3 >>")
        update.set(pageNumber, try Self.page(page, withAnnotation: fieldNumber))
        // Flags 132: print, locked. A zero rectangle: the signature shows in the
        // reader's signature panel; the printed signature block is the visible one.
        update.set(fieldNumber, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (Underskrift \(fields.count + 1)) /TU \(PDFSyntax.textString(signatory.name))"
                   + " /V \(signatureNumber) 0 R /F 132 /Rect [0 0 0 0] /P \(pageNumber) 0 R >>")

        let contentsLength = try placeholderLength()
        let byteRangePlaceholder = "[0 " + String(repeating: " ", count: 36) + "]"
        var dictionary = "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n"
            + "   /ByteRange \(byteRangePlaceholder)\n   /Contents <" + String(repeating: "0", count: contentsLength * 2) + ">\n"
            + "   /Name \(PDFSyntax.textString(signatory.name)) /M \(PDFSyntax.date(Self.utcComponents(signatory.signedAt)))\n"
            + "   /Reason \(PDFSyntax.textString(signatory.reason))"
        if let contact = signatory.contactInfo { dictionary += " /ContactInfo \(PDFSyntax.textString(contact))" }
        dictionary += " >>"
        update.set(signatureNumber, dictionary)

        var (bytes, bodyOffsets) = update.written()
        let body = bodyOffsets[signatureNumber]!
        let bodyText = Array(dictionary.utf8)
        let byteRangeAt = body + Self.offset(of: "/ByteRange [", in: bodyText) + "/ByteRange ".utf8.count
        let contentsStart = body + Self.offset(of: "/Contents <", in: bodyText) + "/Contents ".utf8.count
        let contentsEnd = contentsStart + contentsLength * 2 + 2
        let byteRange = "[0 \(contentsStart) \(contentsEnd) \(bytes.count - contentsEnd)"
        let filled = byteRange + String(repeating: " ", count: byteRangePlaceholder.utf8.count - 1 - byteRange.utf8.count) + "]"
        bytes.replaceSubrange(byteRangeAt..<byteRangeAt + filled.utf8.count, with: Array(filled.utf8))

        let signed = Array(bytes[..<contentsStart]) + Array(bytes[contentsEnd...])
        let cms = try cmsSignature(over: signed)
        guard cms.count <= contentsLength else {
            throw PDFError(.signing, detail: "the signature (\(cms.count) bytes) does not fit its placeholder (\(contentsLength))")
        }
        let hex = Array(Hex.encode(cms, uppercase: true).utf8)
        bytes.replaceSubrange(contentsStart + 1..<contentsStart + 1 + hex.count, with: hex)
        return bytes
    }

    /// Room for the CMS: the certificates it embeds plus the signer info,
    /// whose RSA signature may be 512 bytes, and the structure around them.
    private func placeholderLength() throws(PDFError) -> Int {
        do {
            var length = 4096
            for certificate in [certificate] + chain {
                var coder = DER.Serializer()
                try coder.serialize(certificate)
                length += coder.serializedBytes.count
            }
            return length
        } catch {
            throw PDFError(.signing, detail: "the seal certificate cannot be serialized: \(error)")
        }
    }

    private static func page(_ page: String, withAnnotation field: Int) throws(PDFError) -> String {
        guard let annotations = page.range(of: "/Annots") else {
            return PDFSyntax.adding("/Annots [\(field) 0 R]", to: page)
        }
        guard let open = page[annotations.upperBound...].firstIndex(where: { !$0.isWhitespace }), page[open] == "[" else {
            throw PDFError(.structure, detail: "the page's /Annots is not an array")
        }
        var result = page
        result.insert(contentsOf: "\(field) 0 R ", at: result.index(after: open))
        return result
    }

    private static func offset(of needle: String, in haystack: [UInt8]) -> Int {
        let pattern = Array(needle.utf8)
        for start in 0...(haystack.count - pattern.count) where haystack[start..<start + pattern.count].elementsEqual(pattern) {
            return start
        }
        preconditionFailure("\(needle) is written by sign(_:for:) itself")
    }

    private static func utcComponents(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return (parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
    }
}
