/// Reads one answer by its field type: the typed value, or what is wrong
/// with it. It needs nothing of the form but the type, so validation reads
/// the items of lists of fields with it too.
struct ValueReader {
    /// Something wrong with an answer; the caller decides the finding's step.
    struct Problem {
        let path: String
        let code: String
        let message: String
    }

    /// Every problem found so far, in order.
    private(set) var problems: [Problem] = []

    private mutating func report(_ path: String, _ code: String, _ message: String) {
        problems.append(Problem(path: path, code: code, message: message))
    }

    /// The text of a JSON scalar as a person might have typed it.
    private static func text(of json: JSONValue) -> String? {
        switch json {
        case .string(let text): text
        case .number(let text): text
        default: nil
        }
    }

    /// The answer `json` as a value of `type`; `nil` when it is empty, holds
    /// no value of its own (grids, groups) or is wrong (a problem at `path`).
    mutating func read(_ json: JSONValue, type: FieldType, path: String) -> Value? {
        func parsed<T>(_ result: Result<T, ValueError>, _ transform: (T) -> Value) -> Value? {
            switch result {
            case .success(let value): return transform(value)
            case .failure(let error):
                report(path, error.code, error.message)
                return nil
            }
        }
        func typed(_ code: String, _ message: String) -> String? {
            guard let text = Self.text(of: json) else {
                report(path, code, message)
                return nil
            }
            return text
        }
        switch type {
        case .text, .longText:
            guard let text = Self.text(of: json) else {
                report(path, "invalid-text", "Svaret ska vara text.")
                return nil
            }
            return text.isEmpty ? nil : .text(text)
        case .integer:
            guard let text = typed("invalid-integer", "Ange ett heltal, till exempel 12.") else { return nil }
            return parsed(SwedishNumber.parseInteger(text)) { .number(ExactDecimal($0)) }
        case .kronor:
            guard let text = typed("invalid-kronor", "Ange beloppet i hela kronor, till exempel 1 127 386.") else { return nil }
            return parsed(Kronor.parse(text)) { .number($0.decimal) }
        case .decimal(let decimals, _, _):
            guard let text = typed("invalid-decimal", "Ange ett tal, till exempel 2,80.") else { return nil }
            return parsed(DecimalNumber.parse(text, decimals: decimals)) { .number($0.value) }
        case .date:
            guard let text = typed("invalid-date", "Ange datum som ÅÅÅÅ-MM-DD, till exempel 2021-01-04.") else { return nil }
            return parsed(LocalDate.parse(text)) { .date($0) }
        case .email:
            guard let text = typed("invalid-email", "Ange en e-postadress, till exempel namn@kommun.se.") else { return nil }
            return parsed(EmailAddress.parse(text)) { .text($0.formatted) }
        case .phone:
            guard let text = typed("invalid-phone", "Ange ett telefonnummer, till exempel 08-530 610 00.") else { return nil }
            return parsed(PhoneNumber.parse(text)) { .text($0.formatted) }
        case .postnummer:
            guard let text = typed("invalid-postnummer", "Ange postnumret med fem siffror, till exempel 147 85.") else { return nil }
            return parsed(Postnummer.parse(text)) { .text($0.formatted) }
        case .organisationsnummer:
            guard let text = typed("invalid-organisationsnummer", "Ange organisationsnumret, till exempel 212000-2882.") else { return nil }
            return parsed(Organisationsnummer.parse(text)) { .text($0.formatted) }
        case .bankgiro:
            guard let text = typed("invalid-bankgiro", "Ange bankgironumret, till exempel 624-1061.") else { return nil }
            return parsed(Bankgiro.parse(text)) { .text($0.formatted) }
        case .plusgiro:
            guard let text = typed("invalid-plusgiro", "Ange plusgironumret, till exempel 412345-1.") else { return nil }
            return parsed(Plusgiro.parse(text)) { .text($0.formatted) }
        case .diarienummer:
            guard let text = typed("invalid-diarienummer", "Ange diarienumret, till exempel SN 2021:1.") else { return nil }
            return parsed(Diarienummer.parse(text)) { .text($0.formatted) }
        case .yesNo:
            switch json {
            case .bool(let flag): return .bool(flag)
            case .string(let text):
                switch text.lowercased() {
                case "ja", "true": return .bool(true)
                case "nej", "false": return .bool(false)
                default: break
                }
            default: break
            }
            report(path, "invalid-yesno", "Svara ja eller nej.")
            return nil
        case .choice, .scale:
            guard let text = Self.text(of: json), type.options.contains(where: { $0.id == text }) else {
                report(path, type.name == "scale" ? "invalid-scale" : "invalid-choice", "Välj ett av svarsalternativen.")
                return nil
            }
            return .text(text)
        case .multiChoice(let options, _, _):
            guard case .array(let items) = json else {
                report(path, "invalid-choice", "Svaret ska vara en lista med valda alternativ.")
                return nil
            }
            var chosen: [Value] = []
            for item in items {
                guard case .string(let id) = item, options.contains(where: { $0.id == id }) else {
                    report(path, "invalid-choice", "Välj bland svarsalternativen.")
                    return nil
                }
                if !chosen.contains(.text(id)) { chosen.append(.text(id)) }
            }
            return .list(chosen)
        case .matrix, .grid, .list, .group, .info:
            return nil
        }
    }
}
