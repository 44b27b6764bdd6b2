extension FormDefinition {
    /// Builds a definition from a form file's text. Returns every problem found
    /// (not just the first) when there is any error; warnings alone still load.
    public static func load(_ text: String, file: String) -> Result<FormDefinition, FormLoadFailure> {
        let root: YAMLNode
        switch YAMLNode.parse(text, file: file) {
        case .success(let node): root = node
        case .failure(let diagnostic): return .failure(FormLoadFailure(diagnostics: [diagnostic]))
        }
        let builder = FormBuilder(file: file)
        let definition = builder.build(root)
        if let definition, !builder.log.hasErrors { return .success(definition) }
        return .failure(FormLoadFailure(diagnostics: builder.log.entries))
    }

    /// Warnings of a definition that loaded (kept for `forms check`).
    public static func warnings(_ text: String, file: String) -> [FormDiagnostic] {
        guard case .success(let root) = YAMLNode.parse(text, file: file) else { return [] }
        let builder = FormBuilder(file: file)
        _ = builder.build(root)
        return builder.log.entries.filter { $0.severity == .warning }
    }
}

/// Turns the raw YAML into a `FormDefinition` in two passes: the first
/// declares every answer slot (so expressions may refer forward), the second
/// reads every field and compiles every expression against those slots.
final class FormBuilder {
    let file: String
    let log = DiagnosticLog()

    private var slotPaths: [String] = []
    private var slotValueTypes: [ValueType] = []
    private var slotKinds: [AnswerSlot.Kind] = []
    private var slotByPath: [String: Int] = [:]
    private var fieldPaths: Set<String> = []
    /// Where each field id was first defined, for the message about a second one.
    private var fieldLines: [String: Int] = [:]
    /// The option ids of each choice, multichoice and matrix row, by answer path,
    /// so that `selected(${x}, 'id')` naming an option `x` lacks is a load error.
    private var optionIDs: [String: [String]] = [:]
    /// What the items of each list are, by the list's path.
    private var listItems: [String: ListItems] = [:]
    /// Lists that may have no items (neither `required: true` nor `min_items`).
    private var listsThatMayBeEmpty: Set<String> = []

    enum ListItems {
        /// A list of simple values (`item:`).
        case values
        /// A list of fields: each item's fields, in order (`fields:`).
        case fields([(id: String, type: ValueType)])
    }
    private var constants: [String: ExactDecimal] = [:]
    private var roundInputIDs: Set<String> = []
    private var ruleIDs: [String: SourceLocation] = [:]
    private var calculations: [(slot: Int, expression: CompiledExpression, location: SourceLocation)] = []

    init(file: String) {
        self.file = file
    }

    static let identifierCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789_-")

    static let commonFieldKeys: Set<String> = [
        "id", "type", "label", "help", "ordinance", "unit", "placeholder", "required", "relevant",
        "constraint", "constraint_message", "constraint_code", "severity", "constraints",
        "calculate", "prefill", "carry_over",
    ]

    static let typeKeys: [String: Set<String>] = [
        "info": ["text"], "text": ["max_length"], "longtext": ["max_length"],
        "integer": ["min", "max"], "kronor": ["min", "max"], "decimal": ["decimals", "min", "max"],
        "date": ["min", "max"], "email": [], "phone": [], "postnummer": [], "organisationsnummer": [],
        "bankgiro": [], "plusgiro": [], "diarienummer": [], "yesno": [],
        "choice": ["options"], "multichoice": ["options", "min_selected", "max_selected"],
        "scale": ["min", "max", "min_label", "max_label", "cannot_judge"],
        "matrix": ["rows", "options"], "grid": ["rows", "columns", "cell"],
        "list": ["item", "fields", "min_items", "max_items"], "group": ["fields"],
    ]

    // MARK: Top level

