/// The published form versions, by `FormDefinition.id`, each with the
/// SHA-256 of its file text: a case records both, and a signature covers
/// them, so a definition edited after signing is noticed.
public struct FormCatalog: Sendable {
    public struct Entry: Sendable {
        public let definition: FormDefinition
        /// Lowercase hex SHA-256 of the file's text.
        public let sha256: String
    }

    public private(set) var entries: [String: Entry] = [:]

    public init() {}

    /// Loads every file (`name`, `text`); all problems of all files are
    /// reported together in one failure, and a form id defined twice is one of them.
    public static func load(files: [(name: String, text: String)]) -> Result<FormCatalog, FormLoadFailure> {
        var catalog = FormCatalog()
        var failures: [FormLoadFailure] = []
        for file in files.sorted(by: { $0.name < $1.name }) {
            switch FormDefinition.load(file.text, file: file.name) {
            case .success(let definition):
                if let existing = catalog.entries[definition.id] {
                    failures.append(FormLoadFailure(diagnostics: [FormDiagnostic(
                        SourceLocation(file: file.name, line: 1, column: 1),
                        "duplicate-form-id",
                        "the form id '\(definition.id)' is also defined in \(existing.definition.file)"
                    )]))
                    continue
                }
                catalog.add(definition, text: file.text)
            case .failure(let failure):
                failures.append(failure)
            }
        }
        return failures.isEmpty ? .success(catalog) : .failure(FormLoadFailure(diagnostics: failures.flatMap(\.diagnostics)))
    }

    public mutating func add(_ definition: FormDefinition, text: String) {
        entries[definition.id] = Entry(definition: definition, sha256: Self.sha256Hex(text))
    }

    public subscript(id: String) -> Entry? { entries[id] }

    static func sha256Hex(_ text: String) -> String {
        Digest.sha256Hex(text.utf8)
    }
}
