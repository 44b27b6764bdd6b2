/// The one byte form of a JSON value that signatures and hashes are taken over.
///
/// Compact (no white space), object keys sorted by their UTF-8 bytes, numbers
/// as their literal text (`2.80` stays `2.80`, so it differs from `2.8`),
/// strings escaped exactly as `JSONValue.serialized()` escapes them. Two equal
/// values give the same bytes whatever the order of their keys, and
/// `JSONValue.parse(CanonicalJSON.bytes(value)) == value`.
///
/// Keys are written as the UTF-8 they hold, without Unicode normalisation:
/// `JSONObject` treats a precomposed `"é"` and `"e\u{301}"` as the same key,
/// but their bytes differ. That is deliberate: the bytes are evidence of what
/// was signed, and normalising would change what a person typed.
public enum CanonicalJSON {
    /// The canonical bytes of `value`. Numbers must hold valid literals, as
    /// for `JSONValue.serialized()`.
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        write(value, to: &output)
        return output
    }

    private static func write(_ value: JSONValue, to output: inout [UInt8]) {
        switch value {
        case .null, .bool, .number, .string:
            // Scalars have one form already; sharing the serializer keeps the
            // escaping identical to `serialized()`.
            output.append(contentsOf: value.serialized().utf8)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            let members = object.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(UInt8(ascii: "\""))
                output.append(contentsOf: JSONValue.escaped(member.key).utf8)
                output.append(UInt8(ascii: "\""))
                output.append(UInt8(ascii: ":"))
                write(member.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }
}