    func build(_ root: YAMLNode) -> FormDefinition? {
        guard let top = MappingReader(root, what: "a form file", diagnostics: log) else { return nil }
        top.rejectUnknownKeys([
            "form", "version", "kind", "title", "grant", "authority", "ordinance", "period",
            "intro", "constants", "round_inputs", "authority_decision", "steps", "contact_email",
        ], what: "a form")
        let key = top.requiredString("form", what: "a form")
        let version = top.requiredString("version", what: "a form")
        let kind = top.requiredString("kind", what: "a form")
        if let kind, !["ansokan", "redovisning", "aterrapportering"].contains(kind) {
            log.error(top.node("kind")!.location, "unknown-kind", "kind must be ansokan, redovisning or aterrapportering, not '\(kind)'")
        }
        let title = top.requiredString("title", what: "a form")
        let grant = top.requiredString("grant", what: "a form")
        let authority = top.requiredString("authority", what: "a form")
        if let authority, !["lansstyrelsen", "socialstyrelsen"].contains(authority) {
            log.error(top.node("authority")!.location, "unknown-authority", "authority must be lansstyrelsen or socialstyrelsen, not '\(authority)'")
        }
        if let key { checkIdentifier(key, at: top.node("form")!.location) }

        readConstants(top.node("constants"))
        let roundInputs = readRoundInputs(top.sequence("round_inputs") ?? [])
        let authorityDecision = readAuthorityDecision(top.node("authority_decision"), kind: kind)

        let stepNodes = top.sequence("steps") ?? []
        if stepNodes.isEmpty { log.error(top.location, "no-steps", "a form needs at least one step in 'steps'") }

        // Pass 1: declare slots.
        var stepIDs: [String: SourceLocation] = [:]
        for stepNode in stepNodes {
            guard let step = MappingReader(stepNode, what: "a step", diagnostics: log) else { continue }
            if let id = step.requiredString("id", what: "a step") {
                checkIdentifier(id, at: step.node("id")!.location)
                if let first = stepIDs[id] {
                    log.error(step.node("id")!.location, "duplicate-id", "step id '\(id)' is already used at line \(first.line)")
                }
                stepIDs[id] = step.node("id")!.location
            }
            for fieldNode in step.sequence("fields") ?? [] {
                declare(fieldNode, prefix: nil)
            }
        }
        let periodSlots = PeriodSlots(
            start: addSlot("period.start", .date, .period),
            end: addSlot("period.end", .date, .period),
            year: addSlot("period.year", .number, .period)
        )
        // The round's deadline is every form's to read, as `${round.deadline}`.
        var roundInputSlots: [String: Int] = ["deadline": addSlot("round.deadline", .date, .period)]
        for input in roundInputs {
            roundInputSlots[input.id] = addSlot("round.\(input.id)", input.type.valueType, .roundInput)
        }

        // Pass 2: define.
        var steps: [Step] = []
        for stepNode in stepNodes {
            guard let step = MappingReader(stepNode, what: "a step", diagnostics: log) else { continue }
            step.rejectUnknownKeys(["id", "title", "intro", "relevant", "fields", "rules"], what: "a step")
            let fields = (step.sequence("fields") ?? []).compactMap { define($0, prefix: nil) }
            let rules = (step.sequence("rules") ?? []).compactMap { readRule($0, ownerPath: nil, ownerSlot: nil) }
            steps.append(Step(
                id: step.string("id") ?? "",
                title: step.requiredString("title", what: "a step") ?? "",
                intro: step.string("intro"),
                relevant: expression(step, "relevant", expecting: .bool),
                fields: fields,
                rules: rules
            ))
        }

        let orderedCalculations = orderCalculations()
        guard let key, let version, let kind, let title, let grant, let authority else { return nil }

        var definition = FormDefinition(
            key: key, version: version, kind: kind, title: title, grant: grant, authority: authority,
            ordinance: top.string("ordinance"), intro: top.string("intro"), constants: constants, roundInputs: roundInputs,
            authorityDecision: authorityDecision, steps: steps, file: file,
            slots: [], slotByPath: slotByPath, periodSlots: periodSlots, roundInputSlots: roundInputSlots,
            calculations: orderedCalculations
        )
        definition.fieldsInOrder = definition.allFields
        for step in steps {
            for field in step.fields { definition.stepByField[field.id] = step.id }
        }
        definition.slots = makeSlots(definition, roundInputs: roundInputs)
        definition.layout = SlotLayout(definition)
        definition.contactEmailPath = contactEmailPath(top, fields: definition.fieldsInOrder)
        checkPlaceholders(definition, top: top)
        return definition
    }

    /// A placeholder for the authority or the round that does not exist
    /// would be shown as written to every kommun: a typing mistake.
    private func checkPlaceholders(_ definition: FormDefinition, top: MappingReader) {
        func check(_ text: String?, at location: SourceLocation) {
            guard let text else { return }
            for name in FormTexts.unknownPlaceholders(in: text) {
                log.error(location, "unknown-placeholder", "'{\(name)}' is no placeholder; texts may use \(FormTexts.placeholders.map { "{\($0)}" }.joined(separator: ", "))")
            }
        }
        check(definition.intro, at: top.node("intro")?.location ?? top.location)
        for step in definition.steps { check(step.intro, at: top.location) }
        for field in definition.fieldsInOrder {
            check(field.label, at: field.location)
            check(field.help, at: field.location)
            if case .info(let text) = field.type { check(text, at: field.location) }
        }
    }

    /// What the authority's decision on an application grants, as values of
    /// the report-back round: `values` are round inputs of the report-back
    /// form, `diarienummer` names the one that takes the decision's number.
    private func readAuthorityDecision(_ node: YAMLNode?, kind: String?) -> AuthorityDecisionSpec? {
        guard let node, let reader = MappingReader(node, what: "'authority_decision'", diagnostics: log) else { return nil }
        reader.rejectUnknownKeys(["values", "diarienummer"], what: "'authority_decision'")
        if let kind, kind != "ansokan" {
            log.error(node.location, "misplaced-key", "only an application (kind: ansokan) has an authority's decision that feeds a report-back")
        }
        let values = readRoundInputs(reader.sequence("values") ?? [], declaring: false)
        if values.isEmpty { log.error(node.location, "missing-key", "'authority_decision' needs at least one entry in 'values'") }
        let diarienummer = reader.string("diarienummer")
        if let diarienummer, let location = reader.node("diarienummer")?.location {
            checkIdentifier(diarienummer, at: location)
            if values.contains(where: { $0.id == diarienummer }) {
                log.error(location, "duplicate-id", "'\(diarienummer)' is both a value and the diarienummer of the decision")
            }
        }
        return AuthorityDecisionSpec(values: values, diarienummerInput: diarienummer)
    }

    /// `contact_email` must name an email field outside any list: the mail to
    /// the authority copies that one address.
    private func contactEmailPath(_ top: MappingReader, fields: [Field]) -> String? {
        guard let path = top.string("contact_email"), let location = top.node("contact_email")?.location else { return nil }
        guard let field = fields.first(where: { $0.path == path }) else {
            log.error(location, "unknown-reference", "contact_email names '\(path)', which is no field of this form")
            return nil
        }
        guard case .email = field.type else {
            log.error(location, "type-mismatch", "contact_email must name an email field, but '\(path)' is a \(field.type.name) field")
            return nil
        }
        // Only a list's item fields have no slot: they hold one address per item, not the one contact.
        guard slotByPath[path] != nil else {
            log.error(location, "type-mismatch", "contact_email must name a single email field, but '\(path)' is asked once per item of a list")
            return nil
        }
        return path
    }

    private func readConstants(_ node: YAMLNode?) {
        guard let node, let reader = MappingReader(node, what: "'constants'", diagnostics: log) else { return }
        for pair in reader.pairs {
            checkIdentifier(pair.key, at: pair.keyLocation)
            if let value = reader.decimal(pair.key) { constants[pair.key] = value }
        }
    }

