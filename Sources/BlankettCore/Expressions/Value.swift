/// A value as expressions see it: one answer slot, a constant, or an
/// intermediate result.
///
/// Choices are `.text(optionId)`, multichoice answers a `.list` of `.text`,
/// yes/no answers `.bool`. `.empty` is "no answer"; in arithmetic and
/// comparisons it stands for *unknown*.
public enum Value: Sendable, Hashable {
    case empty
    case number(ExactDecimal)
    case text(String)
    case bool(Bool)
    case date(LocalDate)
    case list([Value])

    /// No answer, as `empty(x)` sees it: `.empty`, empty text, or a list whose
    /// elements are all empty (including a list without elements).
    public var isEmpty: Bool {
        switch self {
        case .empty: true
        case .text(let text): text.isEmpty
        case .list(let items): items.allSatisfy(\.isEmpty)
        case .number, .bool, .date: false
        }
    }

    /// The static type of this value; `.any` for `.empty`, `.list(.any)` for a
    /// list whose element type cannot be told from its first element.
    public var valueType: ValueType {
        switch self {
        case .empty: .any
        case .number: .number
        case .text: .text
        case .bool: .bool
        case .date: .date
        case .list(let items): .list(items.first?.valueType ?? .any)
        }
    }
}
