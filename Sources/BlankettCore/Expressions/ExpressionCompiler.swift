/// Resolves references and checks types, turning an `ExpressionSyntax` into a
/// `CompiledExpression`.
public enum ExpressionCompiler {
    /// Compiles `syntax`, reporting every problem at once: unknown fields and
    /// functions, wrong argument counts and types, mismatched comparisons and
    /// a result that is not of type `expecting` (when given).
    ///
    /// `resolve` is called once per reference occurrence; returning `nil`
    /// reports "unknown field '…'" at the reference.
    public static func compile(
        _ syntax: ExpressionSyntax,
        expecting: ValueType?,
        resolve: (ReferenceSyntax) -> ResolvedReference?
    ) -> Result<CompiledExpression, ExpressionDiagnostics> {
        withoutActuallyEscaping(resolve) { resolve in
            var checker = TypeChecker(resolve: resolve)
            let typed = checker.check(syntax.root)
            if let typed, let expecting, !typed.type.isCompatible(with: expecting) {
                checker.report(
                    syntax.root,
                    "expected a \(expecting) result, but the expression gives a \(typed.type)")
            }
            guard let typed, checker.diagnostics.isEmpty else {
                return .failure(ExpressionDiagnostics(checker.diagnostics.sorted { $0.offset < $1.offset }))
            }
            let resultType = expecting.map { typed.type.refined(by: $0) } ?? typed.type
            let slots = Array(Set(checker.slots)).sorted()
            return .success(CompiledExpression(
                resultType: resultType, referencedSlots: slots,
                code: checker.code, operands: checker.operands, constants: checker.constants))
        }
    }
}

extension ValueType {
    /// Numbers, or `.any` checked at run time.
    fileprivate var isNumeric: Bool { self == .number || self == .any }
    fileprivate var isBoolean: Bool { self == .bool || self == .any }
    fileprivate var isTextual: Bool { self == .text || self == .any }
    fileprivate var isDateLike: Bool { self == .date || self == .any }
}

/// The walk over the syntax tree, emitting instructions children first (so
/// the root comes last). Each `check` returns `nil` when the node has an
/// error already reported, so one mistake is not reported again by every
/// enclosing node.
private struct TypeChecker {
    typealias Instruction = ExpressionCode.Instruction
    typealias ArithmeticOperator = ExpressionCode.ArithmeticOperator
    typealias ComparisonOperator = ExpressionCode.ComparisonOperator
    typealias ComparisonKind = ExpressionCode.ComparisonKind

    struct Typed {
        /// Index of the instruction computing the node.
        let index: Int
        let type: ValueType
    }

    let resolve: (ReferenceSyntax) -> ResolvedReference?
    var diagnostics: [ExpressionDiagnostic] = []
    var slots: [Int] = []
    var code: [Instruction] = []
    var operands: [Int] = []
    var constants: [Value] = []

    init(resolve: @escaping (ReferenceSyntax) -> ResolvedReference?) {
        self.resolve = resolve
    }

    mutating func emit(_ instruction: Instruction, _ type: ValueType) -> Typed {
        code.append(instruction)
        return Typed(index: code.count - 1, type: type)
    }

    /// Appends a list to `operands` and returns where it stands.
    mutating func operandList(_ list: [Int]) -> Range<Int> {
        let start = operands.count
        operands.append(contentsOf: list)
        return start..<operands.count
    }

    mutating func emitConstant(_ value: Value) -> Typed {
        switch value {
        case .empty: return emit(.empty, .any)
        case .number(let number): return emit(.number(number), .number)
        case .bool(let flag): return emit(.bool(flag), .bool)
        case .date(let date): return emit(.date(date), .date)
        case .text, .list:
            constants.append(value)
            return emit(.constant(constants.count - 1), value.valueType)
        }
    }

    mutating func report(_ syntax: SyntaxNode, _ message: String) {
        diagnostics.append(ExpressionDiagnostic(offset: syntax.offset, length: syntax.length, message: message))
    }

