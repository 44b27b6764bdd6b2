/// Evaluation of the flat instruction tree.
///
/// Three entry points by static type: `number` (nil = unknown), `truth` (nil =
/// unknown, three-valued logic) and `value` (any type). Each handles the
/// instructions of its own type directly and falls back to `value` for the
/// type-agnostic ones (constants, slots, `if`). The number and truth paths do
/// not allocate; wildcards are iterated slot by slot.
extension ExpressionCode {
    func number<Environment: EvaluationEnvironment>(_ index: Int, _ environment: Environment) -> ExactDecimal? {
        switch instructions[index] {
        case .number(let number):
            return number
        case .slot(let slot):
            return environment.number(atSlot: slot)
        case .negate(let operand):
            guard let number = number(operand, environment), number.units != .min else { return nil }
            return number.negated
        case .arithmetic(let op, let left, let right):
            guard let a = numberOperand(left, environment), let b = numberOperand(right, environment) else { return nil }
            switch op {
            case .add: return Self.add(a, b)
            case .subtract: return Self.subtract(a, b)
            case .multiply: return a.multiplying(by: b)
            case .divide: return a.units == .min ? nil : a.dividing(by: b)
            }
        case .sum(let arguments):
            // No answered term is 0, never unknown: see `ExpressionFunction.sum`.
            var total = ExactDecimal.zero
            var overflow = false
            forEachElement(of: arguments, environment) { element in
                guard case .number(let number) = element else { return }
                if let next = Self.add(total, number) { total = next } else { overflow = true }
            }
            return overflow ? nil : total
        case .sumOfSlots(let slots):
            var total = ExactDecimal.zero
            for position in slots {
                guard let number = environment.number(atSlot: operands[position]) else { continue }
                guard let next = Self.add(total, number) else { return nil }
                total = next
            }
            return total
        case .count(let arguments):
            var count = 0
            forEachElement(of: arguments, environment) { element in
                if !element.isEmpty { count += 1 }
            }
            return ExactDecimal(count)
        case .minimum(let arguments):
            return extremeNumber(arguments, environment, wantsMaximum: false)
        case .maximum(let arguments):
            return extremeNumber(arguments, environment, wantsMaximum: true)
        case .floor(let operand):
            return number(operand, environment)?.floor
        case .round(let operand, let decimals):
            guard let number = number(operand, environment),
                  let places = self.number(decimals, environment)?.integerValue,
                  places >= 0, places <= Int128(ExactDecimal.maximumScale) else { return nil }
            return number.rounded(toDecimals: Int(places))
        case .length(let operand):
            if case .slots(let slots) = instructions[operand] { return ExactDecimal(slots.count) }
            switch value(operand, environment) {
            case .text(let text): return ExactDecimal(text.count)
            case .list(let items): return ExactDecimal(items.count)
            default: return nil
            }
        case .year(let operand):
            if case .date(let date) = value(operand, environment) { return ExactDecimal(date.year) }
            return nil
        case .conditional(let condition, let then, let otherwise):
            guard let truth = truth(condition, environment) else { return nil }
            return number(truth ? then : otherwise, environment)
        default:
            if case .number(let number) = value(index, environment) { return number }
            return nil
        }
    }

    func truth<Environment: EvaluationEnvironment>(_ index: Int, _ environment: Environment) -> Bool? {
        switch instructions[index] {
        case .bool(let flag):
            return flag
        case .slot(let slot):
            return environment.truth(atSlot: slot)
        case .not(let operand):
            guard let truth = truth(operand, environment) else { return nil }
            return !truth
        case .and(let left, let right):
            // false and unknown = false; true and unknown = unknown.
            let a = truth(left, environment)
            if a == false { return false }
            let b = truth(right, environment)
            if b == false { return false }
            return a == nil || b == nil ? nil : true
        case .or(let left, let right):
            // true or unknown = true; false or unknown = unknown.
            let a = truth(left, environment)
            if a == true { return true }
            let b = truth(right, environment)
            if b == true { return true }
            return a == nil || b == nil ? nil : false
        case .compare(let op, let kind, let left, let right):
            switch kind {
            case .numbers:
                guard let a = numberOperand(left, environment), let b = numberOperand(right, environment) else { return nil }
                return Self.holds(op, Self.compare(a, b))
            case .dates:
                guard case .date(let a) = value(left, environment), case .date(let b) = value(right, environment) else { return nil }
                return Self.holds(op, a < b ? -1 : (a == b ? 0 : 1))
            case .bools:
                guard let a = truthOperand(left, environment), let b = truthOperand(right, environment) else { return nil }
                switch op {
                case .equal: return a == b
                case .notEqual: return a != b
                default: return nil
                }
            case .values:
                return Self.compare(value(left, environment), value(right, environment), op)
            }
        case .isEmpty(let operand):
            return isEmpty(operand, environment)
        case .isFilled(let operand):
            return !isEmpty(operand, environment)
        case .selected(let operand, let option):
            guard case .text(let option) = constants[option] else { return nil }
            return isSelected(option, in: operand, environment)
        case .selectedComputed(let operand, let option):
            guard case .text(let option) = value(option, environment) else { return nil }
            return isSelected(option, in: operand, environment)
        case .conditional(let condition, let then, let otherwise):
            guard let truth = truth(condition, environment) else { return nil }
            return self.truth(truth ? then : otherwise, environment)
        default:
            if case .bool(let flag) = value(index, environment) { return flag }
            return nil
        }
    }

