/// One thing wrong (error) or worth a second look (warning) in a set of answers.
public struct Finding: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Dotted answer path, e.g. `klienter.nya.kvinnor.18-29`.
    public let path: String
    public let severity: Severity
    /// Stable code: a built-in (`required`, `checksum`, …) or the rule's id.
    public let code: String
    /// Swedish, for the person filling in the form.
    public let message: String
    /// The step the path belongs to (empty for unknown fields).
    public let step: String

    public init(path: String, severity: Severity, code: String, message: String, step: String) {
        self.path = path
        self.severity = severity
        self.code = code
        self.message = message
        self.step = step
    }

    public var description: String { "\(severity.rawValue) \(code) at \(path): \(message)" }
}

extension Array where Element == Finding {
    public var errors: [Finding] { filter { $0.severity == .error } }
    public var warnings: [Finding] { filter { $0.severity == .warning } }
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