    mutating func report(offset: Int, length: Int, _ message: String) {
        diagnostics.append(ExpressionDiagnostic(offset: offset, length: length, message: message))
    }

    mutating func check(_ syntax: SyntaxNode) -> Typed? {
        switch syntax.kind {
        case .number(let number):
            return emit(.number(number), .number)
        case .text(let text):
            return emitConstant(.text(text))
        case .bool(let flag):
            return emit(.bool(flag), .bool)
        case .reference(let reference):
            return checkReference(reference)
        case .negate(let operandSyntax):
            guard let operand = check(operandSyntax) else { return nil }
            guard operand.type.isNumeric else {
                report(operandSyntax, "'-' needs a number, got \(operand.type)")
                return nil
            }
            if case .number(let number) = code[operand.index], operand.index == code.count - 1 {
                // A negative literal: fold the sign into it.
                code[operand.index] = .number(number.negated)
                return operand
            }
            return emit(.negate(operand.index), .number)
        case .not(let operandSyntax):
            guard let operand = check(operandSyntax) else { return nil }
            guard operand.type.isBoolean else {
                report(operandSyntax, "'not' needs a bool, got \(operand.type)")
                return nil
            }
            return emit(.not(operand.index), .bool)
        case .binary(let op, let leftSyntax, let rightSyntax, let operatorOffset):
            let left = check(leftSyntax)
            let right = check(rightSyntax)
            return checkBinary(op, left, right, leftSyntax, rightSyntax, operatorOffset: operatorOffset)
        case .call(let name, let arguments):
            return checkCall(name, arguments, syntax)
        }
    }

    // MARK: References

    mutating func checkReference(_ reference: ReferenceSyntax) -> Typed? {
        guard let resolved = resolve(reference) else {
            report(
                offset: reference.offset, length: reference.length,
                reference.isSelf
                    ? "'.' (the value of this field) is only available in a field's own constraint"
                    : "unknown field '\(reference.path)'")
            return nil
        }
        switch resolved {
        case .slot(let slot, let type):
            slots.append(slot)
            return emit(.slot(slot), type)
        case .slots(let list, let elementType):
            slots.append(contentsOf: list)
            return emit(.slots(operandList(list)), .list(elementType))
        case .items(let slot, let field, let elementType):
            slots.append(slot)
            return emit(.items(slot: slot, field: field ?? -1), .list(elementType))
        case .item(let slot, let index, let field, let type):
            slots.append(slot)
            return emit(.item(slot: slot, index: index, field: field ?? -1), type)
        case .constant(let value):
            return emitConstant(value)
        }
    }

    // MARK: Operators

    mutating func checkBinary(
        _ op: BinaryOperator, _ left: Typed?, _ right: Typed?,
        _ leftSyntax: SyntaxNode, _ rightSyntax: SyntaxNode, operatorOffset: Int
    ) -> Typed? {
        switch op {
        case .and, .or:
            var valid = true
            for (operand, syntax) in [(left, leftSyntax), (right, rightSyntax)] {
                if let operand, !operand.type.isBoolean {
                    report(syntax, "'\(op.symbol)' needs bool operands, got \(operand.type)")
                    valid = false
                }
            }
            guard valid, let left, let right else { return nil }
            return emit(op == .and ? .and(left.index, right.index) : .or(left.index, right.index), .bool)
        case .add, .subtract, .multiply, .divide:
            var valid = true
            for (operand, syntax) in [(left, leftSyntax), (right, rightSyntax)] {
                if let operand, !operand.type.isNumeric {
                    report(syntax, "'\(op.symbol)' needs numbers, got \(operand.type)")
                    valid = false
                }
            }
            guard valid, let left, let right else { return nil }
            let arithmetic: ArithmeticOperator = switch op {
            case .add: .add
            case .subtract: .subtract
            case .multiply: .multiply
            default: .divide
            }
            return emit(.arithmetic(arithmetic, left.index, right.index), .number)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let left, let right else { return nil }
            let operatorLength = op.symbol.count
            guard left.type.isCompatible(with: right.type) else {
                report(
                    offset: operatorOffset, length: operatorLength,
                    "cannot compare \(left.type) with \(right.type)")
                return nil
            }
            let kind: ComparisonKind
            if left.type == .number || right.type == .number {
                kind = .numbers
            } else if left.type == .date || right.type == .date {
                kind = .dates
            } else if left.type == .bool || right.type == .bool {
                kind = .bools
            } else {
                kind = .values
            }
            let ordering = op != .equal && op != .notEqual
            if ordering, kind == .values || kind == .bools, left.type != .any || right.type != .any {
                let type = left.type == .any ? right.type : left.type
                report(
                    offset: operatorOffset, length: operatorLength,
                    "'\(op.symbol)' needs numbers or dates, got \(type)")
                return nil
            }
            let comparison: ComparisonOperator = switch op {
            case .equal: .equal
            case .notEqual: .notEqual
            case .less: .less
            case .lessOrEqual: .lessOrEqual
            case .greater: .greater
            default: .greaterOrEqual
            }
            return emit(.compare(comparison, kind, left.index, right.index), .bool)
        }
    }

