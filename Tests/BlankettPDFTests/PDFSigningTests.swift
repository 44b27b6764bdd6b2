import BlankettCore
import BlankettPDF
import Foundation
import Testing

/// PAdES signatures in the PDF, checked by tools that know nothing of
/// Blankett: poppler's `pdfsig`, pyHanko and `openssl cms -verify`.
@Suite struct PDFSigningTests {
    typealias Support = PDFTestSupport

    static let development = Result { try PDFSeal.development(organisation: "Botkyrka kommun", now: Date()) }

    static func seal() throws -> (PDFSeal, PDFSeal.DevelopmentFiles) {
        let files = try development.get()
        return (try PDFSeal(certificatesPEM: files.certificatesPEM, privateKeyPEM: files.privateKeyPEM), files)
    }

    static let second = SignatureLine(sequence: 2, name: "Åsa Öberg", title: "Socialdirektör", signedAt: "2021-01-05T13:02:00Z",
                                      snapshotSHA256Hex: Support.signature.snapshotSHA256Hex, verificationCode: "Q8ZD-K7QX-2M4P-9TRB-4HW2")

    /// The Botkyrka redovisning signed by two people in turn, and the file
    /// as it was after the first signature.
    static func twiceSigned() throws -> (first: [UInt8], both: [UInt8], files: PDFSeal.DevelopmentFiles) {
        let (seal, files) = try seal()
        let pdf = try PDFRenderer.renderForm(try Support.input("po-redovisning-2020", signatures: [Support.signature, second]))
        let first = try seal.sign(pdf, for: PDFSignatory(name: "Jennifer Gavin", signedAt: Date(timeIntervalSince1970: 1_609_751_700),
                                                          contactInfo: Support.signature.verificationCode))
        let both = try seal.sign(first, for: PDFSignatory(name: second.name, signedAt: Date(timeIntervalSince1970: 1_609_851_720)))
        return (first, both, files)
    }

    /// `pdfsig` output split per signature.
    static func pdfsig(_ pdf: [UInt8], name: String) throws -> [String] {
        let path = try Support.write(pdf, name: name)
        // pdfsig exits non-zero when a signature does not verify; its report is what is checked.
        _ = try? Support.run("pdfsig '\(path)' > '\(path).sig' 2>&1")
        let report = try String(contentsOfFile: path + ".sig", encoding: .utf8)
        return report.components(separatedBy: "Signature #").dropFirst().map { $0 }
    }

    @Test func everySignatureIsValidAndCoversTheDocumentUpToItsRevision() throws {
        let (first, both, _) = try Self.twiceSigned()
        let signatures = try Self.pdfsig(both, name: "signed-twice")
        try #require(signatures.count == 2, "\(signatures)")
        for signature in signatures {
            #expect(signature.contains("Signature Validation: Signature is Valid."), "\(signature)")
            #expect(signature.contains("Signer Certificate Common Name: Botkyrka kommun utvecklingssigill"), "\(signature)")
            #expect(signature.contains("Signature Type: ETSI.CAdES.detached"), "\(signature)")
        }
        // The first covers the file as it was when it was made; the second all of it.
        #expect(signatures[0].contains("Signing Time: Jan 04 2021 09:15:00"), "\(signatures[0])")
        #expect(signatures[1].contains("Signing Time: Jan 05 2021 13:02:00"), "\(signatures[1])")
        #expect(signatures[0].contains("Not total document signed"), "\(signatures[0])")
        #expect(signatures[1].contains("Total document signed") && !signatures[1].contains("Not total"), "\(signatures[1])")
        let firstRanges = try Self.signedRanges(signatures[0])
        let secondRanges = try Self.signedRanges(signatures[1])
        #expect(firstRanges.last == first.count, "the first signature ends where its revision ends")
        #expect(secondRanges.last == both.count)
        #expect(firstRanges.first == 0 && secondRanges.first == 0)
        // The revisions keep the catalog's structure tree, language and metadata.
        let info = try Support.info(of: both, name: "signed-twice-info")
        #expect(info["Tagged"] == "yes" && info["Form"] == "AcroForm" && info["Metadata Stream"] == "yes", "\(info)")
    }