    private func readRoundInputs(_ nodes: [YAMLNode], declaring: Bool = true) -> [RoundInput] {
        var seen: [String: Int] = [:]
        return nodes.compactMap { node in
            guard let reader = MappingReader(node, what: "a round input", diagnostics: log) else { return nil }
            reader.rejectUnknownKeys(["id", "type", "label", "decimals"], what: "a round input")
            guard let id = reader.requiredString("id", what: "a round input"),
                  let typeName = reader.requiredString("type", what: "a round input") else { return nil }
            let location = reader.node("id")!.location
            checkIdentifier(id, at: location)
            if let first = seen[id] {
                log.error(location, "duplicate-id", "round input '\(id)' is already declared at line \(first)")
            }
            seen[id] = location.line
            if id == "deadline" {
                log.error(location, "reserved-id", "'deadline' is the round's own deadline, \u{24}{round.deadline}; name the value otherwise")
            }
            if declaring { roundInputIDs.insert(id) }
            let type: FieldType
            switch typeName {
            case "kronor": type = .kronor(min: nil, max: nil)
            case "integer": type = .integer(min: nil, max: nil)
            case "decimal": type = .decimal(decimals: reader.int("decimals") ?? 2, min: nil, max: nil)
            case "text": type = .text(maxLength: 200)
            case "date": type = .date(min: nil, max: nil)
            case "diarienummer": type = .diarienummer
            default:
                log.error(reader.node("type")!.location, "unknown-type", "round inputs are kronor, integer, decimal, text, date or diarienummer, not '\(typeName)'")
                return nil
            }
            return RoundInput(id: id, type: type, label: reader.requiredString("label", what: "a round input") ?? id)
        }
    }

    // MARK: Pass 1 — slots

    @discardableResult
    private func addSlot(_ path: String, _ valueType: ValueType, _ kind: AnswerSlot.Kind, at location: SourceLocation? = nil) -> Int {
        if slotByPath[path] != nil {
            log.error(location ?? SourceLocation(file: file, line: 1, column: 1), "duplicate-id", "'\(path)' is defined twice")
            return slotByPath[path]!
        }
        slotPaths.append(path)
        slotValueTypes.append(valueType)
        slotKinds.append(kind)
        slotByPath[path] = slotPaths.count - 1
        return slotPaths.count - 1
    }

    private func declare(_ node: YAMLNode, prefix: String?) {
        guard let reader = MappingReader(node, what: "a field", diagnostics: log),
              let id = reader.requiredString("id", what: "a field") else { return }
        let location = reader.node("id")!.location
        checkIdentifier(id, at: location)
        let path = prefix.map { "\($0).\(id)" } ?? id
        if fieldPaths.contains(path) {
            log.error(location, "duplicate-id", "field id '\(path)' is already used at line \(fieldLines[path] ?? location.line)")
            return
        }
        fieldPaths.insert(path)
        fieldLines[path] = location.line
        guard let typeName = reader.requiredString("type", what: "field '\(path)'") else { return }
        switch typeName {
        case "info":
            break
        case "group":
            for child in reader.sequence("fields") ?? [] { declare(child, prefix: path) }
        case "grid":
            let cellType = (reader.node("cell").flatMap { MappingReader($0, what: "a grid cell", diagnostics: DiagnosticLog()) }?.string("type")) ?? "integer"
            let valueType: ValueType = ["integer", "kronor", "decimal"].contains(cellType) ? .number : .text
            for row in axisIDs(reader.sequence("rows") ?? []) {
                for column in axisIDs(reader.sequence("columns") ?? []) {
                    addSlot("\(path).\(row).\(column)", valueType, .cell(fieldPath: path, row: row, column: column), at: location)
                }
            }
        case "matrix":
            let options = axisIDs(reader.sequence("options") ?? [])
            for row in axisIDs(reader.sequence("rows") ?? []) {
                addSlot("\(path).\(row)", .text, .cell(fieldPath: path, row: row, column: nil), at: location)
                optionIDs["\(path).\(row)"] = options
            }
        case "choice", "multichoice":
            optionIDs[path] = axisIDs(reader.sequence("options") ?? [])
            addSlot(path, Self.valueType(ofTypeName: typeName), .field, at: location)
        case "list":
            var itemType: ValueType = .any
            if let item = reader.node("item") {
                if let itemReader = MappingReader(item, what: "a list item", diagnostics: DiagnosticLog()), let name = itemReader.string("type") {
                    itemType = Self.valueType(ofTypeName: name)
                }
                listItems[path] = .values
            } else {
                itemType = .item
                listItems[path] = .fields((reader.sequence("fields") ?? []).compactMap { node in
                    guard let field = MappingReader(node, what: "a list item field", diagnostics: DiagnosticLog()),
                          let id = field.string("id"), let type = field.string("type") else { return nil }
                    return (id, Self.valueType(ofTypeName: type))
                })
            }
            // Read quietly: `required` may be an expression, and pass 2 reports bad values.
            if let quiet = MappingReader(node, what: "a field", diagnostics: DiagnosticLog()),
               !["true", "yes"].contains(quiet.string("required") ?? ""), (Int(quiet.string("min_items") ?? "") ?? 0) < 1 {
                listsThatMayBeEmpty.insert(path)
            }
            addSlot(path, .list(itemType), .field, at: location)
        default:
            addSlot(path, Self.valueType(ofTypeName: typeName), .field, at: location)
        }
    }

    private static func valueType(ofTypeName name: String) -> ValueType {
        switch name {
        case "integer", "kronor", "decimal": .number
        case "date": .date
        case "yesno": .bool
        case "multichoice": .list(.text)
        default: .text
        }
    }

    private func axisIDs(_ nodes: [YAMLNode]) -> [String] {
        nodes.compactMap { node in
            guard case .mapping = node else { return nil }
            return MappingReader(node, what: "a row or column", diagnostics: DiagnosticLog())?.string("id")
        }
    }

