/// Rendering failed inside Cairo or Pango, or a finished PDF could not be
/// updated or signed. Compares by `code`; carries no
/// answers (they may be personal data).
public struct PDFError: Error, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Cairo could not create the PDF surface or its drawing context.
        public static let surface = Code(rawValue: "pdf-surface")
        /// Cairo reported an error while drawing or finishing the document.
        public static let drawing = Code(rawValue: "pdf-drawing")
        /// A PDF to be updated does not have the structure Blankett writes.
        public static let structure = Code(rawValue: "pdf-structure")
        /// The seal certificate or key is unusable, or the CMS signature failed.
        public static let signing = Code(rawValue: "pdf-signing")
    }

    public let code: Code
    /// Cairo's own status text or what was wrong, for logs.
    public let detail: String

    public init(_ code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public static func == (lhs: PDFError, rhs: PDFError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    public var description: String { "\(code.rawValue): \(detail)" }
}
