/// What is stored after a save: the answers as the engine sees them.
public struct StoredAnswers: Sendable {
    /// The typed answers without the ones to questions that are not asked,
    /// with every computed and prefilled value filled in by the engine.
    public let answers: JSONValue
    /// The validation of exactly those answers.
    public let validation: ValidationResult
}

extension FormDefinition {
    /// Prepares answers for storage. Computed and prefilled fields are
    /// never taken from the input: the engine writes them, so a stored case
    /// always shows what its rules computed. Answers to irrelevant questions
    /// are dropped (and listed in `validation.droppedPaths`).
    public func answersToStore(_ input: JSONValue, context: ValidationContext) -> StoredAnswers {
        var answers = input.objectValue.map(JSONValue.object) ?? .object(JSONObject())
        for field in allFields where field.isReadOnly {
            answers = answers.removing(path: field.path)
        }
        let validation = validate(answers, context: context)
        for path in validation.droppedPaths {
            answers = answers.removing(path: path)
        }
        for field in allFields where field.isReadOnly {
            guard let slot = slot(forPath: field.path) else { continue }
            let value = validation.values[slot]
            if let json = Self.storedJSON(value) {
                answers = answers.setting(path: field.path, to: json)
            }
        }
        return StoredAnswers(answers: answers, validation: validation)
    }

    /// The answers-JSON form of a computed value: numbers and dates as the
    /// strings people could have typed, yes/no as booleans.
    static func storedJSON(_ value: Value) -> JSONValue? {
        switch value {
        case .empty: nil
        case .number(let number): .string(number.description)
        case .text(let text): text.isEmpty ? nil : .string(text)
        case .bool(let flag): .bool(flag)
        case .date(let date): .string(date.description)
        case .list(let items): .array(items.compactMap(storedJSON))
        }
    }

    /// The ids of the top-level fields of one step, whose answers a step save replaces.
    public func topLevelFieldIDs(inStep stepID: String) -> [String] {
        step(withID: stepID)?.fields.map(\.id) ?? []
    }
}

extension JSONValue {
    /// The value at a dotted path (`klienter.nya.18-29.kvinnor`, `lista.0.namn`).
    public func value(atPath path: String) -> JSONValue? {
        var current: JSONValue? = self
        for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let value = current else { return nil }
            if case .array = value, let index = Int(segment) {
                current = value[index]
            } else {
                current = value[String(segment)]
            }
        }
        return current
    }

    /// A copy without the value at a dotted path; unchanged when it is not there.
    public func removing(path: String) -> JSONValue {
        removing(segments: path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)[...])
    }

    private func removing(segments: ArraySlice<String>) -> JSONValue {
        guard let first = segments.first else { return self }
        let rest = segments.dropFirst()
        switch self {
        case .object(var object):
            guard let child = object[first] else { return self }
            if rest.isEmpty {
                _ = object.removeValue(forKey: first)
            } else {
                _ = object.updateValue(child.removing(segments: rest), forKey: first)
            }
            return .object(object)
        case .array(var items):
            guard let index = Int(first), items.indices.contains(index) else { return self }
            // An array keeps its positions: a removed item becomes null.
            items[index] = rest.isEmpty ? .null : items[index].removing(segments: rest)
            return .array(items)
        default:
            return self
        }
    }

    /// A copy with the value at a dotted path replaced; objects are created
    /// along the way, numeric segments index existing arrays.
    public func setting(path: String, to value: JSONValue) -> JSONValue {
        setting(segments: path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)[...], to: value)
    }

    private func setting(segments: ArraySlice<String>, to value: JSONValue) -> JSONValue {
        guard let first = segments.first else { return value }
        let rest = segments.dropFirst()
        if case .array(var items) = self, let index = Int(first) {
            while items.count <= index { items.append(.null) }
            items[index] = items[index].setting(segments: rest, to: value)
            return .array(items)
        }
        var object: JSONObject
        if case .object(let existing) = self { object = existing } else { object = JSONObject() }
        _ = object.updateValue((object[first] ?? .null).setting(segments: rest, to: value), forKey: first)
        return .object(object)
    }
}
