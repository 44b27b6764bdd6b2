extension JSONValue {
    /// Canonical compact JSON: keys in stored order, no insignificant white
    /// space, numbers as their literal text, strings escaped per RFC 8259
    /// (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`, other control characters as
    /// `\u00XX`; everything else, including non-ASCII and `/`, as is).
    /// `JSONValue.parse(value.serialized()) == value` for every value whose
    /// numbers are valid literals.
    public func serialized() -> String {
        var output: [UInt8] = []
        write(to: &output, pretty: false, indent: 0)
        return String(decoding: output, as: UTF8.self)
    }

    /// JSON for people: keys sorted (by UTF-8 bytes), two spaces of
    /// indentation, `"key": value`; empty containers as `[]` and `{}`.
    public func prettyPrinted() -> String {
        var output: [UInt8] = []
        write(to: &output, pretty: true, indent: 0)
        return String(decoding: output, as: UTF8.self)
    }

    /// `string` with RFC 8259 escapes, without the surrounding quotes.
    static func escaped(_ string: String) -> String {
        var output: [UInt8] = []
        writeEscaped(string, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private func write(to output: inout [UInt8], pretty: Bool, indent: Int) {
        switch self {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let value):
            output.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let text):
            assert(Self.isValidNumberLiteral(text), "JSONValue.number holds an invalid literal")
            output.append(contentsOf: text.utf8)
        case .string(let string):
            output.append(UInt8(ascii: "\""))
            Self.writeEscaped(string, to: &output)
            output.append(UInt8(ascii: "\""))
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                if pretty { Self.newline(&output, indent: indent + 1) }
                element.write(to: &output, pretty: pretty, indent: indent + 1)
            }
            if pretty, !elements.isEmpty { Self.newline(&output, indent: indent) }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            let members: [JSONObject.Element] = pretty
                ? object.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                : Array(object)
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                if pretty { Self.newline(&output, indent: indent + 1) }
                output.append(UInt8(ascii: "\""))
                Self.writeEscaped(member.key, to: &output)
                output.append(UInt8(ascii: "\""))
                output.append(UInt8(ascii: ":"))
                if pretty { output.append(UInt8(ascii: " ")) }
                member.value.write(to: &output, pretty: pretty, indent: indent + 1)
            }
            if pretty, !members.isEmpty { Self.newline(&output, indent: indent) }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ output: inout [UInt8], indent: Int) {
        output.append(0x0A)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    private static func writeEscaped(_ string: String, to output: inout [UInt8]) {
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: "\\\\".utf8)
            case 0x08: output.append(contentsOf: "\\b".utf8)
            case 0x0C: output.append(contentsOf: "\\f".utf8)
            case 0x0A: output.append(contentsOf: "\\n".utf8)
            case 0x0D: output.append(contentsOf: "\\r".utf8)
            case 0x09: output.append(contentsOf: "\\t".utf8)
            case 0x00..<0x20:
                output.append(contentsOf: "\\u00".utf8)
                Hex.append(byte, to: &output)
            default: output.append(byte)
            }
        }
    }
}
