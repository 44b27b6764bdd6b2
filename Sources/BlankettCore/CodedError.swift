/// An error with a stable code, to compare by, and a message, to show.
/// The core's small error types are this with their own `Code` enum.
public struct CodedError<Kind: RawRepresentable & Sendable & Hashable>: Error, Sendable, Hashable, CustomStringConvertible
where Kind.RawValue == String {
    public typealias Code = Kind

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