    /// pyHanko (`scripts/pdf-check pades`), a PAdES-aware validator, as the
    /// authority's reader would: who signed, when, why, trusted through the
    /// authority's certificate, and unchanged.
    @Test func aPAdESValidatorShowsWhoSignedWhenAndThatNothingChanged() throws {
        let (_, both, files) = try Self.twiceSigned()
        let verdicts = try Self.padesVerdicts(both, authorityPEM: files.authorityPEM, name: "pades-twice")
        try #require(verdicts.count == 2, "\(verdicts)")
        let expected = [("Underskrift 1", "Jennifer Gavin", "2021-01-04T09:15:00+00:00", "ENTIRE_REVISION", "FORM_FILLING"),
                        ("Underskrift 2", "Åsa Öberg", "2021-01-05T13:02:00+00:00", "ENTIRE_FILE", "NONE")]
        for (verdict, (field, name, time, coverage, modifications)) in zip(verdicts, expected) {
            #expect(verdict["field"]?.stringValue == field)
            #expect(verdict["name"]?.stringValue == name)
            #expect(verdict["reason"]?.stringValue == "Underskrift av behörig företrädare")
            #expect(verdict["signingTime"]?.stringValue == time)
            #expect(verdict["subFilter"]?.stringValue == "/ETSI.CAdES.detached")
            #expect(verdict["signer"]?.stringValue?.contains("Botkyrka kommun utvecklingssigill") == true)
            for check in ["intact", "valid", "trusted", "bottomLine", "docmdpOK"] {
                #expect(verdict[check]?.boolValue == true, "\(field): \(check) in \(verdict)")
            }
            // The first covers its revision; what came after it only signs (form filling).
            #expect(verdict["coverage"]?.stringValue == coverage)
            #expect(verdict["modificationLevel"]?.stringValue == modifications)
        }

        // One byte changed in the first revision: neither is intact any more.
        let changed = try Self.changingOneByteOfTheFirstRevision(both)
        for verdict in try Self.padesVerdicts(changed, authorityPEM: files.authorityPEM, name: "pades-changed") {
            #expect(verdict["intact"]?.boolValue == false && verdict["bottomLine"]?.boolValue == false, "\(verdict)")
        }
        // Another kommun's authority does not vouch for this seal.
        let stranger = try PDFSeal.development(organisation: "Annan kommun", now: Date())
        for verdict in try Self.padesVerdicts(both, authorityPEM: stranger.authorityPEM, name: "pades-stranger") {
            #expect(verdict["intact"]?.boolValue == true && verdict["trusted"]?.boolValue == false, "\(verdict)")
        }
    }

    /// One letter of "Botkyrka kommun", the document's author in the revision Cairo wrote, made an X.
    static func changingOneByteOfTheFirstRevision(_ pdf: [UInt8]) throws -> [UInt8] {
        let author = Array("/Author (Botkyrka kommun)".utf8)
        let at = try #require((0...(pdf.count - author.count)).first { pdf[$0..<$0 + author.count].elementsEqual(author) })
        var changed = pdf
        changed[at + 9] = UInt8(ascii: "X")
        return changed
    }

