/// Why a case service call did not happen. Nothing is changed when one is
/// thrown. `message` is Swedish, for the person; `code` is stable, for the
/// API and tests; neither contains answers beyond what the person sent.
public struct CaseError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// No such case, or one of an organisation the person does not belong to.
        case notFound = "not-found"
        /// The answers were saved by someone else since the version edited.
        case conflict
        /// The workflow refused the transition; see `workflowCode`.
        case workflow
        case invalidInput = "invalid-input"
        /// A diarienummer, round or name that must be unique is taken.
        case duplicate
        /// The form version of the case is not among the published forms.
        case formUnavailable = "form-unavailable"
    }

    public let code: Code
    public let message: String
    public var workflowCode: WorkflowError.Code?
    /// For `conflict`: what changed between the version edited and now.
    public var changes: [AnswerChange] = []
    /// For `conflict`: the version now stored.
    public var currentVersion: Int?
    /// The input at fault (a step id, a body member), when one is.
    public var parameter: String?

    public init(_ code: Code, _ message: String, parameter: String? = nil) {
        self.code = code
        self.message = message
        self.parameter = parameter
    }

    public init(_ error: WorkflowError) {
        self.init(.workflow, error.message)
        workflowCode = error.code
    }

    public static func notFound(_ what: String = "Ärendet") -> CaseError {
        CaseError(.notFound, "\(what) finns inte, eller så har du inte behörighet till det.")
    }

    public var description: String {
        "\(code.rawValue)\(workflowCode.map { "/\($0.rawValue)" } ?? ""): \(message)"
    }
}
