extension ExpressionCode {
    /// One node of a compiled expression. `Int` payloads are indices of child
    /// instructions; `Range<Int>` payloads address `ExpressionCode.operands`.
    /// Every case is trivially copyable. Evaluated by `number`, `truth` or `value`
    /// (ExpressionCode+Evaluation.swift) according to its static type.
    enum Instruction: Sendable {
        // Leaves
        case number(ExactDecimal)
        case bool(Bool)
        case date(LocalDate)
        case empty
        /// `ExpressionCode.constants[index]` (text and lists).
        case constant(Int)
        case slot(Int)
        /// A wildcard: the values of the slots listed in `operands[range]`.
        case slots(Range<Int>)
        /// `${list.*.field}`: the list in `slot`, each item replaced by its
        /// field at position `field` (`-1`: the item itself, for lists of
        /// simple values). Items are read in place by aggregates.
        case items(slot: Int, field: Int)
        /// `${list.N.field}`: the field at position `field` of item `index`
        /// of the list in `slot` (`-1`: the item itself); empty when there is
        /// no such item.
        case item(slot: Int, index: Int, field: Int)

        // Numbers
        case negate(Int)
        case arithmetic(ArithmeticOperator, Int, Int)
        case sum(Range<Int>)
        /// `sum` whose arguments are all number slots or wildcards of number
        /// slots: the slot numbers themselves are listed in `operands[range]`.
        case sumOfSlots(Range<Int>)
        case count(Range<Int>)
        case minimum(Range<Int>)
        case maximum(Range<Int>)
        case floor(Int)
        case round(Int, decimals: Int)
        case length(Int)
        case year(Int)

        // Dates
        case earliest(Range<Int>)
        case latest(Range<Int>)

        // Truth
        case not(Int)
        case and(Int, Int)
        case or(Int, Int)
        case compare(ComparisonOperator, ComparisonKind, Int, Int)
        case isEmpty(Int)
        case isFilled(Int)
        /// `selected(x, 'id')` with the id as `constants[option]`.
        case selected(Int, option: Int)
        case selectedComputed(Int, option: Int)

        // Any type
        case conditional(Int, then: Int, else: Int)
    }

    enum ArithmeticOperator: Sendable {
        case add, subtract, multiply, divide
    }

    enum ComparisonOperator: Sendable {
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual
    }

    /// What a comparison compares, decided when compiling.
    enum ComparisonKind: Sendable {
        case numbers
        case dates
        /// Yes/no values: equal or not, unknown when either is not a bool.
        case bools
        /// Text, lists, or a type known only at run time.
        case values
    }
}
