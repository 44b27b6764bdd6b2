/// A case's answers read against one form definition: a typed value per slot,
/// the findings that reading produced (bad formats, unknown keys), and the
/// JSON as given, so that nothing a person typed is lost even when invalid.
public struct AnswerSet: Sendable {
    /// Typed value per slot of the definition; `.empty` when unanswered or unreadable.
    var values: [Value]
    /// Slots that held something in the input (valid or not).
    var answered: [Bool]
    /// Per list-of-fields slot: each item's fields as given. Their typed
    /// values are in `values`: one `.list` per item holding its fields'
    /// values in the order of the list's `fields` (`.empty` when unanswered).
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
                    let itemFields = slot.fieldIndex.map { definition.fieldsInOrder[$0].children } ?? []
                    var objects: [JSONObject] = []
                    var list: [Value] = []
                    for (position, element) in items.enumerated() {
                        guard case .object(let object) = element else {
                            report("\(slot.path).\(position)", "invalid-list", "Varje rad i listan ska ha sina egna fält.")
                            continue
                        }
                        let itemPath = "\(slot.path).\(objects.count)"
                        objects.append(object)
                        list.append(.list(itemFields.map { field in
                            guard let given = object[field.id], !given.isNull else { return .empty }
                            return readValue(given, type: field.type, path: "\(itemPath).\(field.id)") ?? .empty
                        }))
                    }
                    listItems[index] = objects
                    values[index] = .list(list)
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

    /// Reads one answer; what is wrong with it becomes a finding in the path's step.
    mutating func readValue(_ json: JSONValue, type: FieldType, path: String) -> Value? {
        var reader = ValueReader()
        let value = reader.read(json, type: type, path: path)
        for problem in reader.problems { report(problem.path, problem.code, problem.message) }
        return value
    }
}
