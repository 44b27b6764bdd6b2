/// A JSON value that keeps numbers exactly as written and objects in order.
///
/// Numbers hold their literal text (`2.80`, `-0`, `1e400` stay what they
/// were); read them with `decimalValue`, which never goes through floating
/// point. Objects keep their keys in order for output and allow lookup by key
/// (see `JSONObject`). `JSONValue.parse(_:)` reads RFC 8259 JSON strictly;
/// `serialized()` writes canonical compact JSON and `prettyPrinted()` an
/// indented form with sorted keys for people.
///
/// Two values are equal when they are structurally equal, objects regardless
/// of key order; numbers compare by their text (`2.8` is not `2.80`).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number's literal text, which must be a valid JSON number
    /// (`JSONValue.isValidNumberLiteral`), e.g. `"2.80"`, `"-0"`, `"1e400"`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    // MARK: Building from Swift values

    public init(_ value: Int) { self = .number(String(value)) }
    public init(_ value: Int64) { self = .number(String(value)) }
    /// The machine form of the decimal, keeping its scale: `2.80` → `2.80`.
    public init(_ value: ExactDecimal) { self = .number(value.description) }
    public init(_ value: Bool) { self = .bool(value) }
    public init(_ value: String) { self = .string(value) }

    // MARK: Reading

    public var isNull: Bool { self == .null }

    public var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    public var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The literal text of a number.
    public var numberText: String? {
        if case .number(let text) = self { text } else { nil }
    }

    /// A number as an exact decimal, exponents applied (`2.80` → 2.80 with
    /// scale 2, `1e3` → 1000, `25E-2` → 0.25); `nil` for other values and for
    /// numbers that `ExactDecimal` cannot hold exactly (`1e400`, more than 18
    /// decimals).
    public var decimalValue: ExactDecimal? {
        guard case .number(let text) = self else { return nil }
        return Self.exactDecimal(fromNumberLiteral: text)
    }

    /// A number whose value is a whole number, as JSON Schema counts integers:
    /// `56937727`, `56937727.0` and `5.6937727e7` alike; nil otherwise.
    public var integerValue: Int? {
        decimalValue?.integerValue.flatMap { Int(exactly: $0) }
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    public var objectValue: JSONObject? {
        if case .object(let object) = self { object } else { nil }
    }

    /// The member `key` of an object; `nil` when missing or when this is not an object.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// The element at `index` of an array; `nil` when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    // MARK: Numbers

    /// Whether `text` is a number as RFC 8259 writes it:
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    public static func isValidNumberLiteral(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return numberLiteralEnd(bytes, from: 0) == bytes.count
    }

    /// The end of a valid number literal starting at `start`, or `nil`.
    static func numberLiteralEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { return nil }
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard isDigit(index) else { return nil }
            while isDigit(index) { index += 1 }
        }
        return index
    }

    static func exactDecimal(fromNumberLiteral text: String) -> ExactDecimal? {
        guard isValidNumberLiteral(text) else { return nil }
        let mantissaEnd = text.firstIndex(where: { $0 == "e" || $0 == "E" }) ?? text.endIndex
        let mantissa = text[..<mantissaEnd]
        var exponent = 0
        if mantissaEnd < text.endIndex {
            let exponentText = text[text.index(after: mantissaEnd)...]
            // Anything beyond four digits of exponent is out of range for Int128 anyway,
            // unless the mantissa is zero.
            let digits = exponentText.drop(while: { $0 == "+" || $0 == "-" }).drop(while: { $0 == "0" })
            guard digits.count <= 4, let magnitude = Int(digits.isEmpty ? "0" : String(digits)) else {
                return mantissa.contains(where: { $0 >= "1" && $0 <= "9" }) ? nil : .zero
            }
            exponent = exponentText.hasPrefix("-") ? -magnitude : magnitude
        }
        guard let base = ExactDecimal(canonical: mantissa) else { return nil }
        if exponent == 0 { return base }
        if exponent < 0 {
            let scale = base.scale - exponent
            guard scale <= ExactDecimal.maximumScale else { return nil }
            return ExactDecimal(units: base.units, scale: scale)
        }
        if exponent <= base.scale {
            return ExactDecimal(units: base.units, scale: base.scale - exponent)
        }
        var units = base.units
        for _ in 0..<(exponent - base.scale) {
            let (shifted, overflow) = units.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            units = shifted
        }
        return ExactDecimal(units: units, scale: 0)
    }
}

// MARK: Literals (for tests and fixed documents)

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(String(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// A repeated key is a programming error.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(uniqueKeysWithValues: elements))
    }
}
