/// A parsed expression whose references are not yet resolved to answer slots.
///
/// Produced by `ExpressionParser.parse(_:)`, turned into a `CompiledExpression`
/// by `ExpressionCompiler.compile(_:expecting:resolve:)`. Every offset inside
/// (references, diagnostics) counts `Character`s from the start of `source`.
public struct ExpressionSyntax: Sendable, CustomDebugStringConvertible {
    /// The expression text as written (for a message placeholder: the text
    /// between the braces).
    public let source: String
    /// Column in the enclosing text where `source` starts: 0 for a whole
    /// expression, the column after `{` for a message placeholder. Add it to a
    /// diagnostic's offset to point into the whole message.
    public let sourceOffset: Int
    let root: Node
    private let allReferences: [ReferenceSyntax]

    init(source: String, sourceOffset: Int, root: Node, references: [ReferenceSyntax]) {
        self.source = source
        self.sourceOffset = sourceOffset
        self.root = root
        self.allReferences = references
    }

    /// Every `${…}` and `.` in source order (repeats included).
    public var references: [ReferenceSyntax] { allReferences }

    /// The tree fully parenthesised, e.g. `((${a} + (2 * ${b})) = 7)`.
    public var debugDescription: String { root.debugDescription }
}
