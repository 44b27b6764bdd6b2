/// What an incremental update needs to know about a finished PDF: where its
/// objects are (every cross-reference section, newest first), its trailer and
/// the text of a dictionary object.
///
/// Reads the classic cross-reference tables Cairo and `PDFIncrementalUpdate`
/// write; a cross-reference stream (PDF 1.5 compression) is refused rather
/// than misread, because every file this reads was written by Blankett.
struct PDFFile {
    let bytes: [UInt8]
    /// Object number → byte offset, the newest revision's entry for each.
    private(set) var offsets: [Int: Int] = [:]
    /// The trailer's `/Size`: one more than the highest object number.
    let size: Int
    let root: Int
    let info: Int?
    /// The trailer's `/ID` array as written, e.g. `[<ab…><ab…>]`.
    let identifier: String?
    /// Where the newest cross-reference section starts (the next update's `/Prev`).
    let startXref: Int

    init(_ bytes: [UInt8]) throws(PDFError) {
        self.bytes = bytes
        let tail = String(decoding: bytes.suffix(64), as: UTF8.self)
        guard let marker = tail.range(of: "startxref", options: .backwards),
              let start = Int(tail[marker.upperBound...].split(whereSeparator: \.isWhitespace).first ?? "") else {
            throw PDFError(.structure, detail: "no startxref at the end of the file")
        }
        startXref = start
        var section: Int? = start
        var trailers: [String] = []
        var visited: Set<Int> = []
        while let offset = section {
            guard visited.insert(offset).inserted, trailers.count < 1000 else {
                throw PDFError(.structure, detail: "the cross-reference sections loop")
            }
            let trailer = try Self.readSection(bytes, at: offset, into: &offsets)
            trailers.append(trailer)
            section = Self.integer(after: "/Prev", in: trailer)
        }
        let newest = trailers[0]
        guard let size = Self.integer(after: "/Size", in: newest), let root = Self.integer(after: "/Root", in: newest) else {
            throw PDFError(.structure, detail: "the trailer has no /Size or /Root")
        }
        self.size = size
        self.root = root
        info = Self.integer(after: "/Info", in: newest)
        identifier = newest.range(of: "/ID").flatMap { range in
            let rest = newest[range.upperBound...]
            guard let open = rest.firstIndex(of: "["), let close = rest.firstIndex(of: "]") else { return nil }
            return String(rest[open...close])
        }
    }

    /// The dictionary of object `number` without its stream, as text:
    /// `<< /Type /Catalog … >>`.
    func dictionary(of number: Int) throws(PDFError) -> String {
        String(decoding: bytes[try dictionaryRange(of: number)], as: UTF8.self)
    }

    /// A stream object's dictionary and its (still encoded) data.
    func stream(of number: Int) throws(PDFError) -> (dictionary: String, data: ArraySlice<UInt8>) {
        let range = try dictionaryRange(of: number)
        let dictionary = String(decoding: bytes[range], as: UTF8.self)
        var start = range.upperBound
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x0A || bytes[start] == 0x0D { start += 1 }
        let keyword = Array("stream".utf8)
        guard bytes.count - start > keyword.count, bytes[start..<start + keyword.count].elementsEqual(keyword) else {
            throw PDFError(.structure, detail: "object \(number) is not a stream")
        }
        start += keyword.count
        if start < bytes.count, bytes[start] == 0x0D { start += 1 }
        if start < bytes.count, bytes[start] == 0x0A { start += 1 }
        guard let lengthRange = dictionary.range(of: "/Length ") else { throw PDFError(.structure, detail: "stream \(number) has no /Length") }
        let words = dictionary[lengthRange.upperBound...].split(whereSeparator: \.isWhitespace).prefix(3)
        var length: Int?
        if words.count == 3, words[words.startIndex + 2].hasPrefix("R"), let reference = Int(words[words.startIndex]),
           let offset = offsets[reference] {
            // An indirect length: `89 0 obj 16029 endobj`.
            let text = String(decoding: bytes[offset..<min(bytes.count, offset + 64)], as: UTF8.self)
            length = text.split(whereSeparator: \.isWhitespace).dropFirst(3).first.flatMap { Int($0) }
        } else {
            length = words.first.flatMap { Int($0.prefix { $0.isNumber }) }
        }
        guard let length, length >= 0, start + length <= bytes.count else {
            throw PDFError(.structure, detail: "stream \(number) has no usable /Length")
        }
        return (dictionary, bytes[start..<start + length])
    }

