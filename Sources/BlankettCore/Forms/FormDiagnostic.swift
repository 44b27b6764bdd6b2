/// Where something stands in a form file (1-based line and column).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem in a form definition, printed as `file:line:col: error: message`.
public struct FormDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error
        case warning
    }

    public let location: SourceLocation
    public let severity: Severity
    /// Stable code, e.g. `unknown-reference`, `duplicate-id`, `type-mismatch`.
    public let code: String
    public let message: String
    /// The offending expression with a caret under the column, if any.
    public let snippet: String?

    public init(_ location: SourceLocation, _ code: String, _ message: String, severity: Severity = .error, snippet: String? = nil) {
        self.location = location
        self.severity = severity
        self.code = code
        self.message = message
        self.snippet = snippet
    }

    /// `file:line:col: error: message [code]`, then the snippet lines indented.
    public var description: String {
        let head = "\(location): \(severity.rawValue): \(message) [\(code)]"
        guard let snippet else { return head }
        return head + "\n" + snippet.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }
}

/// Every diagnostic of a form file that did not load.
public struct FormLoadFailure: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [FormDiagnostic]

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