    func value<Environment: EvaluationEnvironment>(_ index: Int, _ environment: Environment) -> Value {
        switch instructions[index] {
        case .number(let number):
            return .number(number)
        case .bool(let flag):
            return .bool(flag)
        case .date(let date):
            return .date(date)
        case .empty:
            return .empty
        case .constant(let constant):
            return constants[constant]
        case .slot(let slot):
            return environment.value(atSlot: slot)
        case .slots(let slots):
            return .list(operands[slots].map { environment.value(atSlot: $0) })
        case .items(let slot, let field):
            guard case .list(let items) = environment.value(atSlot: slot) else { return .list([]) }
            return field < 0 ? .list(items) : .list(items.map { Self.field(field, of: $0) })
        case .item(let slot, let index, let field):
            guard case .list(let items) = environment.value(atSlot: slot), index < items.count else { return .empty }
            return field < 0 ? items[index] : Self.field(field, of: items[index])
        case .negate, .arithmetic, .sum, .sumOfSlots, .count, .minimum, .maximum, .floor, .round, .length, .year:
            if let number = number(index, environment) { return .number(number) }
            return .empty
        case .not, .and, .or, .compare, .isEmpty, .isFilled, .selected, .selectedComputed:
            if let truth = truth(index, environment) { return .bool(truth) }
            return .empty
        case .earliest(let arguments):
            return extremeDate(arguments, environment, wantsLatest: false).map(Value.date) ?? .empty
        case .latest(let arguments):
            return extremeDate(arguments, environment, wantsLatest: true).map(Value.date) ?? .empty
        case .conditional(let condition, let then, let otherwise):
            guard let truth = truth(condition, environment) else { return .empty }
            return value(truth ? then : otherwise, environment)
        }
    }

    /// `number(index)` with a slot or a literal read in place: most operands
    /// of arithmetic and comparisons are, and a call per leaf was a large
    /// part of evaluating.
    @inline(__always)
    private func numberOperand<Environment: EvaluationEnvironment>(_ index: Int, _ environment: Environment) -> ExactDecimal? {
        switch instructions[index] {
        case .slot(let slot): environment.number(atSlot: slot)
        case .number(let number): number
        default: number(index, environment)
        }
    }

    /// `truth(index)` with a slot or a literal read in place.
    @inline(__always)
    private func truthOperand<Environment: EvaluationEnvironment>(_ index: Int, _ environment: Environment) -> Bool? {
        switch instructions[index] {
        case .slot(let slot): environment.truth(atSlot: slot)
        case .bool(let flag): flag
        default: truth(index, environment)
        }
    }

    // MARK: Aggregates

    /// Calls `body` with every element the arguments of an aggregate stand
    /// for: a wildcard's slot values, a list's items, or a single value.
    @inline(__always)
    private func forEachElement<Environment: EvaluationEnvironment>(
        of arguments: Range<Int>, _ environment: Environment, _ body: (Value) -> Void
    ) {
        for position in arguments {
            let argument = operands[position]
            let value: Value
            switch instructions[argument] {
            case .slots(let slots):
                for position in slots { body(environment.value(atSlot: operands[position])) }
                continue
            case .slot(let slot):
                value = environment.value(atSlot: slot)
            case .items(let slot, let field):
                // Every item's field, read in place.
                guard case .list(let items) = environment.value(atSlot: slot) else { continue }
                for item in items { body(field < 0 ? item : Self.field(field, of: item)) }
                continue
            default:
                value = self.value(argument, environment)
            }
            if case .list(let items) = value {
                for item in items { body(item) }
            } else {
                body(value)
            }
        }
    }

    /// The field at `position` of an item of a list of fields (its answers
    /// in the order of the list's `fields`; see `AnswerReader`).
    @inline(__always)
    private static func field(_ position: Int, of item: Value) -> Value {
        guard case .list(let fields) = item, position < fields.count else { return .empty }
        return fields[position]
    }

    private func extremeNumber<Environment: EvaluationEnvironment>(
        _ arguments: Range<Int>, _ environment: Environment, wantsMaximum: Bool
    ) -> ExactDecimal? {
        var best: ExactDecimal?
        forEachElement(of: arguments, environment) { element in
            guard case .number(let number) = element else { return }
            if let current = best {
                let order = Self.compare(number, current)
                guard wantsMaximum ? order > 0 : order < 0 else { return }
            }
            best = number
        }
        return best
    }

