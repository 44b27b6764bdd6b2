/// The functions expressions may call.
enum ExpressionFunction: String, CaseIterable, Sendable {
    case sum, count, min, max, empty, filled, selected, floor, round
    case `if`, length, date, year

    /// How many arguments the function takes: `(minimum, maximum)`, `nil` for no upper bound.
    var arity: (minimum: Int, maximum: Int?) {
        switch self {
        case .sum, .count, .min, .max: (1, nil)
        case .empty, .filled, .floor, .length, .date, .year: (1, 1)
        case .selected, .round: (2, 2)
        case .if: (3, 3)
        }
    }

    /// The parameters as shown in arity messages.
    var signature: String {
        switch self {
        case .sum: "sum(a, b, …)"
        case .count: "count(list, …)"
        case .min: "min(a, b, …)"
        case .max: "max(a, b, …)"
        case .empty: "empty(x)"
        case .filled: "filled(x)"
        case .selected: "selected(choice, 'option-id')"
        case .floor: "floor(x)"
        case .round: "round(x, decimals)"
        case .if: "if(condition, then, else)"
        case .length: "length(text)"
        case .date: "date('YYYY-MM-DD')"
        case .year: "year(date)"
        }
    }

    /// A known function whose name is within one edit of `name` (`summ` → `sum`).
    static func closest(to name: String) -> ExpressionFunction? {
        let lowered = name.lowercased()
        if let exact = ExpressionFunction(rawValue: lowered) { return exact }
        return allCases.first { editDistance(Array($0.rawValue), Array(lowered)) <= 1 }
    }

    private static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
