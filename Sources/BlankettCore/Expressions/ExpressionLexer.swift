/// Splits expression text into tokens. Offsets count `Character`s, so a caret
/// lines up under Swedish text as it is displayed.
struct ExpressionLexer {
    private let characters: [Character]
    private var position = 0
    /// Added to columns named in messages ("at column 5") when the source is
    /// part of a longer text (a message placeholder); offsets stay relative.
    private let columnBase: Int

    init(_ source: String, columnBase: Int = 0) {
        characters = Array(source)
        self.columnBase = columnBase
    }

    /// All tokens, ending with `.end`, or the first lexical problem.
    static func tokenize(_ source: String, columnBase: Int = 0) -> Result<[ExpressionToken], ExpressionDiagnostic> {
        var lexer = ExpressionLexer(source, columnBase: columnBase)
        var tokens: [ExpressionToken] = []
        do {
            while true {
                let token = try lexer.next()
                tokens.append(token)
                if token.kind == .end { return .success(tokens) }
            }
        } catch {
            return .failure(error)
        }
    }

    private func peek(_ distance: Int = 0) -> Character? {
        let index = position + distance
        return index < characters.count ? characters[index] : nil
    }

    private func token(_ kind: ExpressionToken.Kind, _ text: String, from start: Int) -> ExpressionToken {
        ExpressionToken(kind: kind, text: text, offset: start, length: position - start)
    }

    mutating func next() throws(ExpressionDiagnostic) -> ExpressionToken {
        while let character = peek(), character.isWhitespace { position += 1 }
        let start = position
        guard let character = peek() else {
            return ExpressionToken(kind: .end, text: "", offset: start, length: 0)
        }
        if character.isASCIIDigit { return try number() }
        if character.isIdentifierStart { return word() }
        position += 1
        switch character {
        case "$":
            return try reference(from: start)
        case "'":
            return try text(from: start)
        case ".":
            if let next = peek(), next.isASCIIDigit {
                throw ExpressionDiagnostic(offset: start, message: "a number must start with a digit: write '0.\(next)…'")
            }
            return token(.selfReference, ".", from: start)
        case "(": return token(.leftParenthesis, "(", from: start)
        case ")": return token(.rightParenthesis, ")", from: start)
        case ",": return token(.comma, ",", from: start)
        case "+": return token(.plus, "+", from: start)
        case "-": return token(.minus, "-", from: start)
        case "*": return token(.star, "*", from: start)
        case "/": return token(.slash, "/", from: start)
        case "=":
            if peek() == "=" {
                throw ExpressionDiagnostic(offset: start, length: 2, message: "use '=' to compare, not '=='")
            }
            return token(.equal, "=", from: start)
        case "!":
            guard peek() == "=" else {
                throw ExpressionDiagnostic(offset: start, message: "use 'not' to negate, not '!'")
            }
            position += 1
            return token(.notEqual, "!=", from: start)
        case "<":
            if peek() == "=" {
                position += 1
                return token(.lessOrEqual, "<=", from: start)
            }
            if peek() == ">" {
                throw ExpressionDiagnostic(offset: start, length: 2, message: "use '!=' for 'not equal', not '<>'")
            }
            return token(.less, "<", from: start)
        case ">":
            if peek() == "=" {
                position += 1
                return token(.greaterOrEqual, ">=", from: start)
            }
            return token(.greater, ">", from: start)
        case "&":
            throw ExpressionDiagnostic(offset: start, length: peek() == "&" ? 2 : 1, message: "use 'and', not '&&'")
        case "|":
            throw ExpressionDiagnostic(offset: start, length: peek() == "|" ? 2 : 1, message: "use 'or', not '||'")
        case "\"":
            throw ExpressionDiagnostic(offset: start, message: "text is written in single quotes: 'like this'")
        case "{", "}":
            throw ExpressionDiagnostic(offset: start, message: "unexpected '\(character)'; a field is written ${path}")
        default:
            throw ExpressionDiagnostic(offset: start, message: "unexpected character '\(character)'")
        }
    }

