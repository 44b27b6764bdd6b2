import BlankettCore

/// Answers written the Swedish way for print: `1 127 386 kr`, `2,80`,
/// `2021-01-04`, Ja / Nej, choices by their labels.
enum AnswerText {
    static let unanswered = "Ej besvarad"

    /// The printed answer, or `nil` when there is none.
    static func format(_ value: Value, type: FieldType, unit: String?) -> String? {
        switch value {
        case .empty:
            return nil
        case .number(let number):
            return formatNumber(number, type: type, unit: unit)
        case .text(let text):
            if text.isEmpty { return nil }
            switch type {
            case .choice, .matrix:
                return label(of: text, in: type.options)
            case .scale(let minimum, let maximum, let minLabel, let maxLabel, _):
                if text == String(minimum), let minLabel { return "\(text) – \(minLabel)" }
                if text == String(maximum), let maxLabel { return "\(text) – \(maxLabel)" }
                return label(of: text, in: type.options)
            default:
                return text
            }
        case .bool(let flag):
            return flag ? "Ja" : "Nej"
        case .date(let date):
            return date.description
        case .list(let items):
            let parts = items.compactMap { format($0, type: itemType(type), unit: nil) }
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        }
    }

    /// Option labels of a multichoice answer, in the form's order.
    static func selectedLabels(_ value: Value, options: [FieldOption]) -> [String] {
        guard case .list(let items) = value else { return [] }
        let chosen = Set(items.compactMap { item -> String? in if case .text(let id) = item { id } else { nil } })
        return options.filter { chosen.contains($0.id) }.map(\.label)
    }

    static func formatNumber(_ number: ExactDecimal, type: FieldType, unit: String?) -> String {
        let text: String
        var unit = unit
        switch type {
        case .kronor:
            text = Kronor(exactly: number)?.formatted(unit: false) ?? SwedishDisplay.number(number)
            if unit == nil { unit = "kr" }
        case .decimal(let decimals, _, _):
            text = SwedishNumber.format(number, decimals: decimals)
        default:
            text = SwedishDisplay.number(number)
        }
        guard let unit, !unit.isEmpty else { return text }
        return "\(text) \(unit)"
    }

    /// An answer as stored in JSON (items of lists of fields, unreadable answers),
    /// formatted when it can be read as `type`, else as typed.
    static func formatRaw(_ json: JSONValue, type: FieldType, unit: String?) -> String? {
        let typed: String
        switch json {
        case .null: return nil
        case .bool(let flag): return flag ? "Ja" : "Nej"
        case .string(let text): typed = text
        case .number(let text): typed = text
        case .array(let items):
            let parts = items.compactMap { formatRaw($0, type: itemType(type), unit: nil) }
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        case .object: return nil
        }
        if typed.isEmpty { return nil }
        switch type {
        case .kronor:
            if case .success(let kronor) = Kronor.parse(typed) { return formatNumber(kronor.decimal, type: type, unit: unit) }
        case .integer:
            if case .success(let integer) = SwedishNumber.parseInteger(typed) { return formatNumber(ExactDecimal(integer), type: type, unit: unit) }
        case .decimal(let decimals, _, _):
            if case .success(let decimal) = DecimalNumber.parse(typed, decimals: decimals) { return formatNumber(decimal.value, type: type, unit: unit) }
        case .choice, .scale, .matrix:
            return label(of: typed, in: type.options)
        case .yesNo:
            switch typed.lowercased() {
            case "ja", "true": return "Ja"
            case "nej", "false": return "Nej"
            default: break
            }
        default:
            break
        }
        return typed
    }

    private static func itemType(_ type: FieldType) -> FieldType {
        switch type {
        case .list(let item?, _, _): item
        case .multiChoice(let options, _, _): .choice(options: options)
        default: type
        }
    }

    private static func label(of id: String, in options: [FieldOption]) -> String {
        options.first { $0.id == id }?.label ?? id
    }
}
