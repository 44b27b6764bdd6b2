/// The id of one kind of thing Blankett keeps: a UUID in its lowercase text
/// form. Read from text once, where it enters (a route, a command line);
/// past that point a `CaseID` is never mistaken for a `PersonID` or a string.
public protocol EntityID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The lowercase UUID text.
    var uuid: String { get }
    /// For ids the store made itself; everything typed goes through `init?(_:)`.
    init(unchecked uuid: String)
}

extension EntityID {
    /// The id in `text`, or nil when `text` is not a UUID (any case).
    public init?(_ text: some StringProtocol) {
        guard Self.isUUID(text) else { return nil }
        self.init(unchecked: text.lowercased())
    }

    public var description: String { uuid }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.uuid < rhs.uuid }

    /// `8-4-4-4-12` hexadecimal digits.
    public static func isUUID(_ text: some StringProtocol) -> Bool {
        let utf8 = Array(text.utf8)
        guard utf8.count == 36 else { return false }
        for (index, byte) in utf8.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte) else { return false }
            }
        }
        return true
    }
}

public struct CaseID: EntityID {
    public let uuid: String
    public init(unchecked uuid: String) { self.uuid = uuid }
}

/// A person who signs in (a user).
public struct PersonID: EntityID {
    public let uuid: String
    public init(unchecked uuid: String) { self.uuid = uuid }
}

/// A kommun or one of its units.
public struct OrganisationID: EntityID {
    public let uuid: String
    public init(unchecked uuid: String) { self.uuid = uuid }
}

/// A grant round.
public struct RoundID: EntityID {
    public let uuid: String
    public init(unchecked uuid: String) { self.uuid = uuid }
}

public struct NamndID: EntityID {
    public let uuid: String
    public init(unchecked uuid: String) { self.uuid = uuid }
}
