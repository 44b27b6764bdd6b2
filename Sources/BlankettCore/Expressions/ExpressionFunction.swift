/// The functions expressions may call, and how they treat missing answers.
///
/// - `sum(a, b, …)`: numbers, lists of numbers, wildcards or list fields
///   (`${list.*.field}`); empty values are skipped, and with no answered
///   value at all the sum is 0, never unknown, so that a check like
///   `sum(…) <= ${round.x}` is decided (missing answers are the `required`
///   rule's to report).
/// - `count(x, …)`: how many non-empty values (list items, list fields and
///   wildcard slots count one by one); never empty. `count(${list.*.field})`
///   counts the items that answer the field.
/// - `min(…)`, `max(…)`: numbers or dates (all the same), skipping empties;
///   empty (unknown) when every value is empty, as there is nothing to compare.
/// - `empty(x)`, `filled(x)`: no answer; empty text, a list without answers
///   and a wildcard whose slots are all empty count as empty. Never unknown.
/// - `selected(x, 'id')`: a choice equals the id, a multichoice contains it, a
///   wildcard has a slot that does. No answer selects nothing (false).
/// - `floor(x)`, `round(x, n)`: `n` a whole number 0…18, halves away from zero.
/// - `if(c, a, b)`: only the chosen branch is evaluated; unknown `c` gives empty.
/// - `length(text)`: characters (items for a list).
/// - `date('YYYY-MM-DD')`: parsed when compiling. `year(date)`: a number.
///
/// Unless said otherwise an empty argument makes the result empty (unknown).
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
