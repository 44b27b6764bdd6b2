/// A problem in an expression, located by column.
///
/// `offset` and `length` count `Character`s from the start of the expression
/// text (0-based), so a caret can be drawn under the offending part; see
/// `rendered(source:)`. Messages are English and name what was expected and
/// what was found.
public struct ExpressionDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// Column of the first offending character, 0-based, in `Character`s.
    public let offset: Int
    /// Number of offending characters (at least 1).
    public let length: Int
    public let message: String

    public init(offset: Int, length: Int = 1, message: String) {
        self.offset = max(0, offset)
        self.length = max(1, length)
        self.message = message
    }

    /// `column 12: cannot compare number with text` (1-based column).
    public var description: String {
        "column \(offset + 1): \(message)"
    }

    /// The source line holding `offset` and, below it, a caret line marking the
    /// offending characters:
    ///
    ///     sum(${a}, ${b}) = 'x'
    ///                     ^
    ///
    /// Tabs before the column are kept so the caret lines up. An offset at the
    /// end of the text puts the caret just after the last character.
    public func rendered(source: String) -> String {
        var lines: [[Character]] = [[]]
        var lineOfOffset = -1
        var columnOfOffset = 0
        for (index, character) in source.enumerated() {
            if index == offset {
                lineOfOffset = lines.count - 1
                columnOfOffset = lines[lines.count - 1].count
            }
            if character.isNewline {
                lines.append([])
            } else {
                lines[lines.count - 1].append(character)
            }
        }
        if lineOfOffset < 0 {
            // At or past the end: after the last character of the last line.
            lineOfOffset = lines.count - 1
            columnOfOffset = lines[lineOfOffset].count
        }
        let line = lines[lineOfOffset]
        var caret = ""
        for character in line.prefix(columnOfOffset) {
            caret.append(character == "\t" ? "\t" : " ")
        }
        let marked = max(1, min(length, line.count - columnOfOffset))
        caret.append("^")
        caret.append(String(repeating: "~", count: marked - 1))
        return String(line) + "\n" + caret
    }

    /// The same problem moved `distance` columns to the right (a placeholder's
    /// expression reported within its whole message).
    func shifted(by distance: Int) -> ExpressionDiagnostic {
        ExpressionDiagnostic(offset: offset + distance, length: length, message: message)
    }
}
