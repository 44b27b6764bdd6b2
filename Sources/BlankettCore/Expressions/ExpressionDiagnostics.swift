/// Every problem found while compiling one expression, ordered by column.
///
/// `Result` needs an `Error` as its failure type and an array is not one, so
/// the list is wrapped; it is a random-access collection, so `for`, `count`,
/// `first` and `map` work as on the array.
public struct ExpressionDiagnostics: Error, Sendable, Hashable, RandomAccessCollection, CustomStringConvertible {
    public let all: [ExpressionDiagnostic]

    public init(_ diagnostics: [ExpressionDiagnostic]) {
        all = diagnostics
    }

    public var startIndex: Int { all.startIndex }
    public var endIndex: Int { all.endIndex }
    public subscript(position: Int) -> ExpressionDiagnostic { all[position] }

    /// One diagnostic per line: `column 12: cannot compare number with text`.
    public var description: String {
        all.map(\.description).joined(separator: "\n")
    }
}
