/// Hand-written recursive-descent parser: one function per precedence level,
/// loosest first.
///
///     or          := and ("or" and)*
///     and         := not ("and" not)*
///     not         := "not" not | comparison
///     comparison  := additive (("=" | "!=" | "<" | "<=" | ">" | ">=") additive)?
///     additive    := multiplicative (("+" | "-") multiplicative)*
///     multiplicative := unary (("*" | "/") unary)*
///     unary       := "-" unary | primary
///     primary     := number | text | "true" | "false" | ${path} | "."
///                  | name "(" (or ("," or)*)? ")" | "(" or ")"
///
/// Binary operators associate to the left; comparisons do not chain.
public enum ExpressionParser {
    public static func parse(_ source: String) -> Result<ExpressionSyntax, ExpressionDiagnostic> {
        parse(source, sourceOffset: 0)
    }

    static func parse(_ source: String, sourceOffset: Int) -> Result<ExpressionSyntax, ExpressionDiagnostic> {
        let tokens: [ExpressionToken]
        switch ExpressionLexer.tokenize(source, columnBase: sourceOffset) {
        case .success(let lexed): tokens = lexed
        case .failure(let diagnostic): return .failure(diagnostic)
        }
        var parser = Parser(tokens: tokens, columnBase: sourceOffset)
        do {
            let root = try parser.parseExpression()
            return .success(ExpressionSyntax(source: source, sourceOffset: sourceOffset, root: root, references: parser.references))
        } catch {
            return .failure(error)
        }
    }
}

private struct Parser {
    /// Deeper nesting than this is refused rather than risking the stack.
    static let maximumDepth = 64

    let tokens: [ExpressionToken]
    var index = 0
    var depth = 0
    var references: [ReferenceSyntax] = []
    /// Added to columns named in messages when the source is a placeholder.
    let columnBase: Int

    init(tokens: [ExpressionToken], columnBase: Int) {
        self.tokens = tokens
        self.columnBase = columnBase
    }

    var current: ExpressionToken { tokens[index] }

    mutating func advance() -> ExpressionToken {
        let token = tokens[index]
        if token.kind != .end { index += 1 }
        return token
    }

    func error(_ message: String, at token: ExpressionToken) -> ExpressionDiagnostic {
        ExpressionDiagnostic(offset: token.offset, length: token.length, message: message)
    }

    mutating func parseExpression() throws(ExpressionDiagnostic) -> SyntaxNode {
        if current.kind == .end {
            throw error("empty expression", at: current)
        }
        let root = try parseOr()
        guard current.kind == .end else {
            if current.kind == .rightParenthesis {
                throw error("unexpected ')' without a matching '('", at: current)
            }
            if current.kind == .identifier, let keyword = Self.keyword(like: current.text) {
                throw error("unknown word '\(current.text)'; did you mean '\(keyword)'?", at: current)
            }
            throw error("expected an operator or the end of the expression, found \(current.quoted)", at: current)
        }
        return root
    }

    // MARK: Precedence levels, loosest first

    mutating func parseOr() throws(ExpressionDiagnostic) -> SyntaxNode {
        var left = try parseAnd()
        while current.kind == .keywordOr {
            let op = advance()
            let right = try parseAnd()
            left = binary(.or, left, right, op)
        }
        return left
    }

    mutating func parseAnd() throws(ExpressionDiagnostic) -> SyntaxNode {
        var left = try parseNot()
        while current.kind == .keywordAnd {
            let op = advance()
            let right = try parseNot()
            left = binary(.and, left, right, op)
        }
        return left
    }

    mutating func parseNot() throws(ExpressionDiagnostic) -> SyntaxNode {
        guard current.kind == .keywordNot else { return try parseComparison() }
        let keyword = advance()
        let operand = try nested { (parser) throws(ExpressionDiagnostic) in try parser.parseNot() }
        return SyntaxNode(kind: .not(operand), offset: keyword.offset, length: operand.end - keyword.offset)
    }

    mutating func parseComparison() throws(ExpressionDiagnostic) -> SyntaxNode {
        let left = try parseAdditive()
        guard let op = Self.comparisonOperator(current.kind) else { return left }
        let opToken = advance()
        let right = try parseAdditive()
        if Self.comparisonOperator(current.kind) != nil {
            throw error("comparisons cannot be chained; join them with 'and'", at: current)
        }
        return binary(op, left, right, opToken)
    }

    mutating func parseAdditive() throws(ExpressionDiagnostic) -> SyntaxNode {
        var left = try parseMultiplicative()
        while current.kind == .plus || current.kind == .minus {
            let opToken = advance()
            let right = try parseMultiplicative()
            left = binary(opToken.kind == .plus ? .add : .subtract, left, right, opToken)
        }
        return left
    }

