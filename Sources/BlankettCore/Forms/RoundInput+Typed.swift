extension RoundInput {
    /// A value as an administrator types it from the authority's decision
    /// (`1 127 386`, `2,80`), in the JSON a round stores: numbers exact, in
    /// machine form; a wrong value is the same Swedish message a form field gives.
    public func storedValue(typed text: String) -> Result<JSONValue, ValueError> {
        switch type {
        case .kronor: Kronor.parse(text).map { .number($0.decimal.description) }
        case .decimal(let decimals, _, _): DecimalNumber.parse(text, decimals: decimals).map { .number($0.value.description) }
        case .integer: SwedishNumber.parseInteger(text).map { .number(String($0)) }
        default: .success(.string(String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())))
        }
    }

    /// The stored value as people write it, for a form to edit.
    public static func typedText(_ value: JSONValue) -> String {
        switch value {
        case .number(let literal): value.decimalValue.map(SwedishDisplay.number) ?? literal
        case .string(let text): text
        default: ""
        }
    }
}
