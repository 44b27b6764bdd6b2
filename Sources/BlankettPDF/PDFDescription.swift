import BlankettCore
import Crypto

/// What Cairo 1.16 cannot write into a PDF, added as a first revision right
/// after rendering: the page frame marked as artifacts (`PDFArtifacts`),
/// table headers' scope, the document language (`/Lang`, read by screen readers),
/// XMP metadata mirroring the document information (the form, organisation,
/// period and diarienummer for an archive), the title shown in place of the
/// file name, and the file identifier (`/ID`) archives expect.
enum PDFDescription {
    static let language = "sv-SE"

    static func adding(to pdf: [UInt8], _ metadata: PDFDocument.Metadata) throws(PDFError) -> [UInt8] {
        let file = try PDFFile(pdf)
        let catalog = try file.dictionary(of: file.root)
        let information = try file.info.map { number throws(PDFError) in try file.dictionary(of: number) } ?? ""
        var update = PDFIncrementalUpdate(file)
        let metadataNumber = update.reserveNumber()
        update.set(metadataNumber, PDFSyntax.stream("/Type /Metadata /Subtype /XML", Array(xmp(metadata, information: information).utf8)))
        for (number, dictionary) in try headerCellsWithScope(file) { update.set(number, dictionary) }
        for (number, body) in try PDFArtifacts.markedPages(file) { update.set(number, body) }
        update.set(file.root, PDFSyntax.adding(
            "/Lang (\(language)) /Metadata \(metadataNumber) 0 R /ViewerPreferences << /DisplayDocTitle true >>", to: catalog
        ))
        let digest = Hex.encode(SHA256.hash(data: pdf).prefix(16), uppercase: true)
        return update.written(identifier: "[<\(digest)><\(digest)>]").bytes
    }

    /// Table header cells (`TH`) with the scope Cairo 1.16 cannot write
    /// (it drops structure attributes), so that a screen reader can tell
    /// which cells a header names: a header that starts a row of data cells
    /// names its row; one in a row of headers, or after an empty corner cell,
    /// names its column. Object number → the cell's new dictionary.
    static func headerCellsWithScope(_ file: PDFFile) throws(PDFError) -> [(Int, String)] {
        let structureElement = Array("<< /Type /StructElem".utf8)
        var cells: [(number: Int, dictionary: String)] = []
        var rows: [Int: [Int]] = [:]
        var kinds: [Int: String] = [:]
        for number in file.objectNumbers where file.object(number, startsWith: structureElement) {
            let dictionary = try file.dictionary(of: number)
            guard let type = dictionary.range(of: "/S /").map({ dictionary[$0.upperBound...].prefix { $0.isLetter || $0.isNumber } }) else { continue }
            kinds[number] = String(type)
            switch type {
            case "TR": rows[number] = PDFFile.references(in: dictionary, key: "/K")
            case "TH" where !dictionary.contains("/A "): cells.append((number, dictionary))
            default: break
            }
        }
        return cells.sorted { $0.number < $1.number }.map { cell in
            let row = PDFFile.integer(after: "/P", in: cell.dictionary).flatMap { rows[$0] } ?? []
            let startsDataRow = row.first == cell.number && row.dropFirst().contains { kinds[$0] == "TD" }
            return (cell.number, PDFSyntax.adding("/A << /O /Table /Scope /\(startsDataRow ? "Row" : "Column") >>", to: cell.dictionary))
        }
    }

    /// An XMP packet (ISO 16684-1) with Dublin Core title, creator,
    /// description, subject and language, and the producer and creation date
    /// Cairo put in the document information dictionary.
    static func xmp(_ metadata: PDFDocument.Metadata, information: String) -> String {
        let producer = literal(after: "/Producer", in: information)
        let created = literal(after: "/CreationDate", in: information).flatMap(xmpDate)
        var description = """
            <dc:format>application/pdf</dc:format>
            <dc:title><rdf:Alt><rdf:li xml:lang="x-default">\(escaped(metadata.title))</rdf:li></rdf:Alt></dc:title>
            <dc:creator><rdf:Seq><rdf:li>\(escaped(metadata.author))</rdf:li></rdf:Seq></dc:creator>
            <dc:description><rdf:Alt><rdf:li xml:lang="x-default">\(escaped(metadata.subject))</rdf:li></rdf:Alt></dc:description>
            <dc:language><rdf:Bag><rdf:li>\(language)</rdf:li></rdf:Bag></dc:language>
            <xmp:CreatorTool>Blankett</xmp:CreatorTool>
            """
        if let keywords = metadata.keywords {
            description += "\n<dc:subject><rdf:Bag><rdf:li>\(escaped(keywords))</rdf:li></rdf:Bag></dc:subject>"
            description += "\n<pdf:Keywords>\(escaped(keywords))</pdf:Keywords>"
        }
        if let producer { description += "\n<pdf:Producer>\(escaped(producer))</pdf:Producer>" }
        if let created { description += "\n<xmp:CreateDate>\(created)</xmp:CreateDate>" }
        return """
            <?xpacket begin="\u{FEFF}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/">
            <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            \(description)
            </rdf:Description>
            </rdf:RDF>
            </x:xmpmeta>
            <?xpacket end="r"?>
            """
    }

    /// A literal string value without escapes, as Cairo writes the producer
    /// (`(cairo 1.16.0 (https://cairographics.org))`: balanced parentheses) and the date.
    static func literal(after key: String, in dictionary: String) -> String? {
        let bytes = Array(dictionary.utf8)
        let pattern = Array((key + " (").utf8)
        guard let start = (0...max(0, bytes.count - pattern.count)).first(where: { bytes[$0..<min(bytes.count, $0 + pattern.count)].elementsEqual(pattern) }) else {
            return nil
        }
        let open = start + pattern.count - 1
        let close = PDFSyntax.endOfLiteralString(bytes, from: open, limit: bytes.count)
        // An unclosed string runs to the end; a dictionary's text ends in `>>`, never in `)`.
        guard bytes[close - 1] == UInt8(ascii: ")") else { return nil }
        let value = bytes[(open + 1)..<(close - 1)]
        return value.contains(UInt8(ascii: "\\")) ? nil : String(decoding: value, as: UTF8.self)
    }

    /// `D:20261204144304Z` or `D:20261204144304+01'00'` → `2026-12-04T14:43:04Z` / `…+01:00`.
    static func xmpDate(_ pdfDate: String) -> String? {
        let digits = Array(pdfDate.dropFirst(2).prefix(14))
        guard pdfDate.hasPrefix("D:"), digits.count == 14, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        let text = String(digits)
        func part(_ from: Int, _ length: Int) -> Substring {
            text.dropFirst(from).prefix(length)
        }
        let zone = pdfDate.dropFirst(16)
        let offset: String
        if zone.isEmpty || zone == "Z" {
            offset = "Z"
        } else {
            let zoneDigits = zone.filter(\.isNumber)
            guard let sign = zone.first, sign == "+" || sign == "-", zoneDigits.count == 4 else { return nil }
            offset = "\(sign)\(zoneDigits.prefix(2)):\(zoneDigits.suffix(2))"
        }
        return "\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(8, 2)):\(part(10, 2)):\(part(12, 2))\(offset)"
    }

    private static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