    private func dictionaryRange(of number: Int) throws(PDFError) -> Range<Int> {
        guard let offset = offsets[number], offset < bytes.count else {
            throw PDFError(.structure, detail: "object \(number) is not in the cross-reference table")
        }
        let header = Array("\(number) 0 obj".utf8)
        guard bytes.count - offset > header.count, bytes[offset..<offset + header.count].elementsEqual(header),
              var index = bytes[offset...].prefix(header.count + 16).firstIndex(of: UInt8(ascii: "<")) else {
            throw PDFError(.structure, detail: "object \(number) does not start where the table says")
        }
        let open = index
        let limit = min(bytes.count, offset + 1_048_576)
        var depth = 0
        // Nested dictionaries (a page's /Group) close before the object's own;
        // strings and comments may hold any bracket.
        while index < limit {
            let byte = bytes[index]
            let next = index + 1 < limit ? bytes[index + 1] : 0
            switch byte {
            case UInt8(ascii: "<") where next == UInt8(ascii: "<"):
                depth += 1
                index += 2
            case UInt8(ascii: ">") where next == UInt8(ascii: ">"):
                depth -= 1
                index += 2
                if depth == 0 { return open..<index }
            case UInt8(ascii: "<"):
                // A hex string.
                index = (bytes[index..<limit].firstIndex(of: UInt8(ascii: ">")) ?? limit) + 1
            case UInt8(ascii: "("):
                index = PDFSyntax.endOfLiteralString(bytes, from: index, limit: limit)
            case UInt8(ascii: "%"):
                // A comment runs to the end of the line (Cairo writes `/Type /Page % 1`).
                index = bytes[index..<limit].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) ?? limit
            default:
                index += 1
            }
        }
        throw PDFError(.structure, detail: "object \(number) has no closing >>")
    }

    /// Whether object `number`'s body begins with `prefix` (compared as bytes, nothing decoded).
    func object(_ number: Int, startsWith prefix: [UInt8]) -> Bool {
        guard let offset = offsets[number] else { return false }
        let header = Array("\(number) 0 obj\n".utf8)
        let start = offset + header.count
        guard start + prefix.count <= bytes.count, bytes[offset..<start].elementsEqual(header) else { return false }
        return bytes[start..<start + prefix.count].elementsEqual(prefix)
    }

    /// The object numbers in the file.
    var objectNumbers: Dictionary<Int, Int>.Keys { offsets.keys }

    /// The `n 0 R` references in a dictionary's array entry, e.g. the pages' `/Kids`.
    static func references(in dictionary: String, key: String) -> [Int] {
        guard let range = dictionary.range(of: key + " "), let open = dictionary[range.upperBound...].firstIndex(of: "["),
              let close = dictionary[open...].firstIndex(of: "]") else { return [] }
        let words = dictionary[dictionary.index(after: open)..<close].split(whereSeparator: \.isWhitespace)
        return stride(from: 0, to: words.count - 2, by: 3).compactMap { index in
            words[index + 2] == "R" ? Int(words[index]) : nil
        }
    }

    /// The integer (or the object number of the reference) after a key.
    static func integer(after key: String, in dictionary: String) -> Int? {
        var search = dictionary.startIndex
        while let range = dictionary.range(of: key, range: search..<dictionary.endIndex) {
            search = range.upperBound
            // `/Prev` must not match `/PrevX`: the key ends at a delimiter.
            guard range.upperBound < dictionary.endIndex, dictionary[range.upperBound].isWhitespace else { continue }
            return dictionary[range.upperBound...].split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) }
        }
        return nil
    }

    /// Reads one `xref` table into `offsets` (entries already there are newer
    /// and stay) and returns its trailer dictionary.
    private static func readSection(_ bytes: [UInt8], at offset: Int, into offsets: inout [Int: Int]) throws(PDFError) -> String {
        guard offset >= 0, offset < bytes.count else { throw PDFError(.structure, detail: "startxref \(offset) is outside the file") }
        let text = String(decoding: bytes[offset...], as: UTF8.self)
        guard text.hasPrefix("xref") else {
            throw PDFError(.structure, detail: "no classic xref table at \(offset) (cross-reference streams are not read)")
        }
        guard let trailerRange = text.range(of: "trailer") else { throw PDFError(.structure, detail: "no trailer after the xref table at \(offset)") }
        let lines = text[text.index(text.startIndex, offsetBy: 4)..<trailerRange.lowerBound]
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" })
        var number = 0
        for line in lines {
            let fields = line.split(separator: " ")
            if fields.count == 2, let first = Int(fields[0]), Int(fields[1]) != nil {
                number = first
            } else if fields.count == 3, let position = Int(fields[0]) {
                if fields[2] == "n", offsets[number] == nil { offsets[number] = position }
                number += 1
            } else if !fields.isEmpty {
                throw PDFError(.structure, detail: "unreadable xref line at \(offset)")
            }
        }
        let afterTrailer = text[trailerRange.upperBound...]
        guard let end = afterTrailer.range(of: "startxref") else { throw PDFError(.structure, detail: "the trailer at \(offset) does not end") }
        return String(afterTrailer[..<end.lowerBound])
    }
}
