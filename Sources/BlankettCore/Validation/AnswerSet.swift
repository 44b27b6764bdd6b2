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
        var given = [JSONValue?](repeating: nil, count: definition.slots.count)
        walk(input, node: 0, prefix: nil, checking: true, into: &given)

        for index in given.indices {
            guard let json = given[index], !json.isNull else { continue }
            let slot = definition.slots[index]
            switch slot.kind {
            case .period, .roundInput:
                continue
            case .field, .cell:
                break
            }
            answered[index] = true
            if let fieldIndex = slot.fieldIndex, definition.fieldsInOrder[fieldIndex].isReadOnly { continue }
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

    /// Collects the answer of every slot from `json` (the object at `node`
    /// of the form's key tree) in one walk; with `checking`, a key the form
    /// has no place for is a finding. Below a slot's own answer (a group, a
    /// grid) keys are collected but not checked.
    private mutating func walk(_ json: JSONValue, node: Int, prefix: String?, checking: Bool, into given: inout [JSONValue?]) {
        guard case .object(let object) = json else { return }
        let layout = definition.layout
        for (key, value) in object {
            guard let child = layout.child(of: node, key) else {
                if checking {
                    let path = prefix.map { "\($0).\(key)" } ?? key
                    findings.append(Finding(path: path, severity: .error, code: "unknown-field",
                                            message: "Formuläret har ingen fråga med id \(path).", step: ""))
                }
                continue
            }
            let slot = layout.keyNodes[child].slot
            if slot != SlotLayout.noSlot { given[slot] = value }
            guard layout.keyNodes[child].edgeCount > 0 else { continue }
            if case .object = value {
                walk(value, node: child, prefix: prefix.map { "\($0).\(key)" } ?? key,
                     checking: checking && slot == SlotLayout.noSlot, into: &given)
            } else if checking, slot == SlotLayout.noSlot, !value.isNull {
                report(prefix.map { "\($0).\(key)" } ?? key, "invalid-answers", "Svaret ska vara ett objekt med ett värde per ruta.")
            }
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
