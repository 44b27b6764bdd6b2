/// Where evaluation reads answers: the value of each answer slot.
public protocol EvaluationEnvironment {
    /// The value of `slot` (`.empty` when unanswered); slots come from the
    /// resolver given to `ExpressionCompiler.compile`.
    func value(atSlot slot: Int) -> Value
}