    // MARK: Functions

    mutating func checkCall(_ name: String, _ argumentSyntax: [SyntaxNode], _ syntax: SyntaxNode) -> Typed? {
        guard let function = ExpressionFunction(rawValue: name) else {
            var message = "unknown function '\(name)'"
            if let suggestion = ExpressionFunction.closest(to: name) {
                message += "; did you mean '\(suggestion.rawValue)'?"
            }
            report(offset: syntax.offset, length: name.count, message)
            for argument in argumentSyntax { _ = check(argument) }
            return nil
        }
        let (minimum, maximum) = function.arity
        if argumentSyntax.count < minimum || maximum.map({ argumentSyntax.count > $0 }) == true {
            let expected: String
            if maximum == minimum {
                expected = "takes \(minimum) argument\(minimum == 1 ? "" : "s")"
            } else {
                expected = "needs at least \(minimum) argument\(minimum == 1 ? "" : "s")"
            }
            report(syntax, "'\(name)' \(expected), got \(argumentSyntax.count): write \(function.signature)")
            for argument in argumentSyntax { _ = check(argument) }
            return nil
        }
        if function == .date { return checkDateLiteral(argumentSyntax[0]) }

        let checked = argumentSyntax.map { check($0) }
        var valid = !checked.contains { $0 == nil }
        /// Reports a type error for an argument and marks the call invalid.
        func require(_ index: Int, _ accepted: (ValueType) -> Bool, _ what: String, _ diagnostics: inout [ExpressionDiagnostic]) {
            guard let typed = checked[index], !accepted(typed.type) else { return }
            let syntax = argumentSyntax[index]
            var message = "'\(name)' needs \(what), got \(typed.type)"
            if typed.type == .list(.item), case .reference(let reference) = syntax.kind {
                // `sum(${aktiviteter})`: the items themselves have no value; one of their fields has.
                message += ": name one field of every item, like ${\(reference.path).*.<field>}"
            }
            diagnostics.append(ExpressionDiagnostic(offset: syntax.offset, length: syntax.length, message: message))
            valid = false
        }
        // Meaningful only once `valid` holds (every argument checked).
        let arguments = checked.compactMap { $0 }
        let nodes = arguments.map(\.index)

        switch function {
        case .sum:
            for index in argumentSyntax.indices {
                require(index, { $0.isNumeric || $0.elementType?.isNumeric == true }, "numbers or lists of numbers", &diagnostics)
            }
            guard valid else { return nil }
            // Sums of number slots and wildcards (the usual case) read the slots directly.
            var slotList: [Int] = []
            for argument in arguments {
                switch code[argument.index] {
                case .slot(let slot) where argument.type == .number:
                    slotList.append(slot)
                case .slots(let range) where argument.type == .list(.number):
                    slotList.append(contentsOf: operands[range])
                default:
                    return emit(.sum(operandList(nodes)), .number)
                }
            }
            return emit(.sumOfSlots(operandList(slotList)), .number)
        case .count:
            return valid ? emit(.count(operandList(nodes)), .number) : nil
        case .min, .max:
            let elementTypes = checked.map { typed in typed.map { $0.type.elementType ?? $0.type } }
            let wantsDates = elementTypes.contains { $0 == .date }
            for index in argumentSyntax.indices {
                if wantsDates {
                    require(index, { ($0.elementType ?? $0).isDateLike }, "all dates (or lists of dates)", &diagnostics)
                } else {
                    require(index, { ($0.elementType ?? $0).isNumeric }, "numbers or dates (or lists of them)", &diagnostics)
                }
            }
            guard valid else { return nil }
            let list = operandList(nodes)
            if wantsDates {
                return emit(function == .min ? .earliest(list) : .latest(list), .date)
            }
            return emit(function == .min ? .minimum(list) : .maximum(list), .number)
        case .empty, .filled:
            guard valid else { return nil }
            return emit(function == .empty ? .isEmpty(nodes[0]) : .isFilled(nodes[0]), .bool)
        case .selected:
            require(0, { $0.isTextual || $0.elementType?.isTextual == true }, "a choice or multichoice answer", &diagnostics)
            require(1, \.isTextual, "the option id as text (like 'annat')", &diagnostics)
            guard valid else { return nil }
            if case .constant(let option) = code[nodes[1]] {
                return emit(.selected(nodes[0], option: option), .bool)
            }
            return emit(.selectedComputed(nodes[0], option: nodes[1]), .bool)
        case .floor:
            require(0, \.isNumeric, "a number", &diagnostics)
            return valid ? emit(.floor(nodes[0]), .number) : nil
        case .round:
            require(0, \.isNumeric, "a number", &diagnostics)
            require(1, \.isNumeric, "a whole number of decimals", &diagnostics)
            if valid, case .number(let places) = code[nodes[1]] {
                guard let whole = places.integerValue, whole >= 0, whole <= Int128(ExactDecimal.maximumScale) else {
                    report(argumentSyntax[1], "'round' needs a whole number of decimals from 0 to \(ExactDecimal.maximumScale), got \(places)")
                    return nil
                }
            }
            return valid ? emit(.round(nodes[0], decimals: nodes[1]), .number) : nil
        case .if:
            require(0, \.isBoolean, "a bool condition", &diagnostics)
            guard valid else { return nil }
            let then = arguments[1], otherwise = arguments[2]
            guard then.type.isCompatible(with: otherwise.type) else {
                report(syntax, "'if' needs both branches of the same type, got \(then.type) and \(otherwise.type)")
                return nil
            }
            return emit(.conditional(nodes[0], then: nodes[1], else: nodes[2]), then.type.refined(by: otherwise.type))
        case .length:
            require(0, { $0.isTextual || $0.elementType != nil }, "text", &diagnostics)
            return valid ? emit(.length(nodes[0]), .number) : nil
        case .year:
            require(0, \.isDateLike, "a date", &diagnostics)
            return valid ? emit(.year(nodes[0]), .number) : nil
        case .date:
            return nil // handled above
        }
    }

    /// `date('2020-12-31')`: parsed now, so an impossible date is a load error.
    mutating func checkDateLiteral(_ argument: SyntaxNode) -> Typed? {
        guard case .text(let text) = argument.kind else {
            if case .reference = argument.kind { _ = check(argument) }
            report(argument, "'date' needs a date written as text, like date('2020-12-31')")
            return nil
        }
        guard let date = LocalDate(iso: text) else {
            report(argument, "invalid date '\(text)': write an existing date as 'YYYY-MM-DD'")
            return nil
        }
        return emit(.date(date), .date)
    }
}

private typealias SyntaxNode = ExpressionSyntax.Node
private typealias BinaryOperator = ExpressionSyntax.BinaryOperator
