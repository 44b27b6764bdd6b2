/// The static type of an expression, checked when a form is loaded so that a
/// type mismatch is a load error and never a runtime surprise.
public indirect enum ValueType: Sendable, Hashable, CustomStringConvertible {
    case number
    case text
    case bool
    case date
    case list(ValueType)
    /// One item of a list of fields (a row with its own fields): only
    /// counted, tested with `empty`/`filled`, or read field by field as
    /// `${list.N.field}` / `${list.*.field}`; never a number or a text.
    case item
    /// Unknown at load time (a literal empty list, a list item without a
    /// type): accepted wherever a type is expected and checked at run time.
    case any

    public var description: String {
        switch self {
        case .number: "number"
        case .text: "text"
        case .bool: "bool"
        case .date: "date"
        case .list(.item): "list of items with fields"
        case .list(let element): "list of \(element)"
        case .item: "list item with fields"
        case .any: "any value"
        }
    }

    /// Whether a value of type `self` may stand where `other` is expected;
    /// `.any` on either side matches.
    public func isCompatible(with other: ValueType) -> Bool {
        switch (self, other) {
        case (.any, _), (_, .any): true
        case (.list(let left), .list(let right)): left.isCompatible(with: right)
        default: self == other
        }
    }

    /// The element type when this is a list.
    var elementType: ValueType? {
        switch self {
        case .list(let element): element
        case .any: .any
        default: nil
        }
    }

    /// The more specific of two compatible types (`.any` gives way).
    func refined(by other: ValueType) -> ValueType {
        switch (self, other) {
        case (.any, _): other
        case (.list(let left), .list(let right)): .list(left.refined(by: right))
        default: self
        }
    }
}
