import BlankettCore

/// The encodings a MIME message needs, over bytes: base64 (RFC 2045 §6.8),
/// quoted-printable (§6.7), RFC 2047 encoded words for headers and RFC 2231
/// parameter values. Pure and deterministic.
enum MIMEEncoding {
    static let crlf: [UInt8] = [13, 10]
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Base64 in lines of at most `lineLength` characters, each ending in CRLF
    /// (when `lineLength` is nil: one line without CRLF, for encoded words).
    static func base64<C: Collection<UInt8>>(_ bytes: C, lineLength: Int? = 76, into output: inout [UInt8]) {
        let alphabet = base64Alphabet
        var column = 0
        var iterator = bytes.makeIterator()
        func emit(_ byte: UInt8) {
            output.append(byte)
            column += 1
            if let lineLength, column == lineLength {
                output.append(contentsOf: crlf)
                column = 0
            }
        }
        while let b0 = iterator.next() {
            let b1 = iterator.next()
            let b2 = b1 == nil ? nil : iterator.next()
            emit(alphabet[Int(b0 >> 2)])
            emit(alphabet[Int((b0 & 0x03) << 4 | (b1 ?? 0) >> 4)])
            emit(b1.map { alphabet[Int(($0 & 0x0F) << 2 | (b2 ?? 0) >> 6)] } ?? UInt8(ascii: "="))
            emit(b2.map { alphabet[Int($0 & 0x3F)] } ?? UInt8(ascii: "="))
        }
        if lineLength != nil, column > 0 { output.append(contentsOf: crlf) }
    }

    static func base64String(_ bytes: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        base64(bytes, lineLength: nil, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Text as UTF-8 with every line break (CRLF, LF or CR) made CRLF and a
    /// final CRLF added when missing.
    static func crlfLines(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 32 + 2)
        var previousWasCR = false
        for byte in text.utf8 {
            switch byte {
            case 13:
                output.append(contentsOf: crlf)
                previousWasCR = true
                continue
            case 10:
                if !previousWasCR { output.append(contentsOf: crlf) }
            default:
                output.append(byte)
            }
            previousWasCR = false
        }
        if output.count < 2 || output[output.count - 2] != 13 || output[output.count - 1] != 10 {
            output.append(contentsOf: crlf)
        }
        return output
    }

    /// Quoted-printable of CRLF-separated text (as made by `crlfLines`): hard
    /// line breaks stay CRLF, lines are soft-broken to at most 76 characters,
    /// spaces and tabs before a line end, `=`, a line-initial `.` and every
    /// byte outside printable ASCII are escaped.
    static func quotedPrintable(crlfText bytes: [UInt8], into output: inout [UInt8]) {
        let maximumLine = 76
        var lineStart = 0
        var index = 0
        while index <= bytes.count {
            let atLineEnd = index == bytes.count || (bytes[index] == 13 && index + 1 < bytes.count && bytes[index + 1] == 10)
            guard atLineEnd else { index += 1; continue }
            let line = bytes[lineStart..<index]
            var column = 0
            for position in line.indices {
                let byte = line[position]
                let isLast = position == line.index(before: line.endIndex)
                let literal: Bool
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    literal = !isLast
                case UInt8(ascii: "="):
                    literal = false
                case UInt8(ascii: "."):
                    literal = column != 0
                case 33...126:
                    literal = true
                default:
                    literal = false
                }
                let width = literal ? 1 : 3
                // Keep room for the soft break's "=" unless this is the last character.
                let limit = isLast ? maximumLine : maximumLine - 1
                if column + width > limit {
                    output.append(UInt8(ascii: "="))
                    output.append(contentsOf: crlf)
                    column = 0
                }
                if literal && byte == UInt8(ascii: ".") && column == 0 {
                    // After a soft break the dot would start a line: escape it too.
                    output.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "2"), UInt8(ascii: "E")])
                    column += 3
                } else if literal {
                    output.append(byte)
                    column += 1
                } else {
                    output.append(UInt8(ascii: "="))
                    Hex.append(byte, to: &output, uppercase: true)
                    column += 3
                }
            }
            if index == bytes.count {
                if !line.isEmpty { output.append(contentsOf: crlf) }
                break
            }
            output.append(contentsOf: crlf)
            index += 2
            lineStart = index
        }
    }

    /// True when `text` can be written as-is in an unstructured header: printable
    /// ASCII and spaces, no word longer than fits a folded line, nothing that
    /// looks like an encoded word.
    static func isPlainHeaderText(_ text: String) -> Bool {
        guard text.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }), !text.contains("=?") else { return false }
        return text.split(separator: " ").allSatisfy { $0.utf8.count <= 70 }
    }

    /// RFC 2047 "B" encoded words for `text`, each at most 64 characters and
    /// never splitting a character's UTF-8 bytes, to be joined by folding
    /// whitespace (which decoders drop between adjacent encoded words).
    static func encodedWords(_ text: String) -> [String] {
        let chunkLimit = 39  // bytes: 52 base64 characters, 64 with the =?UTF-8?B? … ?= frame
        var words: [String] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let utf8 = Array(String(scalar).utf8)
            if chunk.count + utf8.count > chunkLimit {
                words.append("=?UTF-8?B?" + base64String(chunk) + "?=")
                chunk = []
            }
            chunk.append(contentsOf: utf8)
        }
        if !chunk.isEmpty || words.isEmpty {
            words.append("=?UTF-8?B?" + base64String(chunk) + "?=")
        }
        return words
    }

    /// A MIME parameter as header pieces: `name="value"` when the value is
    /// short printable ASCII, otherwise RFC 2231 `name*=UTF-8''%C3%A5…`, split
    /// into numbered continuations (`name*0*=…;` `name*1*=…`) so that no line
    /// passes 78 characters. Every piece but the last ends in `;`.
    static func parameter(_ name: String, _ value: String) -> [String] {
        let plain = value.utf8.allSatisfy { $0 >= 32 && $0 < 127 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        if plain && value.utf8.count <= 60 {
            return ["\(name)=\"\(value)\""]
        }
        let unreserved = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~".utf8)
        // Percent-encoded units, never split across continuations.
        var units: [String] = []
        for byte in value.utf8 {
            if unreserved.contains(byte) {
                units.append(String(UnicodeScalar(byte)))
            } else {
                units.append("%" + Hex.encode(CollectionOfOne(byte), uppercase: true))
            }
        }
        var chunks: [String] = []
        var chunk = "UTF-8''"
        for unit in units {
            if chunk.utf8.count + unit.utf8.count > 56 {
                chunks.append(chunk)
                chunk = ""
            }
            chunk += unit
        }
        chunks.append(chunk)
        if chunks.count == 1 {
            return ["\(name)*=\(chunks[0])"]
        }
        return chunks.enumerated().map { index, chunk in
            "\(name)*\(index)*=\(chunk)" + (index == chunks.count - 1 ? "" : ";")
        }
    }

    /// A display name as a phrase: atoms as they are, other ASCII as a quoted
    /// string, anything else as encoded words.
    static func phrase(_ name: String) -> [String] {
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~ ".utf8)
        if name.utf8.allSatisfy({ atext.contains($0) }) && !name.contains("=?") {
            return name.split(separator: " ").map(String.init)
        }
        if name.utf8.allSatisfy({ $0 >= 32 && $0 < 127 }) {
            var quoted = "\""
            for character in name {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            return [quoted + "\""]
        }
        return encodedWords(name)
    }

    /// A 64-bit FNV-1a hash, for a deterministic multipart boundary.
    static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
