/// Rendering failed inside Cairo or Pango. Compares by `code`; carries no
/// answers (they may be personal data).
public struct PDFError: Error, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Cairo could not create the PDF surface or its drawing context.
        public static let surface = Code(rawValue: "pdf-surface")
        /// Cairo reported an error while drawing or finishing the document.
        public static let drawing = Code(rawValue: "pdf-drawing")
    }

    public let code: Code
    /// Cairo's own status text, for logs.
    public let detail: String

    public init(_ code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public static func == (lhs: PDFError, rhs: PDFError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { "\(code.rawValue): \(detail)" }
}
