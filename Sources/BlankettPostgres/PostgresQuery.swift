import BlankettCore

/// A SQL statement whose interpolated values can only become bind parameters.
///
/// `"SELECT * FROM users WHERE email = \(email)"` sends `$1` and the value
/// separately through `PQexecParams`. Raw SQL text needs the explicit
/// `\(unsafeSQL: …)` label, so injection takes a visible decision.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation {
    public private(set) var sql: String
    public private(set) var binds: [PostgresBind]

    public init(unsafeSQL sql: String, binds: [PostgresBind] = []) {
        self.sql = sql
        self.binds = binds
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql = ""
        var binds: [PostgresBind] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds.reserveCapacity(interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            binds.append(value.postgresBind)
            sql += "$\(binds.count)"
        }

        public mutating func appendInterpolation(_ value: (some PostgresEncodable)?) {
            binds.append(value?.postgresBind ?? .null)
            sql += "$\(binds.count)"
        }

        /// Trusted SQL text (identifiers from code, migration files). Never user input.
        public mutating func appendInterpolation(unsafeSQL text: String) {
            sql += text
        }
    }
}

/// One parameter in PostgreSQL's text format with an optional type OID
/// (0 lets the server infer the type from the statement).
public struct PostgresBind: Sendable, Hashable {
    public let text: String?
    public let typeOID: UInt32

    public init(text: String?, typeOID: UInt32 = 0) {
        self.text = text
        self.typeOID = typeOID
    }

    public static let null = PostgresBind(text: nil)
}

public protocol PostgresEncodable: Sendable {
    var postgresBind: PostgresBind { get }
}

extension String: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: self) }
}

extension Substring: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self)) }
}

extension Int: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: 20) }
}

extension Int64: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: 20) }
}

extension Int32: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: String(self), typeOID: 23) }
}

extension Bool: PostgresEncodable {
    public var postgresBind: PostgresBind { PostgresBind(text: self ? "t" : "f", typeOID: 16) }
}

/// Texts sent as one array literal (`{"a","b"}`), for `$1::text[]` or
/// `$1::uuid[]` and `= ANY(…)`: one parameter however many values.
public struct PostgresTextArray: Sendable, Hashable, PostgresEncodable {
    public var values: [String]

    public init(_ values: [String]) {
        self.values = values
    }

    public var postgresBind: PostgresBind {
        PostgresBind(text: "{" + values.map { value in
            "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }.joined(separator: ",") + "}")
    }
}

/// Binary data, sent as `bytea` in hex text form.
public struct PostgresBytes: Sendable, Hashable, PostgresEncodable, PostgresDecodable {
    public var bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var postgresBind: PostgresBind {
        PostgresBind(text: "\\x" + Hex.encode(bytes), typeOID: 17)
    }

    public init(postgresText text: String?) throws(PostgresError) {
        guard let text else { throw .unexpectedNull(Self.self) }
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            throw PostgresError(kind: .decoding, message: "bytea is not in hex format")
        }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else {
                throw PostgresError(kind: .decoding, message: "bytea has a non-hex digit")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        self.bytes = bytes
    }
}