    static func padesVerdicts(_ pdf: [UInt8], authorityPEM: String, name: String) throws -> [JSONValue] {
        let path = try Support.write(pdf, name: name)
        try Data(authorityPEM.utf8).write(to: URL(fileURLWithPath: path + ".ca.pem"))
        try Support.run("'\(Support.repository.path)/scripts/pdf-check' pades '\(path)' '\(path).ca.pem' > '\(path).json' 2>'\(path).log'")
        return try JSONValue.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path + ".json")))).arrayValue ?? []
    }

    @Test func oneChangedByteInTheFirstRevisionIsReported() throws {
        let (_, both, _) = try Self.twiceSigned()
        let changed = try Self.changingOneByteOfTheFirstRevision(both)
        let signatures = try Self.pdfsig(changed, name: "signed-changed")
        try #require(signatures.count == 2)
        for signature in signatures {
            #expect(!signature.contains("Signature is Valid"), "\(signature)")
            #expect(signature.contains("Digest Mismatch"), "\(signature)")
        }
    }

    @Test func theCMSVerifiesAgainstTheAuthorityAndNamesTheSealCertificate() throws {
        let (first, _, files) = try Self.twiceSigned()
        let signatures = try Self.pdfsig(first, name: "signed-once")
        let ranges = try Self.signedRanges(try #require(signatures.first))
        try #require(ranges.count == 4)
        let content = Array(first[ranges[0]..<ranges[1]]) + Array(first[ranges[2]..<ranges[3]])
        let hex = String(decoding: first[(ranges[1] + 1)..<(ranges[2] - 1)], as: UTF8.self)
        var cms = try #require(Self.bytes(hex: hex))
        cms = Array(cms.prefix(try Self.derLength(cms)))

        let folder = try Support.write([], name: "cms-placeholder") + ".d"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(cms).write(to: URL(fileURLWithPath: folder + "/signature.der"))
        try Data(content).write(to: URL(fileURLWithPath: folder + "/content.bin"))
        try Data(files.authorityPEM.utf8).write(to: URL(fileURLWithPath: folder + "/ca.pem"))
        try Support.run("openssl cms -verify -binary -inform DER -in '\(folder)/signature.der' -content '\(folder)/content.bin'"
                        + " -CAfile '\(folder)/ca.pem' -purpose any -out /dev/null 2>'\(folder)/verify.log'")
        try Support.run("openssl cms -cmsout -print -inform DER -in '\(folder)/signature.der' > '\(folder)/print.txt'")
        let printed = try String(contentsOfFile: folder + "/print.txt", encoding: .utf8)
        #expect(printed.contains("id-smime-aa-signingCertificateV2"), "PAdES B-B names the signing certificate")
        #expect(printed.contains("messageDigest") && printed.contains("contentType"))
        #expect(!printed.contains("signingTime"), "PAdES takes the time from /M, not the CMS")

        // Another authority's certificate does not verify it.
        let stranger = try PDFSeal.development(organisation: "Annan kommun", now: Date())
        try Data(stranger.authorityPEM.utf8).write(to: URL(fileURLWithPath: folder + "/other.pem"))
        #expect(throws: PDFTestSupport.Failure.self) {
            try Support.run("openssl cms -verify -binary -inform DER -in '\(folder)/signature.der' -content '\(folder)/content.bin'"
                            + " -CAfile '\(folder)/other.pem' -purpose any -out /dev/null 2>/dev/null")
        }
    }

    @Test func theDocumentIsDescribedInSwedishForArchives() throws {
        let pdf = try PDFRenderer.renderForm(try Support.input("po-redovisning-2020"))
        let path = try Support.write(pdf, name: "described")
        try Support.run("pdfinfo -meta '\(path)' > '\(path).meta'")
        let xmp = try String(contentsOfFile: path + ".meta", encoding: .utf8)
        #expect(xmp.contains("<rdf:li>sv-SE</rdf:li>"))
        #expect(xmp.contains("<dc:creator><rdf:Seq><rdf:li>Botkyrka kommun</rdf:li></rdf:Seq></dc:creator>"))
        #expect(xmp.contains("Redovisning, 2020, Botkyrka kommun, Dnr SN 2021:1"))
        #expect(xmp.contains("<pdf:Keywords>po-redovisning-2020</pdf:Keywords>"))
        // The XMP says what the document information says (PDF/A asks them to agree).
        let described = try Support.info(of: pdf, name: "described-producer")
        #expect(xmp.contains("<pdf:Producer>\(described["Producer"] ?? "?")</pdf:Producer>"), "\(xmp)")
        #expect(xmp.contains("<xmp:CreateDate>"))
        // Every font embedded (a subset) with a ToUnicode map, as PDF/A and PDF/UA require.
        try Support.run("pdffonts '\(path)' > '\(path).fonts'")
        let fonts = try String(contentsOfFile: path + ".fonts", encoding: .utf8).split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for font in fonts {
            let columns = font.split(separator: " ", omittingEmptySubsequences: true)
            #expect(columns.count >= 7 && columns[columns.count - 5] == "yes" && columns[columns.count - 3] == "yes", "\(font)")
        }
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.contains("/Lang (sv-SE)"))
        #expect(text.contains("/DisplayDocTitle true"))
        // Still one document to poppler: title and pages as before.
        let info = try Support.info(of: pdf, name: "described-info")
        #expect(info["Author"] == "Botkyrka kommun")
        #expect(Int(info["Pages"] ?? "") ?? 0 >= 3)
    }

    /// A kommun's e-sigill is as likely RSA as P-256, its key as PKCS #8 from
    /// OpenSSL: a chain made by the `openssl` command signs as well.
    @Test func anRSASealMadeByOpenSSLSigns() throws {
        let folder = try Support.write([], name: "rsa-seal") + ".d"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Support.run("""
            cd '\(folder)' && exec >openssl.log 2>&1 && \
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/C=SE/O=Testutfärdare/CN=Test RSA CA' \
                -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign && \
            openssl req -newkey rsa:2048 -nodes -keyout seal.key -out seal.csr -subj '/C=SE/O=Botkyrka kommun/CN=Botkyrka kommun e-sigill' && \
            printf 'keyUsage=critical,digitalSignature,nonRepudiation\n' > seal.ext && \
            openssl x509 -req -in seal.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile seal.ext -out seal.pem && \
            cat seal.pem ca.pem > chain.pem
            """)
        let seal = try PDFSeal(certificatesPEM: try String(contentsOfFile: folder + "/chain.pem", encoding: .utf8),
                               privateKeyPEM: try String(contentsOfFile: folder + "/seal.key", encoding: .utf8))
        #expect(seal.chain.count == 1)
        let pdf = try seal.sign(try PDFRenderer.renderForm(try Support.input("po-redovisning-2020")),
                                for: PDFSignatory(name: "Jennifer Gavin", signedAt: Date(timeIntervalSince1970: 1_609_751_700)))
        let signatures = try Self.pdfsig(pdf, name: "signed-rsa")
        try #require(signatures.count == 1)
        #expect(signatures[0].contains("Signature Validation: Signature is Valid.") && signatures[0].contains("Botkyrka kommun e-sigill"), "\(signatures[0])")
        let verdicts = try Self.padesVerdicts(pdf, authorityPEM: try String(contentsOfFile: folder + "/ca.pem", encoding: .utf8), name: "pades-rsa")
        #expect(verdicts.first?["bottomLine"]?.boolValue == true && verdicts.first?["trusted"]?.boolValue == true, "\(verdicts)")
    }

    /// Brackets and parentheses in a name end up in literal strings of the
    /// document information; reading the dictionaries must step over them.
    @Test func bracketsInTheOrganisationsNameDoNotConfuseTheRevisions() throws {
        let (seal, _) = try Self.seal()
        var input = try Support.input("po-redovisning-2020")
        input.organisationName = "Kommun <<test>> (avd. ) stream endobj"
        let pdf = try seal.sign(try PDFRenderer.renderForm(input), for: PDFSignatory(name: "Jennifer Gavin", signedAt: Date()))
        let info = try Support.info(of: pdf, name: "brackets")
        #expect(info["Author"] == input.organisationName && info["Tagged"] == "yes", "\(info)")
        let signatures = try Self.pdfsig(pdf, name: "brackets-signed")
        #expect(signatures.count == 1 && signatures[0].contains("Signature is Valid."), "\(signatures)")
    }

    @Test func aKeyThatIsNotTheCertificatesIsRefused() throws {
        let (_, files) = try Self.seal()
        let other = try PDFSeal.development(organisation: "Botkyrka kommun", now: Date())
        #expect(throws: PDFError(.signing, detail: "")) {
            try PDFSeal(certificatesPEM: files.certificatesPEM, privateKeyPEM: other.privateKeyPEM)
        }
        #expect(throws: PDFError(.signing, detail: "")) {
            try PDFSeal(certificatesPEM: "not a certificate", privateKeyPEM: files.privateKeyPEM)
        }
    }

    // MARK: Reading pdfsig and DER

    /// `Signed Ranges: [0 - 61210], [77598 - 79112]` (start and end of each) → [0, 61210, 77598, 79112].
    static func signedRanges(_ report: String) throws -> [Int] {
        let line = try #require(report.split(separator: "\n").first { $0.contains("Signed Ranges:") })
        return line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        return stride(from: 0, to: digits.count, by: 2).map { index in
            UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) ?? 0
        }
    }

    /// The length of the DER element at the start (the CMS before its zero padding).
    static func derLength(_ der: [UInt8]) throws -> Int {
        try #require(der.count > 2 && der[0] == 0x30)
        if der[1] < 0x80 { return 2 + Int(der[1]) }
        let count = Int(der[1] & 0x7F)
        return 2 + count + der[2..<2 + count].reduce(0) { $0 << 8 | Int($1) }
    }
}
