import BlankettCore

struct MessageView {
    let anchor: String
    let message: String
}

struct OptionView {
    let optionID: String
    let name: String
    let value: String
    let label: String
    let checked: Bool
    let inputType: String
}

struct GridCellView {
    let anchor: String
    let name: String
    let value: String
    let ariaLabel: String
    let inputMode: String
    let readOnly: Bool
    let hasError: Bool
}

struct GridRowView {
    let label: String
    let cells: [GridCellView]
}

struct MatrixRowView {
    let anchor: String
    let label: String
    let options: [OptionView]
}

struct ListPartView {
    let anchor: String
    let name: String
    let label: String
    let value: String
}

struct ListItemView {
    let number: Int
    let simple: ListPartView?
    let parts: [ListPartView]
}

/// One field as the step template shows it. The engine decides what is
/// asked, what is computed and what is wrong; this only arranges it.
struct FieldView {
    var anchor: String
    var name: String
    var label: String
    var help: String?
    var ordinance: String?
    var unit: String?
    var placeholder: String?
    var required = false
    var isInfo = false, isGroup = false, isReadOnly = false, isInput = false
    var isOptions = false, isGrid = false, isMatrix = false, isList = false, isLong = false
    var text: String?
    var display = ""
    var inputType = "text"
    var inputMode: String?
    var value = ""
    var describedBy: String?
    var errors: [MessageView] = []
    var warnings: [MessageView] = []
    var hasError: Bool { !errors.isEmpty }
    var hasWarning: Bool { !warnings.isEmpty }
    var options: [OptionView] = []
    var children: [FieldView] = []
    var columns: [String] = []
    var rows: [GridRowView] = []
    var matrixRows: [MatrixRowView] = []
    var items: [ListItemView] = []

    static func anchor(_ path: String) -> String { "f-" + path }
}

/// Builds field views for one step from the stored answers and the engine's verdict.
struct FieldViewBuilder {
    let definition: FormDefinition
    let answers: JSONValue
    let validation: ValidationResult
    let findingsByPath: [String: [Finding]]
    /// The authority and round the form's texts name by placeholder.
    let texts: FormTexts

    init(definition: FormDefinition, answers: JSONValue, validation: ValidationResult, showFindings: Bool = true, texts: FormTexts = .none) {
        self.definition = definition
        self.texts = texts
        self.answers = answers
        self.validation = validation
        findingsByPath = showFindings ? Dictionary(grouping: validation.findings, by: \.path) : [:]
    }

    func views(for fields: [Field]) -> [FieldView] {
        fields.compactMap(view)
    }