    private func extremeDate<Environment: EvaluationEnvironment>(
        _ arguments: Range<Int>, _ environment: Environment, wantsLatest: Bool
    ) -> LocalDate? {
        var best: LocalDate?
        forEachElement(of: arguments, environment) { element in
            guard case .date(let date) = element else { return }
            if let current = best, wantsLatest ? !(date > current) : !(date < current) { return }
            best = date
        }
        return best
    }

    // MARK: Empty and selected

    private func isEmpty<Environment: EvaluationEnvironment>(_ operand: Int, _ environment: Environment) -> Bool {
        if case .slots(let slots) = instructions[operand] {
            for position in slots where !environment.isEmpty(atSlot: operands[position]) { return false }
            return true
        }
        return value(operand, environment).isEmpty
    }

    /// Whether a choice (text) or multichoice (list) holds `option`; no answer
    /// selects nothing. For a wildcard: whether any of its slots does.
    private func isSelected<Environment: EvaluationEnvironment>(
        _ option: String, in operand: Int, _ environment: Environment
    ) -> Bool {
        if case .slots(let slots) = instructions[operand] {
            for position in slots where Self.holds(environment.value(atSlot: operands[position]), option) { return true }
            return false
        }
        return Self.holds(value(operand, environment), option)
    }

    private static func holds(_ value: Value, _ option: String) -> Bool {
        switch value {
        case .text(let text):
            return text == option
        case .list(let items):
            for item in items {
                if case .text(let text) = item, text == option { return true }
            }
            return false
        default:
            return false
        }
    }

    // MARK: Comparison

    private static func holds(_ op: ComparisonOperator, _ order: Int) -> Bool {
        switch op {
        case .equal: order == 0
        case .notEqual: order != 0
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        case .greaterOrEqual: order >= 0
        }
    }

    /// Comparison of values whose type is known only now; unknown when either
    /// is empty or the types do not match.
    private static func compare(_ a: Value, _ b: Value, _ op: ComparisonOperator) -> Bool? {
        switch (a, b) {
        case (.empty, _), (_, .empty):
            return nil
        case (.number(let x), .number(let y)):
            return holds(op, compare(x, y))
        case (.date(let x), .date(let y)):
            return holds(op, x < y ? -1 : (x == y ? 0 : 1))
        case (.text, .text), (.bool, .bool), (.list, .list):
            switch op {
            case .equal: return a == b
            case .notEqual: return a != b
            default: return nil
            }
        default:
            return nil
        }
    }

    // MARK: Fast exact arithmetic

    // `ExactDecimal` aligns scales with overflow-checked 128-bit multiplications.
    // Answers are small (kronor, counts, FTE with two decimals), so these paths
    // align with one wrapping multiplication when the units fit in 64 bits and
    // defer to `ExactDecimal` otherwise. Results are identical.

    /// `10^exponent` for 0…18.
    @inline(__always)
    private static func powerOfTen(_ exponent: Int) -> Int128 {
        var power: Int64 = 1
        for _ in 0..<exponent { power &*= 10 }
        return Int128(power)
    }

    /// `units * 10^digits` when that certainly does not overflow, else `nil`.
    @inline(__always)
    private static func scaledUp(_ units: Int128, by digits: Int) -> Int128? {
        guard units.magnitude <= UInt128(UInt64.max) else { return nil }
        // |units| < 2^64 and 10^digits < 2^60: the product stays below 2^124.
        return units &* powerOfTen(digits)
    }

    /// Units of `a` and `b` at their common scale, when cheaply possible.
    @inline(__always)
    private static func aligned(_ a: ExactDecimal, _ b: ExactDecimal) -> (Int128, Int128, Int)? {
        if a.scale == b.scale { return (a.units, b.units, a.scale) }
        if a.scale < b.scale {
            guard let left = scaledUp(a.units, by: b.scale - a.scale) else { return nil }
            return (left, b.units, b.scale)
        }
        guard let right = scaledUp(b.units, by: a.scale - b.scale) else { return nil }
        return (a.units, right, a.scale)
    }

    @inline(__always)
    static func add(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal? {
        guard let (left, right, scale) = aligned(a, b) else { return a.adding(b) }
        let (sum, overflow) = left.addingReportingOverflow(right)
        return overflow ? nil : ExactDecimal(units: sum, scale: scale)
    }

    @inline(__always)
    static func subtract(_ a: ExactDecimal, _ b: ExactDecimal) -> ExactDecimal? {
        guard let (left, right, scale) = aligned(a, b) else { return a.subtracting(b) }
        let (difference, overflow) = left.subtractingReportingOverflow(right)
        return overflow ? nil : ExactDecimal(units: difference, scale: scale)
    }

    /// -1, 0 or 1 by value (`2.8` equals `2.80`).
    @inline(__always)
    static func compare(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if let (left, right, _) = aligned(a, b) {
            return left < right ? -1 : (left == right ? 0 : 1)
        }
        return a < b ? -1 : (a == b ? 0 : 1)
    }
}
