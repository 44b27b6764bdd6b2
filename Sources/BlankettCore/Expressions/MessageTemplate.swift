/// A rule or constraint message with `{expression}` placeholders:
/// `"Summan ({sum(${a}, ${b})}) ska vara {${t}}."`.
///
/// A `{` starts a placeholder that runs to its matching `}`; `${…}` inside
/// nests, and braces inside quoted text (`'…'`) do not count. `{{` and `}}`
/// are literal braces. A bare `${path}` outside a placeholder is an error
/// (write `{${path}}`), so a reference is never shown as raw text by mistake.
public struct MessageTemplate: Sendable {
    public enum Part: Sendable {
        case literal(String)
        /// A placeholder's expression; its `sourceOffset` is the column after
        /// the `{` in the whole message.
        case expression(ExpressionSyntax)
    }

    public let parts: [Part]

    /// Splits `text` into literal and expression parts and parses each
    /// expression. Diagnostic offsets count `Character`s in the whole `text`.
    public static func parse(_ text: String) -> Result<MessageTemplate, ExpressionDiagnostic> {
        let characters = Array(text)
        var parts: [Part] = []
        var literal = ""
        var position = 0

        func flushLiteral() {
            if !literal.isEmpty {
                parts.append(.literal(literal))
                literal = ""
            }
        }

        while position < characters.count {
            let character = characters[position]
            let next = position + 1 < characters.count ? characters[position + 1] : nil
            switch character {
            case "{" where next == "{":
                literal.append("{")
                position += 2
            case "}" where next == "}":
                literal.append("}")
                position += 2
            case "}":
                return .failure(ExpressionDiagnostic(
                    offset: position, message: "'}' without a matching '{'; write '}}' for a brace in the text"))
            case "$" where next == "{":
                var end = position + 2
                while end < characters.count, characters[end] != "}" { end += 1 }
                let reference = String(characters[position..<min(end + 1, characters.count)])
                return .failure(ExpressionDiagnostic(
                    offset: position, length: min(end + 1, characters.count) - position,
                    message: "a field in a message is written inside braces: {\(reference)}"))
            case "{":
                let start = position + 1
                let close: Int
                switch placeholderEnd(characters, opening: position) {
                case .success(let index): close = index
                case .failure(let diagnostic): return .failure(diagnostic)
                }
                let source = String(characters[start..<close])
                if source.allSatisfy(\.isWhitespace) {
                    return .failure(ExpressionDiagnostic(
                        offset: position, length: close + 1 - position,
                        message: "empty placeholder '{}'; write '{{}}' for braces in the text"))
                }
                switch ExpressionParser.parse(source, sourceOffset: start) {
                case .success(let syntax):
                    flushLiteral()
                    parts.append(.expression(syntax))
                case .failure(let diagnostic):
                    return .failure(diagnostic.shifted(by: start))
                }
                position = close + 1
            default:
                literal.append(character)
                position += 1
            }
        }
        flushLiteral()
        return .success(MessageTemplate(parts: parts))
    }

    /// The index of the `}` closing the placeholder opened at `opening`.
    private static func placeholderEnd(_ characters: [Character], opening: Int) -> Result<Int, ExpressionDiagnostic> {
        var depth = 0
        var position = opening + 1
        var inText = false
        while position < characters.count {
            let character = characters[position]
            if inText {
                if character == "'" { inText = false }
            } else {
                switch character {
                case "'":
                    inText = true
                case "$" where position + 1 < characters.count && characters[position + 1] == "{":
                    depth += 1
                    position += 1
                case "{":
                    return .failure(ExpressionDiagnostic(
                        offset: position,
                        message: "unexpected '{' inside a placeholder; a field is written ${path}"))
                case "}":
                    if depth == 0 { return .success(position) }
                    depth -= 1
                default:
                    break
                }
            }
            position += 1
        }
        return .failure(ExpressionDiagnostic(
            offset: opening, length: characters.count - opening,
            message: "unterminated placeholder: '{' at column \(opening + 1) has no matching '}'"))
    }
}
