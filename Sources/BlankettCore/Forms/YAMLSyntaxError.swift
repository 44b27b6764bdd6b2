import Yams

/// A YAML syntax error as `forms check` shows it: at the line where the
/// problem starts, with that source line and a caret under the column.
///
/// The YAML reader reports where it gave up, which for an unclosed quote is
/// lines later (a quoted text may span lines, so the reader runs on to the
/// next quote and fails there). When the place it gave up lies inside a
/// quoted text opened on an earlier line, the diagnostic points at that
/// opening quote instead and says where the reader stopped.
enum YAMLSyntaxError {
    static func diagnostic(for error: YamlError, in text: String, file: String) -> FormDiagnostic {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        func at(_ line: Int, _ column: Int, _ code: String, _ message: String) -> FormDiagnostic {
            FormDiagnostic(SourceLocation(file: file, line: line, column: column), code, message,
                           snippet: snippet(lines, line: line, column: column))
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            if let quote = openQuote(lines, before: mark) {
                return at(quote.line, quote.column, "yaml-syntax",
                          "this quoted text is not closed on its line; the YAML reader ran on to line \(mark.line), column \(mark.column), and stopped: \(problem)")
            }
            if let context, context.mark.line < mark.line, context.text.contains("quoted scalar") {
                return at(context.mark.line, context.mark.column, "yaml-syntax",
                          "this quoted text is not closed: \(problem) (line \(mark.line))")
            }
            return at(mark.line, mark.column, "yaml-syntax", problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return at(context.mark.line, context.mark.column, "duplicate-key", "duplicate keys: \(duplicates.joined(separator: ", "))")
        default:
            return FormDiagnostic(SourceLocation(file: file, line: 1, column: 1), "yaml-syntax", "\(error)")
        }
    }

    /// The 1-based line and column of a quote that opens a quoted value on an
    /// earlier line than `mark` and is still open at `mark`, or that the next
    /// quote closed on the line of `mark` (the quote the writer meant to open
    /// there closed the runaway one instead).
    ///
    /// A quote opens a quoted value only where a value starts (after `: `,
    /// `- `, `[`, `{` or `,`, or at the start of a line); elsewhere it is part
    /// of plain text. Comments end a line outside quotes.
    static func openQuote(_ lines: [Substring], before mark: Mark) -> (line: Int, column: Int)? {
        var open: (line: Int, column: Int, quote: Character)?
        /// The last quoted value that ran over more than one line.
        var spanning: (line: Int, column: Int, closingLine: Int)?
        for (index, line) in lines.prefix(mark.line).enumerated() {
            let characters = Array(line.unicodeScalars)
            var position = 0
            let end = index == mark.line - 1 ? min(characters.count, max(0, mark.column - 1)) : characters.count
            var previous: Unicode.Scalar?
            while position < end {
                let character = characters[position]
                if let current = open {
                    if current.quote == "\"" && character == "\\" {
                        position += 2
                        continue
                    }
                    if current.quote == "'" && character == "'" && position + 1 < characters.count && characters[position + 1] == "'" {
                        position += 2
                        continue
                    }
                    if Character(character) == current.quote {
                        if current.line < index + 1 { spanning = (current.line, current.column, index + 1) }
                        open = nil
                    }
                } else if character == "#" && (previous == nil || previous == " " || previous == "\t") {
                    break
                } else if character == "\"" || character == "'" {
                    let before = characters[..<position].last { $0 != " " && $0 != "\t" }
                    if before == nil || [":", "-", "[", "{", ","].contains(before!) {
                        open = (index + 1, position + 1, Character(character))
                    }
                }
                previous = character
                position += 1
            }
        }
        if let open { return open.line < mark.line ? (open.line, open.column) : nil }
        // Closed by the next quote, on the line where the reader failed.
        if let spanning, spanning.closingLine == mark.line { return (spanning.line, spanning.column) }
        return nil
    }

    /// The source line and a caret under `column` (1-based, in Unicode scalars
    /// as the YAML reader counts), with tabs kept so the caret lines up.
    static func snippet(_ lines: [Substring], line: Int, column: Int) -> String? {
        guard line >= 1, line <= lines.count else { return nil }
        let source = lines[line - 1]
        var caret = ""
        for scalar in source.unicodeScalars.prefix(max(0, column - 1)) {
            caret.append(scalar == "\t" ? "\t" : " ")
        }
        return String(source) + "\n" + caret + "^"
    }
}