    /// `12` or `2.80`: digits, optionally a point and more digits.
    private mutating func number() throws(ExpressionDiagnostic) -> ExpressionToken {
        let start = position
        while let character = peek(), character.isASCIIDigit { position += 1 }
        if peek() == "." {
            guard let next = peek(1), next.isASCIIDigit else {
                throw ExpressionDiagnostic(offset: position, message: "expected digits after the decimal point")
            }
            position += 1
            while let character = peek(), character.isASCIIDigit { position += 1 }
        }
        if let character = peek(), character.isIdentifierStart {
            throw ExpressionDiagnostic(offset: position, message: "unexpected '\(character)' after the number '\(String(characters[start..<position]))'")
        }
        return token(.number, String(characters[start..<position]), from: start)
    }

    /// A function name or a keyword.
    private mutating func word() -> ExpressionToken {
        let start = position
        while let character = peek(), character.isIdentifierContinuation { position += 1 }
        let name = String(characters[start..<position])
        switch name {
        case "and": return token(.keywordAnd, name, from: start)
        case "or": return token(.keywordOr, name, from: start)
        case "not": return token(.keywordNot, name, from: start)
        case "true": return token(.keywordTrue, name, from: start)
        case "false": return token(.keywordFalse, name, from: start)
        default: return token(.identifier, name, from: start)
        }
    }

    /// `${path}` after the `$`: letters, digits, `_`, `-`, `*`, separated by dots.
    private mutating func reference(from start: Int) throws(ExpressionDiagnostic) -> ExpressionToken {
        guard peek() == "{" else {
            throw ExpressionDiagnostic(offset: start, message: "expected '{' after '$'; a field is written ${path}")
        }
        position += 1
        let pathStart = position
        while let character = peek(), character.isPathCharacter { position += 1 }
        let path = String(characters[pathStart..<position])
        guard let character = peek() else {
            throw ExpressionDiagnostic(
                offset: start, length: position - start,
                message: "unterminated reference: '${' at column \(columnBase + start + 1) has no closing '}'")
        }
        guard character == "}" else {
            if character.isWhitespace || character == ")" || character == "," {
                throw ExpressionDiagnostic(
                    offset: position,
                    message: "expected '}' to close '${' at column \(columnBase + start + 1)")
            }
            throw ExpressionDiagnostic(
                offset: position,
                message: "unexpected '\(character)' in reference '${\(path)…'; ids use a-z, 0-9, '_' and '-'")
        }
        position += 1
        guard !path.isEmpty else {
            throw ExpressionDiagnostic(offset: start, length: 3, message: "empty reference '${}'; write ${path}")
        }
        if path.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            throw ExpressionDiagnostic(
                offset: start, length: position - start,
                message: "invalid reference '${\(path)}': a path is ids separated by single dots")
        }
        return token(.reference, path, from: start)
    }

    /// `'text'` after the opening quote; `''` inside stands for one quote.
    private mutating func text(from start: Int) throws(ExpressionDiagnostic) -> ExpressionToken {
        var content = ""
        while let character = peek() {
            position += 1
            if character == "'" {
                if peek() == "'" {
                    position += 1
                    content.append("'")
                    continue
                }
                return token(.text, content, from: start)
            }
            content.append(character)
        }
        throw ExpressionDiagnostic(
            offset: start, length: position - start,
            message: "unterminated text: the quote at column \(columnBase + start + 1) has no closing quote")
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && ("0"..."9").contains(self) }

    fileprivate var isIdentifierStart: Bool {
        isASCII && (("a"..."z").contains(self) || ("A"..."Z").contains(self) || self == "_")
    }

    fileprivate var isIdentifierContinuation: Bool { isIdentifierStart || isASCIIDigit }

    fileprivate var isPathCharacter: Bool {
        isIdentifierContinuation || self == "-" || self == "." || self == "*"
    }
}
