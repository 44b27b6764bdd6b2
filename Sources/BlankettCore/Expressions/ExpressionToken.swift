/// One lexical unit of an expression, with where it stands in the source.
struct ExpressionToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// `12`, `2.80`; `text` holds the digits as written.
        case number
        /// `'text'`; `text` holds the content with `''` turned into `'`.
        case text
        /// `${path}`; `text` holds the path.
        case reference
        /// `.`: the value of the field that owns the expression.
        case selfReference
        /// A function name; `text` holds it.
        case identifier
        case keywordAnd, keywordOr, keywordNot, keywordTrue, keywordFalse
        case leftParenthesis, rightParenthesis, comma
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
        case plus, minus, star, slash
        case end
    }

    let kind: Kind
    /// The token's meaning as described for each kind; for operators the symbol.
    let text: String
    /// Column of the first character, 0-based, in `Character`s.
    let offset: Int
    /// Number of source characters the token spans.
    let length: Int

    /// How the token reads in a message: `')'`, `'${a}'`, `the end of the expression`.
    var quoted: String {
        switch kind {
        case .end: "the end of the expression"
        case .text: "the text '\(text)'"
        case .reference: "'${\(text)}'"
        default: "'\(text)'"
        }
    }
}