    // MARK: Pass 2 — fields

    private func define(_ node: YAMLNode, prefix: String?) -> Field? {
        guard let reader = MappingReader(node, what: "a field", diagnostics: log),
              let id = reader.string("id"), let typeName = reader.string("type") else { return nil }
        let path = prefix.map { "\($0).\(id)" } ?? id
        let location = reader.node("id")!.location
        guard let extra = Self.typeKeys[typeName] else {
            let known = Self.typeKeys.keys.sorted().joined(separator: ", ")
            log.error(reader.node("type")!.location, "unknown-type", "unknown field type '\(typeName)' (known: \(known))")
            return nil
        }
        reader.rejectUnknownKeys(Self.commonFieldKeys.union(extra), what: "a \(typeName) field")
        let ownSlot = slotByPath[path]

        guard let type = fieldType(typeName, reader: reader, path: path) else { return nil }
        let children: [Field]
        switch type {
        case .group:
            children = (reader.sequence("fields") ?? []).compactMap { define($0, prefix: path) }
        case .list(nil, _, _):
            children = (reader.sequence("fields") ?? []).compactMap { defineListItemField($0, listPath: path) }
        default:
            children = []
        }

        let label = reader.string("label")
        if label == nil, typeName != "info", typeName != "group" {
            log.error(reader.location, "missing-key", "field '\(path)' needs a 'label' (the question as worded in the form)")
        }

        var constraints: [Rule] = []
        if let check = reader.string("constraint") {
            let code = reader.string("constraint_code")
            let message = reader.string("constraint_message")
            if code == nil { log.error(reader.node("constraint")!.location, "missing-key", "'constraint' of '\(path)' needs 'constraint_code'") }
            if message == nil { log.error(reader.node("constraint")!.location, "missing-key", "'constraint' of '\(path)' needs 'constraint_message'") }
            if let code, let message,
               let compiled = compile(check, at: reader.node("constraint")!, expecting: .bool, selfSlot: ownSlot, isCheck: true),
               let compiledMessage = compileMessage(message, at: reader.node("constraint_message")!, selfSlot: ownSlot) {
                registerRuleID(code, at: reader.node("constraint_code")!.location)
                constraints.append(Rule(id: code, path: path, check: compiled, message: compiledMessage,
                                        severity: severity(reader), relevant: nil, ownerSlot: ownSlot))
            }
        }
        for ruleNode in reader.sequence("constraints") ?? [] {
            if let rule = readRule(ruleNode, ownerPath: path, ownerSlot: ownSlot) { constraints.append(rule) }
        }

        var calculate: CompiledExpression?
        if let source = reader.node("calculate") {
            if let slot = ownSlot, case .scalar(let text, _, _) = source {
                calculate = compile(text, at: source, expecting: slotValueTypes[slot], selfSlot: nil)
                if let calculate { calculations.append((slot, calculate, source.location)) }
            } else {
                log.error(source.location, "bad-calculate", "'calculate' needs a simple field with one answer")
            }
        }
        let prefill = reader.string("prefill")
        if let prefill {
            let location = reader.node("prefill")!.location
            if !prefill.hasPrefix("round.") {
                log.error(location, "prefill-without-source", "prefill must name a round input as 'round.<id>', not '\(prefill)'")
            } else if !roundInputIDs.contains(String(prefill.dropFirst(6))) {
                log.error(location, "prefill-without-source", "prefill '\(prefill)' has no source: declare '\(prefill.dropFirst(6))' in round_inputs")
            }
            if calculate != nil { log.error(location, "prefill-and-calculate", "a field is either prefilled or calculated, not both") }
        }

        return Field(
            id: id, path: path, type: type, label: label, help: reader.string("help"), ordinance: reader.string("ordinance"),
            unit: reader.string("unit"), placeholder: reader.string("placeholder"),
            required: requirement(reader, selfSlot: ownSlot),
            relevant: expression(reader, "relevant", expecting: .bool, selfSlot: ownSlot),
            constraints: constraints, calculate: calculate, prefill: prefill,
            carryOver: reader.bool("carry_over") ?? false, children: children, location: location
        )
    }

    /// A field inside a list of fields: checked per item, not addressable by expressions.
    private func defineListItemField(_ node: YAMLNode, listPath: String) -> Field? {
        guard let reader = MappingReader(node, what: "a list item field", diagnostics: log),
              let id = reader.requiredString("id", what: "a list item field"),
              let typeName = reader.requiredString("type", what: "a list item field") else { return nil }
        checkIdentifier(id, at: reader.node("id")!.location)
        guard let extra = Self.typeKeys[typeName], !["group", "list", "grid", "matrix", "info"].contains(typeName) else {
            // Without this the field would be left out of every item without a word.
            log.error(reader.node("type")!.location, "unknown-type",
                      "unknown type '\(typeName)' for a field of the items of list '\(listPath)': use a simple type, such as text, kronor, integer, date or choice")
            return nil
        }
        reader.rejectUnknownKeys(Set(["id", "type", "label", "help", "unit", "placeholder", "required"]).union(extra), what: "a list item field")
        guard let type = fieldType(typeName, reader: reader, path: "\(listPath).\(id)") else { return nil }
        return Field(
            id: id, path: "\(listPath).\(id)", type: type, label: reader.string("label"), help: reader.string("help"),
            ordinance: nil, unit: reader.string("unit"), placeholder: reader.string("placeholder"),
            required: (reader.bool("required") ?? false) ? .always : .never, relevant: nil, constraints: [],
            calculate: nil, prefill: nil, carryOver: false, children: [], location: reader.node("id")!.location
        )
    }

