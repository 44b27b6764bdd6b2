extension JSONValue {
    /// Containers (arrays and objects) may nest at most this deep.
    public static let maximumDepth = 64
    /// A number literal may have at most this many characters.
    public static let maximumNumberLength = 40

    /// Reads one JSON document (RFC 8259), strictly:
    /// - the input must be valid UTF-8, without a byte order mark;
    /// - strings may not contain unescaped control characters (U+0000–U+001F),
    ///   and `\u` escapes may not leave a lone surrogate;
    /// - an object may not repeat a key;
    /// - nothing but white space may follow the value;
    /// - containers nest at most `maximumDepth` deep, numbers have at most
    ///   `maximumNumberLength` characters and keep their literal text.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let contiguous = Array(bytes)
        // Read in place: no bounds checks or reference counting per byte.
        let result: Result<JSONValue, JSONParseError> = contiguous.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer)
            return Result { () throws(JSONParseError) in try parser.parseDocument() }
        }
        return try result.get()
    }

    /// Reads one JSON document from text; see `parse(_:)` for bytes.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// A recursive-descent reader over UTF-8 bytes, one function per production.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw JSONParseError(offset: 0, reason: "a byte order mark is not allowed")
        }
        skipWhitespace()
        let value = try parseValue(expected: "a value")
        skipWhitespace()
        guard position == bytes.count else { throw unexpected("end of input") }
        return value
    }

    // MARK: Values

    private mutating func parseValue(expected: String) throws(JSONParseError) -> JSONValue {
        guard position < bytes.count else { throw unexpected(expected) }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw unexpected(expected)
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        position += 1 // {
        skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            position += 1
            depth -= 1
            return .object(JSONObject())
        }
        // Members are gathered here and handed over whole; repeated keys are
        // found by comparing with the few read so far, or, once the object
        // is large, by the index the object keeps.
        var keys: [String] = []
        var values: [JSONValue] = []
        keys.reserveCapacity(4)
        values.reserveCapacity(4)
        var positions: [String: Int]?
        var expectedKey = "a string key or '}'"
        while true {
            guard peek(UInt8(ascii: "\"")) else { throw unexpected(expectedKey) }
            let keyOffset = position
            let key = try parseString()
            skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { throw unexpected("':' after the key") }
            position += 1
            skipWhitespace()
            let value = try parseValue(expected: "a value")
            let repeated: Bool
            if keys.count < JSONObject.indexedFrom {
                repeated = keys.contains(key)
            } else {
                if positions == nil {
                    positions = Dictionary(minimumCapacity: 4 * keys.count)
                    for (index, earlier) in keys.enumerated() { positions![earlier] = index }
                }
                repeated = positions!.updateValue(keys.count, forKey: key) != nil
            }
            guard !repeated else {
                throw JSONParseError(offset: keyOffset, reason: "duplicate key \(Self.quoted(key))")
            }
            keys.append(key)
            values.append(value)
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                position += 1
                skipWhitespace()
                expectedKey = "a string key"
            } else if peek(UInt8(ascii: "}")) {
                position += 1
                depth -= 1
                return .object(JSONObject(uniqueKeys: keys, values: values, positions: positions))
            } else {
                throw unexpected("',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enterContainer()
        position += 1 // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek(UInt8(ascii: "]")) {
            position += 1
            depth -= 1
            return .array(elements)
        }
        var expected = "a value or ']'"
        while true {
            elements.append(try parseValue(expected: expected))
            skipWhitespace()
            if peek(UInt8(ascii: ",")) {
                position += 1
                skipWhitespace()
                expected = "a value"
            } else if peek(UInt8(ascii: "]")) {
                position += 1
                depth -= 1
                return .array(elements)
            } else {
                throw unexpected("',' or ']'")
            }
        }
    }

    private mutating func enterContainer() throws(JSONParseError) {
        depth += 1
        if depth > JSONValue.maximumDepth {
            throw JSONParseError(
                offset: position,
                reason: "nesting deeper than \(JSONValue.maximumDepth) levels"
            )
        }
    }

    private mutating func parseLiteral(_ word: StaticString) throws(JSONParseError) {
        let start = position
        let expected = word.withUTF8Buffer { Array($0) }
        for byte in expected {
            guard position < bytes.count, bytes[position] == byte else {
                throw JSONParseError(offset: start, reason: "invalid literal, expected '\(word)'")
            }
            position += 1
        }
    }

    // MARK: Numbers

    private mutating func parseNumber() throws(JSONParseError) -> String {
        let start = position
        var index = position
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        func fail(_ offset: Int, _ reason: String) -> JSONParseError {
            JSONParseError(offset: offset, reason: reason)
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { throw fail(index, "invalid number, expected a digit after '-'") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { throw fail(index - 1, "invalid number, leading zeros are not allowed") }
        } else {
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { throw fail(index, "invalid number, expected a digit after '.'") }
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard isDigit(index) else { throw fail(index, "invalid number, expected a digit in the exponent") }
            while isDigit(index) { index += 1 }
        }
        guard index - start <= JSONValue.maximumNumberLength else {
            throw fail(start, "number longer than \(JSONValue.maximumNumberLength) characters")
        }
        position = index
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    // MARK: Strings

    private mutating func parseString() throws(JSONParseError) -> String {
        let start = position
        position += 1 // "
        // Most strings have no escape: checked in place and made into a
        // String in one go; the first backslash switches to copying.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: bytes[(start + 1)..<(position - 1)], as: UTF8.self)
            } else if byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") {
                position += 1
            } else if byte >= 0x80 {
                position += try utf8SequenceLength(at: position)
            } else {
                break
            }
        }
        var utf8 = Array(bytes[(start + 1)..<position])
        while true {
            guard position < bytes.count else {
                throw JSONParseError(offset: start, reason: "unterminated string")
            }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0x00..<0x20:
                throw JSONParseError(
                    offset: position,
                    reason: "control character \(Self.hex(byte, prefix: "U+00")) must be escaped in a string"
                )
            case 0x20..<0x80:
                utf8.append(byte)
                position += 1
            default:
                let length = try utf8SequenceLength(at: position)
                utf8.append(contentsOf: bytes[position..<position + length])
                position += length
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONParseError) {
        let start = position
        position += 1 // backslash
        guard position < bytes.count else {
            throw JSONParseError(offset: start, reason: "unterminated escape sequence")
        }
        let character = bytes[position]
        position += 1
        switch character {
        case UInt8(ascii: "\""): utf8.append(0x22)
        case UInt8(ascii: "\\"): utf8.append(0x5C)
        case UInt8(ascii: "/"): utf8.append(0x2F)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try parseHex4(escapeStart: start)
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                      bytes[position + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError(offset: start, reason: "lone surrogate in \\u escape")
                }
                let lowStart = position
                position += 2
                let low = try parseHex4(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONParseError(offset: start, reason: "lone surrogate in \\u escape")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw JSONParseError(offset: start, reason: "lone surrogate in \\u escape")
            }
            // Valid by construction: not a surrogate, at most U+10FFFF.
            utf8.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
        default:
            throw JSONParseError(offset: start, reason: "invalid escape sequence")
        }
    }

    /// Four hex digits after `\u`.
    private mutating func parseHex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard position < bytes.count else {
                throw JSONParseError(offset: escapeStart, reason: "invalid \\u escape, expected four hex digits")
            }
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw JSONParseError(offset: escapeStart, reason: "invalid \\u escape, expected four hex digits")
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }

    /// The length of the well-formed UTF-8 sequence (RFC 3629) of two to four
    /// bytes starting at `index`, which holds a byte ≥ 0x80.
    private func utf8SequenceLength(at index: Int) throws(JSONParseError) -> Int {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F // no UTF-16 surrogates
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F // at most U+10FFFF
        default: throw JSONParseError(offset: index, reason: "invalid UTF-8")
        }
        for offset in 1..<length {
            let continuationIndex = index + offset
            let range = offset == 1 ? secondRange : 0x80...0xBF
            guard continuationIndex < bytes.count, range.contains(bytes[continuationIndex]) else {
                throw JSONParseError(offset: index, reason: "invalid UTF-8")
            }
        }
        return length
    }

    // MARK: Helpers

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func peek(_ byte: UInt8) -> Bool {
        position < bytes.count && bytes[position] == byte
    }

    /// "expected X, found Y" at the current position.
    private func unexpected(_ expected: String) -> JSONParseError {
        JSONParseError(offset: position, reason: "expected \(expected), found \(found)")
    }

    /// What is at the current position, described without quoting more than one character.
    private var found: String {
        guard position < bytes.count else { return "end of input" }
        let byte = bytes[position]
        if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { return "white space" }
        return "byte \(Self.hex(byte, prefix: "0x"))"
    }

    static func hex(_ byte: UInt8, prefix: String) -> String {
        prefix + Hex.encode(CollectionOfOne(byte), uppercase: true)
    }

    /// A key for an error message, cut to 40 characters.
    static func quoted(_ key: String) -> String {
        let cut = key.count > 40 ? String(key.prefix(40)) + "…" : key
        return "\"" + JSONValue.escaped(cut) + "\""
    }
}
