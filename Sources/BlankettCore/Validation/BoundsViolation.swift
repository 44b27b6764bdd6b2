/// A bound that an answer breaks: the code and message of its finding.
struct BoundsViolation {
    let code: String
    let message: String
}

extension ValidationPlan.Bounds {
    /// The bounds `value` breaks; none for almost every answer, so callers
    /// build findings (and read paths) only when there is one. Date bounds
    /// are expressions in `expressions`, evaluated in `environment`.
    func violations(by value: Value, expressions: ExpressionCode, environment: SlotValues) -> [BoundsViolation] {
        // Switching on the bounds before the value keeps the common case
        // (a number or a text within its bounds) short.
        var violations: [BoundsViolation] = []
        switch self {
        case .none:
            break
        case .number(let minimum, let maximum):
            guard case .number(let number) = value else { break }
            if let minimum, number < minimum {
                violations.append(BoundsViolation(code: "below-min", message: "Värdet får inte vara lägre än \(SwedishDisplay.number(minimum))."))
            }
            if let maximum, number > maximum {
                violations.append(BoundsViolation(code: "above-max", message: "Värdet får inte vara högre än \(SwedishDisplay.number(maximum))."))
            }
        case .date(let minimum, let maximum):
            guard case .date(let date) = value else { break }
            if let minimum, case .date(let bound) = expressions.evaluate(minimum, in: environment), date < bound {
                violations.append(BoundsViolation(code: "below-min", message: "Datumet får inte vara före \(bound)."))
            }
            if let maximum, case .date(let bound) = expressions.evaluate(maximum, in: environment), date > bound {
                violations.append(BoundsViolation(code: "above-max", message: "Datumet får inte vara efter \(bound)."))
            }
        case .text(let maximum):
            // Counting characters walks grapheme clusters; no text has more characters than UTF-8 bytes.
            guard case .text(let text) = value, text.utf8.count > maximum, text.count > maximum else { break }
            violations.append(BoundsViolation(
                code: "too-long", message: "Texten är \(text.count) tecken lång. Högst \(maximum) tecken får plats; korta texten."))
        case .selection(let minimum, let maximum):
            guard case .list(let items) = value else { break }
            if let minimum, items.count < minimum {
                violations.append(BoundsViolation(code: "too-few-selected", message: "Välj minst \(minimum) alternativ."))
            }
            if let maximum, items.count > maximum {
                violations.append(BoundsViolation(code: "too-many-selected", message: "Välj högst \(maximum) alternativ."))
            }
        case .items(let minimum, let maximum):
            guard case .list(let items) = value else { break }
            if let minimum, items.count < minimum {
                violations.append(BoundsViolation(code: "too-few-items", message: "Lägg till minst \(minimum) rader."))
            }
            if let maximum, items.count > maximum {
                violations.append(BoundsViolation(code: "too-many-items", message: "Högst \(maximum) rader får plats."))
            }
        }
        return violations
    }
}