    mutating func parseMultiplicative() throws(ExpressionDiagnostic) -> SyntaxNode {
        var left = try parseUnary()
        while current.kind == .star || current.kind == .slash {
            let opToken = advance()
            let right = try parseUnary()
            left = binary(opToken.kind == .star ? .multiply : .divide, left, right, opToken)
        }
        return left
    }

    mutating func parseUnary() throws(ExpressionDiagnostic) -> SyntaxNode {
        guard current.kind == .minus else { return try parsePrimary() }
        let minus = advance()
        let operand = try nested { (parser) throws(ExpressionDiagnostic) in try parser.parseUnary() }
        return SyntaxNode(kind: .negate(operand), offset: minus.offset, length: operand.end - minus.offset)
    }

    mutating func parsePrimary() throws(ExpressionDiagnostic) -> SyntaxNode {
        let token = current
        switch token.kind {
        case .number:
            _ = advance()
            guard let number = ExactDecimal(canonical: token.text) else {
                throw error("the number \(token.text) is too large or has more than \(ExactDecimal.maximumScale) decimals", at: token)
            }
            return leaf(.number(number), token)
        case .text:
            _ = advance()
            return leaf(.text(token.text), token)
        case .keywordTrue, .keywordFalse:
            _ = advance()
            return leaf(.bool(token.kind == .keywordTrue), token)
        case .reference, .selfReference:
            _ = advance()
            let isSelf = token.kind == .selfReference
            let reference = ReferenceSyntax(path: isSelf ? "." : token.text, offset: token.offset, isSelf: isSelf)
            references.append(reference)
            return leaf(.reference(reference), token)
        case .leftParenthesis:
            let open = advance()
            let inner = try nested { (parser) throws(ExpressionDiagnostic) in try parser.parseOr() }
            guard current.kind == .rightParenthesis else {
                throw error("expected ')' to close '(' at column \(columnBase + open.offset + 1), found \(current.quoted)", at: current)
            }
            let close = advance()
            return SyntaxNode(kind: inner.kind, offset: open.offset, length: close.offset + close.length - open.offset)
        case .identifier:
            return try parseCall()
        case .end:
            throw error("expected a value, found the end of the expression", at: token)
        default:
            throw error("expected a value, found \(token.quoted)", at: token)
        }
    }

    /// `name(arguments…)`; the name is checked by the compiler.
    mutating func parseCall() throws(ExpressionDiagnostic) -> SyntaxNode {
        let name = advance()
        guard current.kind == .leftParenthesis else {
            if let keyword = Self.keyword(like: name.text) {
                throw error("unknown word '\(name.text)'; did you mean '\(keyword)'?", at: name)
            }
            throw error("unknown word '\(name.text)'; write text in quotes ('\(name.text)') and fields as ${\(name.text)}", at: name)
        }
        let open = advance()
        var arguments: [SyntaxNode] = []
        if current.kind != .rightParenthesis {
            while true {
                arguments.append(try nested { (parser) throws(ExpressionDiagnostic) in try parser.parseOr() })
                if current.kind == .comma {
                    _ = advance()
                    continue
                }
                guard current.kind == .rightParenthesis else {
                    throw error(
                        "expected ',' or ')' to close '(' at column \(columnBase + open.offset + 1), found \(current.quoted)",
                        at: current)
                }
                break
            }
        }
        let close = advance()
        return SyntaxNode(
            kind: .call(name: name.text, arguments: arguments),
            offset: name.offset, length: close.offset + close.length - name.offset)
    }

    // MARK: Helpers

    mutating func nested(
        _ parse: (inout Parser) throws(ExpressionDiagnostic) -> SyntaxNode
    ) throws(ExpressionDiagnostic) -> SyntaxNode {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else {
            throw error("the expression is nested too deeply", at: current)
        }
        return try parse(&self)
    }

    func leaf(_ kind: SyntaxNode.Kind, _ token: ExpressionToken) -> SyntaxNode {
        SyntaxNode(kind: kind, offset: token.offset, length: token.length)
    }

    func binary(_ op: BinaryOperator, _ left: SyntaxNode, _ right: SyntaxNode, _ token: ExpressionToken) -> SyntaxNode {
        SyntaxNode(kind: .binary(op, left, right, operatorOffset: token.offset), offset: left.offset, length: right.end - left.offset)
    }

    /// `and`, `or`, `not`, `true` or `false` when `word` is one of them in other case.
    static func keyword(like word: String) -> String? {
        let lowered = word.lowercased()
        return ["and", "or", "not", "true", "false"].contains(lowered) ? lowered : nil
    }

    static func comparisonOperator(_ kind: ExpressionToken.Kind) -> BinaryOperator? {
        switch kind {
        case .equal: .equal
        case .notEqual: .notEqual
        case .less: .less
        case .lessOrEqual: .lessOrEqual
        case .greater: .greater
        case .greaterOrEqual: .greaterOrEqual
        default: nil
        }
    }
}

private typealias SyntaxNode = ExpressionSyntax.Node
private typealias BinaryOperator = ExpressionSyntax.BinaryOperator