    private func fieldType(_ name: String, reader: MappingReader, path: String) -> FieldType? {
        // Numbers are at least 0 unless the form says otherwise; not those of a
        // computed or prefilled field, which nobody types: an explicit bound
        // on a computed one is reported at its inputs (see `ValidationPlan.CalculatedInputs`).
        let defaultMinimum: ExactDecimal? = reader.has("calculate") || reader.has("prefill") ? nil : .zero
        switch name {
        case "info": return .info(text: reader.string("text"))
        case "text": return .text(maxLength: positive(reader, "max_length") ?? 200)
        case "longtext": return .longText(maxLength: positive(reader, "max_length") ?? 4000)
        case "integer": return .integer(min: reader.decimal("min") ?? defaultMinimum, max: reader.decimal("max"))
        case "kronor": return .kronor(min: reader.decimal("min") ?? defaultMinimum, max: reader.decimal("max"))
        case "decimal":
            guard let decimals = reader.int("decimals") else {
                log.error(reader.location, "missing-key", "decimal field '\(path)' needs 'decimals'")
                return nil
            }
            return .decimal(decimals: decimals, min: reader.decimal("min") ?? defaultMinimum, max: reader.decimal("max"))
        case "date":
            return .date(min: expression(reader, "min", expecting: .date), max: expression(reader, "max", expecting: .date))
        case "email": return .email
        case "phone": return .phone
        case "postnummer": return .postnummer
        case "organisationsnummer": return .organisationsnummer
        case "bankgiro": return .bankgiro
        case "plusgiro": return .plusgiro
        case "diarienummer": return .diarienummer
        case "yesno": return .yesNo
        case "choice": return .choice(options: options(reader, path: path))
        case "multichoice":
            return .multiChoice(options: options(reader, path: path), minSelected: reader.int("min_selected"), maxSelected: reader.int("max_selected"))
        case "scale":
            let minimum = reader.int("min") ?? 1, maximum = reader.int("max") ?? 5
            guard minimum < maximum else {
                log.error(reader.location, "bad-scale", "scale '\(path)' needs min < max")
                return nil
            }
            return .scale(min: minimum, max: maximum, minLabel: reader.string("min_label"), maxLabel: reader.string("max_label"),
                          cannotJudge: reader.bool("cannot_judge") ?? false)
        case "matrix":
            return .matrix(rows: axes(reader, "rows", path: path, allowRelevance: true), options: options(reader, path: path))
        case "grid":
            let rows = axes(reader, "rows", path: path, allowRelevance: true)
            let columns = axes(reader, "columns", path: path, allowRelevance: false)
            guard let cell = cellType(reader.node("cell"), path: path) else { return nil }
            return .grid(rows: rows, columns: columns, cell: cell)
        case "list":
            let item = reader.node("item")
            if item != nil, reader.has("fields") {
                log.error(reader.location, "bad-list", "list '\(path)' has both 'item' and 'fields': choose one")
            }
            var itemType: FieldType?
            if let item {
                guard let itemReader = MappingReader(item, what: "a list item", diagnostics: log),
                      let itemTypeName = itemReader.requiredString("type", what: "a list item") else { return nil }
                itemReader.rejectUnknownKeys(Set(["type", "label", "help", "placeholder"]).union(Self.typeKeys[itemTypeName] ?? []), what: "a list item")
                itemType = fieldType(itemTypeName, reader: itemReader, path: path)
                if itemType == nil { return nil }
            } else if !reader.has("fields") {
                log.error(reader.location, "bad-list", "list '\(path)' needs 'item' (one value per item) or 'fields'")
            }
            return .list(item: itemType, minItems: reader.int("min_items"), maxItems: reader.int("max_items"))
        case "group":
            if reader.sequence("fields")?.isEmpty ?? true {
                log.error(reader.location, "empty-group", "group '\(path)' needs 'fields'")
            }
            return .group
        default:
            return nil
        }
    }

    private func cellType(_ node: YAMLNode?, path: String) -> FieldType? {
        guard let node else { return .integer(min: .zero, max: nil) }
        guard let reader = MappingReader(node, what: "a grid cell", diagnostics: log) else { return nil }
        let name = reader.string("type") ?? "integer"
        guard ["integer", "kronor", "decimal"].contains(name) else {
            log.error(node.location, "bad-cell", "grid cells of '\(path)' are integer, kronor or decimal, not '\(name)'")
            return nil
        }
        reader.rejectUnknownKeys(Set(["type"]).union(Self.typeKeys[name]!), what: "a grid cell")
        return fieldType(name, reader: reader, path: path)
    }

    private func options(_ reader: MappingReader, path: String) -> [FieldOption] {
        guard let nodes = reader.sequence("options"), !nodes.isEmpty else {
            log.error(reader.location, "missing-key", "'\(path)' needs 'options'")
            return []
        }
        var seen: Set<String> = []
        return nodes.compactMap { node in
            guard let option = MappingReader(node, what: "an option", diagnostics: log),
                  let id = option.requiredString("id", what: "an option"),
                  let label = option.requiredString("label", what: "an option") else { return nil }
            option.rejectUnknownKeys(["id", "label", "other"], what: "an option")
            checkIdentifier(id, at: option.node("id")!.location)
            if !seen.insert(id).inserted {
                log.error(option.node("id")!.location, "duplicate-id", "option '\(id)' appears twice in '\(path)'")
            }
            return FieldOption(id: id, label: label, isOther: option.bool("other") ?? false)
        }
    }

    private func axes(_ reader: MappingReader, _ key: String, path: String, allowRelevance: Bool) -> [GridAxis] {
        guard let nodes = reader.sequence(key), !nodes.isEmpty else {
            log.error(reader.location, "missing-key", "'\(path)' needs '\(key)'")
            return []
        }
        var seen: Set<String> = []
        return nodes.compactMap { node in
            guard let axis = MappingReader(node, what: "a row or column", diagnostics: log),
                  let id = axis.requiredString("id", what: "a row or column") else { return nil }
            axis.rejectUnknownKeys(allowRelevance ? ["id", "label", "help", "relevant"] : ["id", "label", "help"], what: "a \(key.dropLast())")
            checkIdentifier(id, at: axis.node("id")!.location)
            if !seen.insert(id).inserted {
                log.error(axis.node("id")!.location, "duplicate-id", "'\(id)' appears twice in the \(key) of '\(path)'")
            }
            return GridAxis(id: id, label: axis.requiredString("label", what: "a row or column") ?? id, help: axis.string("help"),
                            relevant: expression(axis, "relevant", expecting: .bool))
        }
    }

