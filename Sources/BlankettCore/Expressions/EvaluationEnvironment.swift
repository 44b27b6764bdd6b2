/// Where evaluation reads answers: the value of each answer slot.
public protocol EvaluationEnvironment {
    /// The value of `slot` (`.empty` when unanswered); slots come from the
    /// resolver given to `ExpressionCompiler.compile`.
    func value(atSlot slot: Int) -> Value

    /// The number in `slot`, `nil` when it holds anything else.
    func number(atSlot slot: Int) -> ExactDecimal?
    /// The yes/no answer in `slot`, `nil` when it holds anything else.
    func truth(atSlot slot: Int) -> Bool?
    /// Whether `slot` holds no answer (see `Value.isEmpty`).
    func isEmpty(atSlot slot: Int) -> Bool
}

extension EvaluationEnvironment {
    public func number(atSlot slot: Int) -> ExactDecimal? {
        if case .number(let number) = value(atSlot: slot) { return number }
        return nil
    }

    public func truth(atSlot slot: Int) -> Bool? {
        if case .bool(let flag) = value(atSlot: slot) { return flag }
        return nil
    }

    public func isEmpty(atSlot slot: Int) -> Bool {
        value(atSlot: slot).isEmpty
    }
}
