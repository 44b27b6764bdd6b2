/// The instructions of one or more compiled expressions, stored flat:
/// `instructions` holds trivially copyable instructions whose children are
/// indices into `instructions` (children before parents), `operands` their
/// argument and wildcard lists, `constants` their text and list constants.
///
/// A `CompiledExpression` owns the code of one expression, its root last. A
/// form's validation plan appends every expression of the form to one shared
/// code, so that evaluating any of them reads the same three arrays and
/// copies or retains nothing.
struct ExpressionCode: Sendable {
    private(set) var instructions: [Instruction]
    /// Argument lists (instruction indices) and wildcard slot lists, addressed
    /// by the ranges in `instructions`.
    private(set) var operands: [Int]
    /// Text and list constants, addressed by `Instruction.constant`.
    private(set) var constants: [Value]

    init(instructions: [Instruction] = [], operands: [Int] = [], constants: [Value] = []) {
        self.instructions = instructions
        self.operands = operands
        self.constants = constants
    }

    /// One expression in the code: its root instruction and which entry point
    /// reads its result, decided by its static type.
    struct Entry: Sendable {
        enum Result: Sendable {
            case number
            case truth
            case value
        }

        let root: Int
        let result: Result

        init(root: Int, resultType: ValueType) {
            self.root = root
            result = switch resultType {
            case .number: .number
            case .bool: .truth
            default: .value
            }
        }
    }

    /// The value of the expression at `entry`; `.empty` when unknown (an
    /// empty operand, an unknown condition, overflow, division by zero).
    func evaluate<Environment: EvaluationEnvironment>(_ entry: Entry, in environment: Environment) -> Value {
        switch entry.result {
        case .number:
            if let number = number(entry.root, environment) { return .number(number) }
            return .empty
        case .truth:
            if let truth = truth(entry.root, environment) { return .bool(truth) }
            return .empty
        case .value:
            return value(entry.root, environment)
        }
    }

    /// The result of the expression at `entry` as a truth value: `nil` when
    /// unknown or not a bool.
    func truth<Environment: EvaluationEnvironment>(_ entry: Entry, in environment: Environment) -> Bool? {
        truth(entry.root, environment)
    }

    /// Appends the code of `expression` and returns where it stands in this code.
    mutating func append(_ expression: CompiledExpression) -> Entry {
        let other = expression.code
        let shift = instructions.count
        let constantShift = constants.count
        /// A copy of an argument list, whose entries are instruction indices.
        func arguments(_ range: Range<Int>) -> Range<Int> {
            let start = operands.count
            operands.append(contentsOf: other.operands[range].map { $0 + shift })
            return start..<operands.count
        }
        /// A copy of a list of slots, which stay what they are.
        func slots(_ range: Range<Int>) -> Range<Int> {
            let start = operands.count
            operands.append(contentsOf: other.operands[range])
            return start..<operands.count
        }
        for instruction in other.instructions {
            let moved: Instruction = switch instruction {
            case .number, .bool, .date, .empty, .slot, .items, .item: instruction
            case .constant(let index): .constant(index + constantShift)
            case .slots(let range): .slots(slots(range))
            case .negate(let operand): .negate(operand + shift)
            case .arithmetic(let op, let left, let right): .arithmetic(op, left + shift, right + shift)
            case .sum(let range): .sum(arguments(range))
            case .sumOfSlots(let range): .sumOfSlots(slots(range))
            case .count(let range): .count(arguments(range))
            case .minimum(let range): .minimum(arguments(range))
            case .maximum(let range): .maximum(arguments(range))
            case .floor(let operand): .floor(operand + shift)
            case .round(let operand, let decimals): .round(operand + shift, decimals: decimals + shift)
            case .length(let operand): .length(operand + shift)
            case .year(let operand): .year(operand + shift)
            case .earliest(let range): .earliest(arguments(range))
            case .latest(let range): .latest(arguments(range))
            case .not(let operand): .not(operand + shift)
            case .and(let left, let right): .and(left + shift, right + shift)
            case .or(let left, let right): .or(left + shift, right + shift)
            case .compare(let op, let kind, let left, let right): .compare(op, kind, left + shift, right + shift)
            case .isEmpty(let operand): .isEmpty(operand + shift)
            case .isFilled(let operand): .isFilled(operand + shift)
            case .selected(let operand, let option): .selected(operand + shift, option: option + constantShift)
            case .selectedComputed(let operand, let option): .selectedComputed(operand + shift, option: option + shift)
            case .conditional(let condition, let then, let otherwise):
                .conditional(condition + shift, then: then + shift, else: otherwise + shift)
            }
            instructions.append(moved)
        }
        constants.append(contentsOf: other.constants)
        return Entry(root: shift + expression.root, resultType: expression.resultType)
    }
}
