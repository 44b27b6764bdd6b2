/// A case's answers read against one form definition: a typed value per slot,
/// the findings that reading produced (bad formats, unknown keys), and the
/// JSON as given, so that nothing a person typed is lost even when invalid.
public struct AnswerSet: Sendable {
    /// Typed value per slot of the definition; `.empty` when unanswered or unreadable.
    var values: [Value]
    /// Slots that held something in the input (valid or not).
    var answered: [Bool]
    /// Per list-of-fields slot: each item's fields as given.
    var listItems: [Int: [JSONObject]]
    /// Findings from reading: formats, checksums, unknown fields.
    public let readingFindings: [Finding]
    /// The answers exactly as given.
    public let input: JSONValue

    public func value(atPath path: String, in definition: FormDefinition) -> Value? {
        definition.slot(forPath: path).map { values[$0] }
    }
}

extension FormDefinition {
    /// Reads answers given as JSON (the shape of docs/form-format.md).
    public func read(_ input: JSONValue) -> AnswerSet {
        var reader = AnswerReader(definition: self)
        return reader.read(input)
    }
}

struct AnswerReader {
    let definition: FormDefinition
    var findings: [Finding] = []

    init(definition: FormDefinition) {
        self.definition = definition
    }

    mutating func read(_ input: JSONValue) -> AnswerSet {
        var values = [Value](repeating: .empty, count: definition.slots.count)
        var answered = [Bool](repeating: false, count: definition.slots.count)
        var listItems: [Int: [JSONObject]] = [:]
        guard case .object = input else {
            findings.append(Finding(path: "", severity: .error, code: "invalid-answers",
                                    message: "Svaren måste vara ett JSON-objekt med ett fält per fråga.", step: ""))
            return AnswerSet(values: values, answered: answered, listItems: [:], readingFindings: findings, input: input)
        }
        let containers = definition.layout.containerPaths
        checkKeys(input, prefix: nil, containers: containers)

        for (index, slot) in definition.slots.enumerated() {
            switch slot.kind {
            case .period, .roundInput:
                continue
            case .field, .cell:
                break
            }
            guard let json = Self.lookup(input, segments: definition.layout.segments[index]), !json.isNull else { continue }
            answered[index] = true
            if let field = slot.fieldIndex.map({ definition.fieldsInOrder[$0] }), field.isReadOnly { continue }
            switch slot.type {
            case .list(let item, _, _):
                guard case .array(let items) = json else {
                    report(slot.path, "invalid-list", "Svaret ska vara en lista.")
                    continue
                }
                if let item {
                    var list: [Value] = []
                    for (position, element) in items.enumerated() where !element.isNull {
                        if let value = readValue(element, type: item, path: "\(slot.path).\(position)") { list.append(value) }
                    }
                    values[index] = .list(list)
                } else {
                    var objects: [JSONObject] = []
                    for (position, element) in items.enumerated() {
                        guard case .object(let object) = element else {
                            report("\(slot.path).\(position)", "invalid-list", "Varje rad i listan ska ha sina egna fält.")
                            continue
                        }
                        objects.append(object)
                    }
                    listItems[index] = objects
                    values[index] = .list(objects.indices.map { .text(String($0)) })
                }
            default:
                if let value = readValue(json, type: slot.type, path: slot.path) { values[index] = value }
            }
        }
        return AnswerSet(values: values, answered: answered, listItems: listItems, readingFindings: findings, input: input)
    }

    static func lookup(_ json: JSONValue, segments: [String]) -> JSONValue? {
        var current = json
        for segment in segments {
            guard case .object(let object) = current, let next = object[segment] else { return nil }
            current = next
        }
        return current
    }

    private mutating func checkKeys(_ json: JSONValue, prefix: String?, containers: Set<String>) {
        guard case .object(let object) = json else { return }
        for (key, value) in object {
            let path = prefix.map { "\($0).\(key)" } ?? key
            if definition.slot(forPath: path) != nil { continue }
            if containers.contains(path) {
                if case .object = value {
                    checkKeys(value, prefix: path, containers: containers)
                } else if !value.isNull {
                    report(path, "invalid-answers", "Svaret ska vara ett objekt med ett värde per ruta.")
                }
                continue
            }
            findings.append(Finding(path: path, severity: .error, code: "unknown-field",
                                    message: "Formuläret har ingen fråga med id \(path).", step: ""))
        }
    }

    private mutating func report(_ path: String, _ code: String, _ message: String) {
        findings.append(Finding(path: path, severity: .error, code: code, message: message, step: definition.stepID(forPath: path)))
    }

    /// The text of a JSON scalar as a person might have typed it.
    private static func text(of json: JSONValue) -> String? {
        switch json {
        case .string(let text): text
        case .number(let text): text
        default: nil
        }
    }

    mutating func readValue(_ json: JSONValue, type: FieldType, path: String) -> Value? {
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
