/// A type-checked expression with every reference resolved to a slot or a
/// constant, ready to evaluate many times.
///
/// The tree is stored flat (see `ExpressionCode`), its root last. Evaluation
/// therefore does no string or dictionary lookups and no reference counting
/// of the tree; numbers and truth values are computed unboxed and only the
/// result is wrapped in a `Value`.
public struct CompiledExpression: Sendable {
    /// The static type of the result (`.bool` for conditions).
    public let resultType: ValueType
    /// Every slot the expression reads, ascending and without repeats: the
    /// dependencies of a calculated field, for ordering and cycle detection.
    public let referencedSlots: [Int]

    let code: ExpressionCode

    init(resultType: ValueType, referencedSlots: [Int], code: [ExpressionCode.Instruction], operands: [Int], constants: [Value]) {
        precondition(!code.isEmpty, "an expression has at least one instruction")
        self.resultType = resultType
        self.referencedSlots = referencedSlots
        self.code = ExpressionCode(instructions: code, operands: operands, constants: constants)
    }

    var root: Int { code.instructions.count - 1 }

    /// The value of the expression; `.empty` when unknown (an empty operand,
    /// an unknown condition, overflow, division by zero).
    public func evaluate<Environment: EvaluationEnvironment>(in environment: Environment) -> Value {
        code.evaluate(ExpressionCode.Entry(root: root, resultType: resultType), in: environment)
    }

    /// The result as a truth value: `nil` when unknown or not a bool. Cheaper
    /// than `evaluate(in:)` for `relevant`, `required`, constraints and checks.
    public func truth<Environment: EvaluationEnvironment>(in environment: Environment) -> Bool? {
        code.truth(root, environment)
    }
}