    private func positive(_ reader: MappingReader, _ key: String) -> Int? {
        guard let value = reader.int(key) else { return nil }
        if value <= 0 { log.error(reader.node(key)!.location, "bad-value", "'\(key)' must be positive") }
        return value
    }

    private func severity(_ reader: MappingReader) -> Severity {
        guard let text = reader.string("severity") else { return .error }
        guard let severity = Severity(rawValue: text) else {
            log.error(reader.node("severity")!.location, "bad-severity", "severity is 'error' or 'warning', not '\(text)'")
            return .error
        }
        return severity
    }

    private func requirement(_ reader: MappingReader, selfSlot: Int?) -> Requirement {
        guard let node = reader.node("required"), case .scalar(let text, let style, _) = node else { return .never }
        if style != .quoted || !["true", "false"].contains(text) {
            if text == "true" { return .always }
            if text == "false" { return .never }
        }
        return compile(text, at: node, expecting: .bool, selfSlot: selfSlot).map(Requirement.when) ?? .never
    }

    // MARK: Rules

    private func readRule(_ node: YAMLNode, ownerPath: String?, ownerSlot: Int?) -> Rule? {
        guard let reader = MappingReader(node, what: "a rule", diagnostics: log) else { return nil }
        reader.rejectUnknownKeys(ownerPath == nil ? ["id", "path", "check", "message", "severity", "relevant"]
                                                  : ["id", "check", "message", "severity", "relevant"], what: "a rule")
        guard let id = reader.requiredString("id", what: "a rule") else { return nil }
        registerRuleID(id, at: reader.node("id")!.location)
        let path: String
        if let ownerPath {
            path = ownerPath
        } else {
            guard let given = reader.requiredString("path", what: "rule '\(id)'") else { return nil }
            if slotByPath[given] == nil && !fieldPaths.contains(given) {
                log.error(reader.node("path")!.location, "unknown-reference", "rule '\(id)' is shown at '\(given)', which is no field of this form")
            }
            path = given
        }
        guard let checkNode = reader.node("check"), case .scalar(let checkText, _, _) = checkNode else {
            log.error(reader.location, "missing-key", "rule '\(id)' needs 'check'")
            return nil
        }
        guard let messageNode = reader.node("message"), case .scalar(let messageText, _, _) = messageNode else {
            log.error(reader.location, "missing-key", "rule '\(id)' needs 'message' (Swedish, for the person filling in)")
            return nil
        }
        guard let check = compile(checkText, at: checkNode, expecting: .bool, selfSlot: ownerSlot, isCheck: true),
              let message = compileMessage(messageText, at: messageNode, selfSlot: ownerSlot) else { return nil }
        return Rule(id: id, path: path, check: check, message: message, severity: severity(reader),
                    relevant: expression(reader, "relevant", expecting: .bool, selfSlot: ownerSlot), ownerSlot: ownerSlot)
    }

    private func registerRuleID(_ id: String, at location: SourceLocation) {
        if let first = ruleIDs[id] {
            log.error(location, "duplicate-id", "rule id '\(id)' is already used at line \(first.line)")
        }
        ruleIDs[id] = location
    }

    // MARK: Expressions

    private func expression(_ reader: MappingReader, _ key: String, expecting: ValueType, selfSlot: Int? = nil) -> CompiledExpression? {
        guard let node = reader.node(key) else { return nil }
        guard case .scalar(let text, _, _) = node else {
            log.error(node.location, "expected-text", "'\(key)' must be an expression string")
            return nil
        }
        return compile(text, at: node, expecting: expecting, selfSlot: selfSlot)
    }

    /// `isCheck`: a rule's or constraint's check, which warns about sums
    /// over lists that may have no items (see `warnAboutSumsOverEmptyLists`).
    func compile(_ text: String, at node: YAMLNode, expecting: ValueType?, selfSlot: Int?, isCheck: Bool = false) -> CompiledExpression? {
        switch ExpressionParser.parse(text) {
        case .failure(let diagnostic):
            report(diagnostic, in: text, at: node)
            return nil
        case .success(let syntax):
            let compiled = compile(syntax, text: text, at: node, expecting: expecting, selfSlot: selfSlot)
            if isCheck, compiled != nil { warnAboutSumsOverEmptyLists(syntax.root, text: text, at: node) }
            return compiled
        }
    }

    /// A sum over the items of a list is 0 when the list has none, so a check
    /// like `sum(${aktiviteter.*.kostnad}) <= ${round.erhallet}` holds for a
    /// report without a single row. Unless the list is required (or has
    /// `min_items`), nothing reports the empty list: warn the form's author.
    private func warnAboutSumsOverEmptyLists(_ syntax: ExpressionSyntax.Node, text: String, at node: YAMLNode) {
        switch syntax.kind {
        case .call(let name, let arguments):
            for argument in arguments {
                if name == "sum", case .reference(let reference) = argument.kind,
                   case (.items(let slot, _, _)?, nil) = resolve(reference, selfSlot: nil), listsThatMayBeEmpty.contains(slotPaths[slot]) {
                    let list = slotPaths[slot]
                    report(ExpressionDiagnostic(offset: reference.offset, length: reference.length,
                                                message: "list '\(list)' may have no items, and then this sum is 0 and the check holds without a word: make the list required (required: true or min_items) if it needs a row"),
                           in: text, at: node, code: "sum-over-optional-list", severity: .warning)
                }
                warnAboutSumsOverEmptyLists(argument, text: text, at: node)
            }
        case .negate(let operand), .not(let operand):
            warnAboutSumsOverEmptyLists(operand, text: text, at: node)
        case .binary(_, let left, let right, _):
            warnAboutSumsOverEmptyLists(left, text: text, at: node)
            warnAboutSumsOverEmptyLists(right, text: text, at: node)
        case .number, .text, .bool, .reference:
            break
        }
    }

