/// Why a JSON document could not be read, and where.
///
/// `message` is precise enough for an API client to fix its request:
/// `"expected ',' or '}', found ']' at byte 123"`. It quotes at most one
/// character of the input (or a duplicated key, cut to 40 characters), never
/// values.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Zero-based offset of the offending byte in the input.
    public let offset: Int
    /// What is wrong, without the position: `"expected ',' or '}', found ']'"`.
    public let reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// `"<reason> at byte <offset>"`.
    public var message: String { "\(reason) at byte \(offset)" }

    public var description: String { message }
}
