extension ExpressionSyntax {
    /// A node of the unresolved tree with the span it covers in the source.
    struct Node: Sendable, CustomDebugStringConvertible {
        indirect enum Kind: Sendable {
            case number(ExactDecimal)
            case text(String)
            case bool(Bool)
            case reference(ReferenceSyntax)
            case negate(Node)
            case not(Node)
            /// `operatorOffset` is the column of the operator symbol or keyword.
            case binary(BinaryOperator, Node, Node, operatorOffset: Int)
            /// `name(arguments…)`; the node's offset is the name's column.
            case call(name: String, arguments: [Node])
        }

        let kind: Kind
        let offset: Int
        let length: Int

        var end: Int { offset + length }

        var debugDescription: String {
            switch kind {
            case .number(let number): number.description
            case .text(let text): "'" + text.replacing("'", with: "''") + "'"
            case .bool(let flag): flag ? "true" : "false"
            case .reference(let reference): reference.isSelf ? "." : "${\(reference.path)}"
            case .negate(let operand): "(-\(operand.debugDescription))"
            case .not(let operand): "(not \(operand.debugDescription))"
            case .binary(let op, let left, let right, _): "(\(left.debugDescription) \(op.symbol) \(right.debugDescription))"
            case .call(let name, let arguments): "\(name)(\(arguments.map(\.debugDescription).joined(separator: ", ")))"
            }
        }
    }

    enum BinaryOperator: String, Sendable {
        case or, and
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case add = "+", subtract = "-", multiply = "*", divide = "/"

        var symbol: String { rawValue }

        var isComparison: Bool {
            switch self {
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: true
            default: false
            }
        }
    }
}