    private func compile(_ syntax: ExpressionSyntax, text: String, at node: YAMLNode, expecting: ValueType?, selfSlot: Int?,
                         columnOffset: Int = 0) -> CompiledExpression? {
        var unresolved: [(ReferenceSyntax, String)] = []
        let result = ExpressionCompiler.compile(syntax, expecting: expecting) { reference in
            let (resolved, problem) = self.resolve(reference, selfSlot: selfSlot)
            if let problem { unresolved.append((reference, problem)) }
            return resolved
        }
        for (reference, problem) in unresolved {
            report(ExpressionDiagnostic(offset: reference.offset, length: reference.length, message: problem), in: text, at: node,
                   code: "unknown-reference", columnOffset: columnOffset)
        }
        switch result {
        case .success(let compiled):
            checkSelectedOptions(syntax.root, text: text, at: node, selfSlot: selfSlot, columnOffset: columnOffset)
            return compiled
        case .failure(let diagnostics):
            for diagnostic in diagnostics where !unresolved.contains(where: { $0.0.offset == diagnostic.offset }) {
                report(diagnostic, in: text, at: node, columnOffset: columnOffset)
            }
            return nil
        }
    }

    /// `selected(${x}, 'id')` where `x` has options but none called `id`:
    /// the condition could never hold, which is a typing mistake in the form.
    private func checkSelectedOptions(_ syntax: ExpressionSyntax.Node, text: String, at node: YAMLNode, selfSlot: Int?, columnOffset: Int) {
        switch syntax.kind {
        case .call(let name, let arguments):
            if name == "selected", arguments.count == 2, case .reference(let reference) = arguments[0].kind,
               case .text(let option) = arguments[1].kind, case (.slot(let slot, _)?, nil) = resolve(reference, selfSlot: selfSlot),
               let options = optionIDs[slotPaths[slot]], !options.contains(option) {
                report(ExpressionDiagnostic(offset: arguments[1].offset, length: arguments[1].length,
                                            message: "'\(slotPaths[slot])' has no option '\(option)' (its options: \(options.joined(separator: ", ")))"),
                       in: text, at: node, code: "unknown-option", columnOffset: columnOffset)
            }
            for argument in arguments { checkSelectedOptions(argument, text: text, at: node, selfSlot: selfSlot, columnOffset: columnOffset) }
        case .negate(let operand), .not(let operand):
            checkSelectedOptions(operand, text: text, at: node, selfSlot: selfSlot, columnOffset: columnOffset)
        case .binary(_, let left, let right, _):
            checkSelectedOptions(left, text: text, at: node, selfSlot: selfSlot, columnOffset: columnOffset)
            checkSelectedOptions(right, text: text, at: node, selfSlot: selfSlot, columnOffset: columnOffset)
        case .number, .text, .bool, .reference:
            break
        }
    }

    private func compileMessage(_ text: String, at node: YAMLNode, selfSlot: Int?) -> CompiledMessage? {
        switch MessageTemplate.parse(text) {
        case .failure(let diagnostic):
            report(diagnostic, in: text, at: node)
            return nil
        case .success(let template):
            var parts: [CompiledMessage.Part] = []
            for part in template.parts {
                switch part {
                case .literal(let literal):
                    parts.append(.literal(literal))
                case .expression(let syntax):
                    guard let compiled = compile(syntax, text: syntax.source, at: node, expecting: nil, selfSlot: selfSlot,
                                                 columnOffset: syntax.sourceOffset) else { return nil }
                    parts.append(.value(compiled))
                }
            }
            return CompiledMessage(parts: parts)
        }
    }

    /// Resolves `${…}`: a slot, a constant, or a wildcard / prefix as a list of slots.
    private func resolve(_ reference: ReferenceSyntax, selfSlot: Int?) -> (ResolvedReference?, String?) {
        if reference.isSelf {
            guard let selfSlot else { return (nil, "'.' (this field) is only allowed in a field's own constraint") }
            return (.slot(selfSlot, slotValueTypes[selfSlot]), nil)
        }
        let path = reference.path
        if path.hasPrefix("const.") {
            guard let value = constants[String(path.dropFirst(6))] else {
                return (nil, "unknown constant '\(path.dropFirst(6))' (declare it under 'constants')")
            }
            return (.constant(.number(value)), nil)
        }
        if let slot = slotByPath[path] { return (.slot(slot, slotValueTypes[slot]), nil) }
        let pattern = path.split(separator: ".", omittingEmptySubsequences: false)
        for length in 1..<max(1, pattern.count) {
            let listPath = pattern[..<length].joined(separator: ".")
            if let items = listItems[listPath], let slot = slotByPath[listPath] {
                return resolveItems(of: listPath, slot: slot, items: items, rest: Array(pattern[length...]))
            }
        }
        let matches: [Int]
        if pattern.contains("*") {
            matches = slotPaths.indices.filter { index in
                let segments = slotPaths[index].split(separator: ".", omittingEmptySubsequences: false)
                return segments.count == pattern.count && zip(segments, pattern).allSatisfy { $1 == "*" || $0 == $1 }
            }
        } else {
            matches = slotPaths.indices.filter { slotPaths[$0].hasPrefix(path + ".") }
        }
        guard let first = matches.first else { return (nil, "unknown field '\(path)'") }
        let elementType = slotValueTypes[first]
        guard matches.allSatisfy({ slotValueTypes[$0] == elementType }) else {
            return (nil, "'\(path)' mixes answers of different types")
        }
        return (.slots(matches, elementType), nil)
    }

