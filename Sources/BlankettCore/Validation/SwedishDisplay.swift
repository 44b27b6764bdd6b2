/// Values written the Swedish way for messages and pages: `1 127 386`, `2,80`,
/// `ja`/`nej`, dates as `2021-01-04`.
public enum SwedishDisplay {
    public static func number(_ value: ExactDecimal) -> String {
        // Keep typed decimals (2,80) but not the long tails of division.
        SwedishNumber.format(value, decimals: value.scale <= 2 ? value.scale : value.significantScale)
    }

    public static func text(_ value: Value) -> String {
        switch value {
        case .empty: "–"
        case .number(let number): Self.number(number)
        case .text(let text): text
        case .bool(let flag): flag ? "ja" : "nej"
        case .date(let date): date.description
        case .list(let items): items.map(text).joined(separator: ", ")
        }
    }
}