    func view(_ field: Field) -> FieldView? {
        guard (validation.isAsked(field.path, in: definition) ?? true) || isContainer(field) else { return nil }
        var view = FieldView(anchor: FieldView.anchor(field.path), name: field.path, label: field.label ?? field.id,
                             help: texts.fill(field.help), ordinance: field.ordinance, unit: field.unit, placeholder: field.placeholder)
        if case .never = field.required {} else { view.required = true }
        (view.errors, view.warnings) = messages(at: field.path, anchor: view.anchor)
        if field.help != nil { view.describedBy = view.anchor + "-hint" }
        if view.hasError { view.describedBy = [view.describedBy, view.anchor + "-error"].compactMap { $0 }.joined(separator: " ") }
        if field.isReadOnly {
            view.isReadOnly = true
            view.display = validation.value(atPath: field.path, in: definition).map(SwedishDisplay.text) ?? "–"
            return view
        }
        let stored = answers.value(atPath: field.path)
        switch field.type {
        case .info(let text):
            view.isInfo = true
            view.text = texts.fill(text)
            view.label = field.label ?? ""
        case .group:
            view.isGroup = true
            view.label = field.label ?? ""
            view.children = views(for: field.children)
            if view.children.isEmpty { return nil }
        case .longText:
            view.isInput = true
            view.isLong = true
            view.value = Self.text(stored)
        case .integer, .kronor:
            view.isInput = true
            view.inputMode = "numeric"
            view.value = Self.text(stored)
        case .decimal:
            view.isInput = true
            view.inputMode = "decimal"
            view.value = Self.text(stored)
        case .date:
            // A text input: people type known dates faster than they pick them, and
            // browsers' date pickers vary in how they read what is typed.
            view.isInput = true
            view.placeholder = field.placeholder ?? "ÅÅÅÅ-MM-DD"
            view.value = Self.text(stored)
        case .email:
            view.isInput = true
            view.inputType = "email"
            view.value = Self.text(stored)
        case .phone:
            view.isInput = true
            view.inputType = "tel"
            view.value = Self.text(stored)
        case .text, .postnummer, .organisationsnummer, .bankgiro, .plusgiro, .diarienummer:
            view.isInput = true
            view.value = Self.text(stored)
        case .yesNo:
            view.isOptions = true
            let answer = Self.yesNo(stored)
            view.options = [("ja", "Ja", answer == true), ("nej", "Nej", answer == false)].map {
                OptionView(optionID: view.anchor + "-" + $0.0, name: field.path, value: $0.0, label: $0.1, checked: $0.2, inputType: "radio")
            }
        case .choice, .scale:
            view.isOptions = true
            let chosen = Self.text(stored)
            view.options = field.type.options.map {
                OptionView(optionID: view.anchor + "-" + $0.id, name: field.path, value: $0.id, label: $0.label, checked: $0.id == chosen, inputType: "radio")
            }
        case .multiChoice(let options, _, _):
            view.isOptions = true
            let chosen = Set((stored?.arrayValue ?? []).compactMap(\.stringValue))
            view.options = options.map {
                OptionView(optionID: view.anchor + "-" + $0.id, name: field.path, value: $0.id, label: $0.label, checked: chosen.contains($0.id), inputType: "checkbox")
            }
        case .matrix(let rows, let options):
            view.isMatrix = true
            view.matrixRows = rows.compactMap { row in
                let path = "\(field.path).\(row.id)"
                guard (validation.isAsked(path, in: definition) ?? true) else { return nil }
                let chosen = Self.text(answers.value(atPath: path))
                let anchor = FieldView.anchor(path)
                return MatrixRowView(anchor: anchor, label: row.label, options: options.map {
                    OptionView(optionID: anchor + "-" + $0.id, name: path, value: $0.id, label: $0.label, checked: $0.id == chosen, inputType: "radio")
                })
            }
        case .grid(let rows, let columns, let cell):
            view.isGrid = true
            view.columns = columns.map(\.label)
            let mode: String = if case .decimal = cell { "decimal" } else { "numeric" }
            view.rows = rows.compactMap { row in
                let cells = columns.compactMap { column -> GridCellView? in
                    let path = "\(field.path).\(row.id).\(column.id)"
                    guard (validation.isAsked(path, in: definition) ?? true) else { return nil }
                    let anchor = FieldView.anchor(path)
                    let (errors, warnings) = messages(at: path, anchor: anchor)
                    view.errors += errors
                    view.warnings += warnings
                    return GridCellView(anchor: anchor, name: path, value: Self.text(answers.value(atPath: path)),
                                        ariaLabel: "\(row.label), \(column.label)", inputMode: mode, readOnly: false, hasError: !errors.isEmpty)
                }
                return cells.isEmpty ? nil : GridRowView(label: row.label, cells: cells)
            }
        case .list(let item, _, _):
            view.isList = true
            let stored = stored?.arrayValue ?? []
            let count = stored.count + 1
            view.items = (0..<count).map { index in
                let itemPath = "\(field.path).\(index)"
                if item != nil {
                    let part = ListPartView(anchor: FieldView.anchor(itemPath), name: itemPath, label: "", value: Self.text(stored[safe: index]))
                    return ListItemView(number: index + 1, simple: part, parts: [])
                }
                let parts = field.children.map { child in
                    let path = "\(itemPath).\(child.id)"
                    return ListPartView(anchor: FieldView.anchor(path), name: path, label: child.label ?? child.id,
                                        value: Self.text(stored[safe: index]?[child.id]))
                }
                return ListItemView(number: index + 1, simple: nil, parts: parts)
            }
            for index in 0..<count {
                for (path, list) in findingsByPath where path.hasPrefix("\(field.path).\(index)") {
                    view.errors += list.filter { $0.severity == .error }.map { MessageView(anchor: FieldView.anchor(path), message: $0.message) }
                }
            }
        }
        return view
    }

    private func isContainer(_ field: Field) -> Bool {
        if case .group = field.type { return true }
        if case .info = field.type { return true }
        return false
    }

    private func messages(at path: String, anchor: String) -> ([MessageView], [MessageView]) {
        let findings = findingsByPath[path] ?? []
        return (findings.filter { $0.severity == .error }.map { MessageView(anchor: anchor, message: $0.message) },
                findings.filter { $0.severity == .warning && $0.code != "not-relevant" }.map { MessageView(anchor: anchor, message: $0.message) })
    }

    /// An answer as the person typed it.
    static func text(_ value: JSONValue?) -> String {
        switch value {
        case .string(let text)?: text
        case .number(let text)?: text
        case .bool(let flag)?: flag ? "ja" : "nej"
        default: ""
        }
    }

    static func yesNo(_ value: JSONValue?) -> Bool? {
        switch value {
        case .bool(let flag)?: flag
        case .string(let text)?: text.lowercased() == "ja" ? true : text.lowercased() == "nej" ? false : nil
        default: nil
        }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