    /// `${list.*.field}` and `${list.N.field}` (`${list.*}`, `${list.N}` for a
    /// list of simple values): every item's field as a list, or one item's.
    private func resolveItems(of listPath: String, slot: Int, items: ListItems,
                              rest: [Substring]) -> (ResolvedReference?, String?) {
        let selector = rest[0]
        let index = Int(selector)
        guard selector == "*" || (index != nil && selector.allSatisfy { $0.isASCII && $0.isNumber }) else {
            return (nil, "'\(selector)' is no item of list '\(listPath)': write a number for one item (0 is the first) or '*' for every item")
        }
        let field: Int?
        let type: ValueType
        if case .fields(let fields) = items {
            let example = "${\(listPath).\(selector).\(fields.first?.id ?? "<field>")}"
            guard rest.count >= 2 else {
                return (nil, "the items of list '\(listPath)' have fields: name one, like \(example)")
            }
            let name = rest[1...].joined(separator: ".")
            guard let position = fields.firstIndex(where: { $0.id == name }) else {
                return (nil, "the items of list '\(listPath)' have no field '\(name)' (their fields: \(fields.map(\.id).joined(separator: ", ")))")
            }
            field = position
            type = fields[position].type
        } else {
            guard rest.count == 1 else {
                return (nil, "the items of list '\(listPath)' are single values without fields: write ${\(listPath).\(selector)}")
            }
            field = nil
            type = slotValueTypes[slot].elementType ?? .any
        }
        if let index { return (.item(slot: slot, index: index, field: field, type), nil) }
        return (.items(slot: slot, field: field, type), nil)
    }

    /// Maps an expression's column to the file: exact for one-line scalars.
    private func report(_ diagnostic: ExpressionDiagnostic, in text: String, at node: YAMLNode, code: String = "expression",
                        columnOffset: Int = 0, severity: FormDiagnostic.Severity = .error) {
        guard case .scalar(_, let style, let location) = node else { return }
        var line = location.line
        var column = location.column + columnOffset
        switch style {
        case .plain:
            column += diagnostic.offset
        case .quoted:
            column += 1 + diagnostic.offset
        case .block:
            let before = text.prefix(diagnostic.offset)
            line += 1 + before.filter { $0 == "\n" }.count
            column = (before.split(separator: "\n", omittingEmptySubsequences: false).last?.count ?? 0) + 1
        }
        let code = diagnostic.message.hasPrefix("unknown field") ? "unknown-reference" : code
        let at = SourceLocation(file: file, line: line, column: column)
        switch severity {
        case .error: log.error(at, code, diagnostic.message, snippet: diagnostic.rendered(source: text))
        case .warning: log.warning(at, code, diagnostic.message, snippet: diagnostic.rendered(source: text))
        }
    }

    private func checkIdentifier(_ id: String, at location: SourceLocation) {
        if id.isEmpty || !id.allSatisfy(Self.identifierCharacters.contains) || id.first == "-" || id.first == "_" {
            log.error(location, "bad-id", "'\(id)' is not a valid id: use a–z, 0–9, '_' and '-' (no å, ä, ö, no spaces)")
        }
    }

    // MARK: Calculations

    /// Dependency order; a cycle is reported at each field in it.
    private func orderCalculations() -> [Calculation] {
        let bySlot = Dictionary(calculations.map { ($0.slot, $0) }, uniquingKeysWith: { first, _ in first })
        var state: [Int: Bool] = [:] // false = visiting, true = done
        var ordered: [Calculation] = []
        func visit(_ slot: Int, trail: [Int]) {
            if state[slot] == true { return }
            guard let calculation = bySlot[slot] else { return }
            if state[slot] == false {
                let cycle = (trail.drop { $0 != slot } + [slot]).map { slotPaths[$0] }.joined(separator: " → ")
                log.error(calculation.location, "calculation-cycle", "calculated fields depend on each other in a cycle: \(cycle)")
                return
            }
            state[slot] = false
            for dependency in calculation.expression.referencedSlots where bySlot[dependency] != nil {
                visit(dependency, trail: trail + [slot])
            }
            state[slot] = true
            ordered.append(Calculation(slot: slot, expression: calculation.expression))
        }
        for calculation in calculations { visit(calculation.slot, trail: []) }
        return ordered
    }

    // MARK: Slots

    private func makeSlots(_ definition: FormDefinition, roundInputs: [RoundInput]) -> [AnswerSlot] {
        var fieldIndexByPath: [String: Int] = [:]
        var fieldTypeByPath: [String: FieldType] = [:]
        for (index, field) in definition.allFields.enumerated() {
            fieldIndexByPath[field.path] = index
            fieldTypeByPath[field.path] = field.type
        }
        let roundTypes = Dictionary(uniqueKeysWithValues: roundInputs.map { ("round.\($0.id)", $0.type) })
        return slotPaths.indices.map { index in
            let path = slotPaths[index]
            let kind = slotKinds[index]
            let type: FieldType
            var fieldIndex: Int?
            switch kind {
            case .field:
                type = fieldTypeByPath[path] ?? .text(maxLength: 200)
                fieldIndex = fieldIndexByPath[path]
            case .cell(let fieldPath, _, _):
                fieldIndex = fieldIndexByPath[fieldPath]
                switch fieldTypeByPath[fieldPath] {
                case .grid(_, _, let cell): type = cell
                case .matrix(_, let options): type = .choice(options: options)
                default: type = .text(maxLength: 200)
                }
            case .period:
                type = path == "period.year" ? .integer(min: nil, max: nil) : .date(min: nil, max: nil)
            case .roundInput:
                type = roundTypes[path] ?? .text(maxLength: 200)
            }
            return AnswerSlot(path: path, kind: kind, type: type, valueType: slotValueTypes[index], fieldIndex: fieldIndex)
        }
    }
}
