import CZlib

/// Marks what Cairo 1.16 leaves outside the structure tree as artifacts
/// (ISO 32000-1 §14.8.2.2): the page header and footer, rules, and the cell
/// borders drawn between tagged texts. Cairo has no Artifact tag (asking for
/// one breaks the surface), so each page's content stream is read back and
/// every text object and path at marked-content depth 0 is wrapped in
/// `/Artifact BMC … EMC`. PDF/UA-1 (§7.1) asks that all content be either
/// tagged or an artifact; a screen reader then skips "Sida 1 av 3".
enum PDFArtifacts {
    /// New bodies for the page content streams that needed any marking.
    static func markedPages(_ file: PDFFile) throws(PDFError) -> [(Int, [UInt8])] {
        let catalog = try file.dictionary(of: file.root)
        guard let pages = PDFFile.integer(after: "/Pages", in: catalog) else { return [] }
        var result: [(Int, [UInt8])] = []
        for page in PDFFile.references(in: try file.dictionary(of: pages), key: "/Kids") {
            // Cairo writes one content stream per page, by reference.
            guard let contents = PDFFile.integer(after: "/Contents", in: try file.dictionary(of: page)) else { continue }
            let stream = try file.stream(of: contents)
            guard stream.dictionary.contains("/FlateDecode"), !stream.dictionary.contains("/DecodeParms") else { continue }
            let content = try inflate(stream.data)
            let marked = markingArtifacts(content)
            guard marked.count != content.count else { continue }
            result.append((contents, PDFSyntax.stream("/Filter /FlateDecode", try deflate(marked))))
        }
        return result
    }

    /// The content with every text object and path outside marked content
    /// wrapped as an artifact.
    static func markingArtifacts(_ content: [UInt8]) -> [UInt8] {
        let begin = Array("/Artifact BMC\n".utf8)
        let end = Array("\nEMC".utf8)
        var insertions: [(at: Int, bytes: [UInt8])] = []
        var depth = 0
        var inText = false
        var markingText = false
        var markingPath = false
        // Where the current operator's operands begin: the first token after the previous operator.
        var operandsStart: Int?
        var scanner = ContentScanner(content)
        while let token = scanner.next() {
            let tokenStart: Int
            switch token {
            case .operand(let start): tokenStart = start
            case .operator(_, let range): tokenStart = range.lowerBound
            }
            if operandsStart == nil { operandsStart = tokenStart }
            guard case .operator(let name, let range) = token, let start = operandsStart else { continue }
            switch name {
            case "BMC", "BDC":
                depth += 1
            case "EMC":
                depth -= 1
            case "BT":
                inText = true
                if depth == 0 {
                    insertions.append((start, begin))
                    markingText = true
                }
            case "ET":
                inText = false
                if markingText {
                    insertions.append((range.upperBound, end))
                    markingText = false
                }
            case "m", "re":
                if depth == 0, !inText, !markingPath {
                    insertions.append((start, begin))
                    markingPath = true
                }
            case "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n":
                if markingPath {
                    insertions.append((range.upperBound, end))
                    markingPath = false
                }
            default:
                break
            }
            operandsStart = nil
        }
        guard !insertions.isEmpty else { return content }
        var output: [UInt8] = []
        output.reserveCapacity(content.count + insertions.count * begin.count)
        var copied = 0
        for insertion in insertions {
            output.append(contentsOf: content[copied..<insertion.at])
            output.append(contentsOf: insertion.bytes)
            copied = insertion.at
        }
        output.append(contentsOf: content[copied...])
        return output
    }

    static func inflate(_ data: ArraySlice<UInt8>) throws(PDFError) -> [UInt8] {
        var capacity = max(4096, data.count * 4)
        while capacity <= 64 << 20 {
            var output = [UInt8](repeating: 0, count: capacity)
            var length = uLongf(capacity)
            let status = data.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { buffer in
                    uncompress(buffer.baseAddress, &length, input.baseAddress, uLong(input.count))
                }
            }
            switch status {
            case Z_OK: return Array(output.prefix(Int(length)))
            case Z_BUF_ERROR: capacity *= 4
            default: throw PDFError(.structure, detail: "a page's content stream does not inflate (zlib \(status))")
            }
        }
        throw PDFError(.structure, detail: "a page's content stream inflates to more than 64 MiB")
    }

    static func deflate(_ data: [UInt8]) throws(PDFError) -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { buffer in
                compress2(buffer.baseAddress, &length, input.baseAddress, uLong(input.count), Z_DEFAULT_COMPRESSION)
            }
        }
        guard status == Z_OK else { throw PDFError(.structure, detail: "deflating a page's content stream failed (zlib \(status))") }
        return Array(output.prefix(Int(length)))
    }
}

/// The tokens of a content stream (ISO 32000-1 §7.2, §8.2), as far as
/// finding operators needs: strings, names, dictionaries, arrays and
/// comments are stepped over, so that an operator's name inside them is
/// never mistaken for one.
struct ContentScanner {
    enum Token {
        /// An operand (number, string, name, array or dictionary bracket) and where it starts.
        case operand(Int)
        case `operator`(String, Range<Int>)
    }

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func next() -> Token? {
        skipWhitespaceAndComments()
        guard index < bytes.count else { return nil }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "("):
            skipLiteralString()
            return .operand(start)
        case UInt8(ascii: "<"):
            if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "<") {
                index += 2
            } else {
                index = (bytes[index...].firstIndex(of: UInt8(ascii: ">")) ?? bytes.count - 1) + 1
            }
            return .operand(start)
        case UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            index += 1
            return .operand(start)
        case UInt8(ascii: "/"):
            index += 1
            skipRegular()
            return .operand(start)
        default:
            skipRegular()
            if index == start { index += 1 }  // a stray delimiter: step over it
            let word = bytes[start..<index]
            let first = word.first ?? 0
            if (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: ".") {
                return .operand(start)
            }
            let name = String(decoding: word, as: UTF8.self)
            if name == "true" || name == "false" || name == "null" { return .operand(start) }
            if name == "ID" { skipInlineImageData() }
            return .operator(name, start..<index)
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x00
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "/"), UInt8(ascii: "%"):
            true
        default:
            false
        }
    }

    private mutating func skipWhitespaceAndComments() {
        while index < bytes.count {
            if Self.isWhitespace(bytes[index]) {
                index += 1
            } else if bytes[index] == UInt8(ascii: "%") {
                while index < bytes.count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
            } else {
                return
            }
        }
    }

    private mutating func skipRegular() {
        while index < bytes.count, !Self.isWhitespace(bytes[index]), !Self.isDelimiter(bytes[index]) { index += 1 }
    }

    private mutating func skipLiteralString() {
        index = PDFSyntax.endOfLiteralString(bytes, from: index, limit: bytes.count)
    }

    /// Inline image data runs from after `ID` to an `EI` between white space.
    private mutating func skipInlineImageData() {
        index += 1
        while index + 2 < bytes.count {
            if bytes[index] == UInt8(ascii: "E"), bytes[index + 1] == UInt8(ascii: "I"), Self.isWhitespace(bytes[index - 1]),
               Self.isWhitespace(bytes[index + 2]) {
                return
            }
            index += 1
        }
        index = bytes.count
    }
}
