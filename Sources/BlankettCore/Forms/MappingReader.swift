/// Reads one YAML mapping of a form file, recording which keys were used so
/// that a misspelt key (`requierd`) is reported instead of silently ignored.
struct MappingReader {
    let pairs: [(key: String, keyLocation: SourceLocation, value: YAMLNode)]
    let location: SourceLocation
    let diagnostics: DiagnosticLog

    init?(_ node: YAMLNode, what: String, diagnostics: DiagnosticLog) {
        guard case .mapping(let pairs, let location) = node else {
            diagnostics.error(node.location, "expected-mapping", "\(what) must be a mapping of keys and values")
            return nil
        }
        self.pairs = pairs
        self.location = location
        self.diagnostics = diagnostics
    }

    func node(_ key: String) -> YAMLNode? {
        pairs.first { $0.key == key }?.value
    }

    func has(_ key: String) -> Bool { node(key) != nil }

    /// A scalar's text; nil (with a diagnostic) when the key holds a list or mapping.
    func string(_ key: String) -> String? {
        guard let node = node(key) else { return nil }
        guard case .scalar(let text, _, _) = node else {
            diagnostics.error(node.location, "expected-text", "'\(key)' must be a single value")
            return nil
        }
        return text
    }

    func requiredString(_ key: String, what: String) -> String? {
        guard let text = string(key) else {
            if !has(key) { diagnostics.error(location, "missing-key", "\(what) needs '\(key)'") }
            return nil
        }
        return text
    }

    func bool(_ key: String) -> Bool? {
        guard let text = string(key) else { return nil }
        switch text {
        case "true", "yes": return true
        case "false", "no": return false
        default:
            diagnostics.error(node(key)!.location, "expected-bool", "'\(key)' must be true or false")
            return nil
        }
    }

    func int(_ key: String) -> Int? {
        guard let text = string(key) else { return nil }
        guard let value = Int(text) else {
            diagnostics.error(node(key)!.location, "expected-integer", "'\(key)' must be a whole number")
            return nil
        }
        return value
    }

    func decimal(_ key: String) -> ExactDecimal? {
        guard let text = string(key) else { return nil }
        guard let value = ExactDecimal(canonical: text) else {
            diagnostics.error(node(key)!.location, "expected-number", "'\(key)' must be a number written with a decimal point")
            return nil
        }
        return value
    }

    func sequence(_ key: String) -> [YAMLNode]? {
        guard let node = node(key) else { return nil }
        guard case .sequence(let items, _) = node else {
            diagnostics.error(node.location, "expected-list", "'\(key)' must be a list")
            return nil
        }
        return items
    }

    /// Reports keys outside `allowed`.
    func rejectUnknownKeys(_ allowed: Set<String>, what: String) {
        for pair in pairs where !allowed.contains(pair.key) {
            let known = allowed.sorted().joined(separator: ", ")
            diagnostics.error(pair.keyLocation, "unknown-key", "unknown key '\(pair.key)' for \(what) (known: \(known))")
        }
    }
}

/// Collects diagnostics from every stage of loading.
final class DiagnosticLog {
    private(set) var entries: [FormDiagnostic] = []

    func error(_ location: SourceLocation, _ code: String, _ message: String, snippet: String? = nil) {
        entries.append(FormDiagnostic(location, code, message, snippet: snippet))
    }

    func warning(_ location: SourceLocation, _ code: String, _ message: String, snippet: String? = nil) {
        entries.append(FormDiagnostic(location, code, message, severity: .warning, snippet: snippet))
    }

    var hasErrors: Bool { entries.contains { $0.severity == .error } }
}
