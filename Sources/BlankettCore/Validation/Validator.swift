/// The slot values during one validation, as the expression evaluator sees them.
struct SlotValues: EvaluationEnvironment {
    var values: [Value]

    func value(atSlot slot: Int) -> Value { values[slot] }
}

/// The outcome of validating a set of answers.
public struct ValidationResult: Sendable {
    /// Every finding, in form order.
    public let findings: [Finding]
    /// Paths of answers given to questions that are not asked; they are dropped on save.
    public let droppedPaths: [String]
    /// Slot values after prefill, relevance and calculation.
    let values: [Value]
    /// Per slot: is the question asked?
    let relevant: [Bool]

    public var errors: [Finding] { findings.errors }
    public var warnings: [Finding] { findings.warnings }
    public var isValid: Bool { !findings.hasErrors }

    /// Findings of one step.
    public func findings(inStep step: String) -> [Finding] { findings.filter { $0.step == step } }
}

extension FormDefinition {
    /// Validates answers given as JSON: reading plus every rule.
    public func validate(_ input: JSONValue, context: ValidationContext) -> ValidationResult {
        validate(read(input), context: context)
    }

    /// Validates answers already read. The only place that decides relevance,
    /// required-ness and rules: the server, the web pages and the CLI all call it.
    public func validate(_ answers: AnswerSet, context: ValidationContext) -> ValidationResult {
        var validation = Validation(definition: self, answers: answers, context: context)
        return validation.run()
    }
}

/// One run of the rules over one set of answers.
struct Validation {
    let definition: FormDefinition
    let answers: AnswerSet
    let context: ValidationContext
    var environment: SlotValues
    var relevant: [Bool]
    var findings: [Finding] = []
    var dropped: [String] = []

    init(definition: FormDefinition, answers: AnswerSet, context: ValidationContext) {
        self.definition = definition
        self.answers = answers
        self.context = context
        environment = SlotValues(values: answers.values)
        relevant = [Bool](repeating: true, count: definition.slots.count)
    }

    mutating func run() -> ValidationResult {
        findings = answers.readingFindings
        fillContext()
        calculate()
        for step in definition.steps {
            let stepRelevant = step.relevant.map { isTrue($0) } ?? true
            for field in step.fields { applyRelevance(field, parentRelevant: stepRelevant, step: step.id) }
        }
        calculate()
        for step in definition.steps {
            let stepRelevant = step.relevant.map { isTrue($0) } ?? true
            guard stepRelevant else { continue }
            for field in step.fields { check(field, step: step.id) }
            for rule in step.rules { apply(rule, step: step.id) }
        }
        return ValidationResult(findings: findings, droppedPaths: dropped, values: environment.values, relevant: relevant)
    }

    // MARK: Context, prefill and calculation

    private mutating func fillContext() {
        let period = definition.periodSlots
        environment.values[period.start] = context.periodStart.map(Value.date) ?? .empty
        environment.values[period.end] = context.periodEnd.map(Value.date) ?? .empty
        environment.values[period.year] = (context.periodEnd ?? context.periodStart).map { .number(ExactDecimal($0.year)) } ?? .empty
        for input in definition.roundInputs {
            guard let slot = definition.roundInputSlots[input.id] else { continue }
            environment.values[slot] = context.roundInputs[input.id].flatMap { Self.roundValue($0, type: input.type) } ?? .empty
        }
        for (index, field) in definition.fieldsInOrder.enumerated() {
            guard let prefill = field.prefill, let slot = definition.slot(forPath: field.path),
                  let source = definition.roundInputSlots[String(prefill.dropFirst(6))] else { continue }
            _ = index
            environment.values[slot] = environment.values[source]
        }
    }

    static func roundValue(_ json: JSONValue, type: FieldType) -> Value? {
        let text: String
        switch json {
        case .number(let number): text = number
        case .string(let string): text = string
        default: return nil
        }
        switch type {
        case .kronor: return (try? Kronor.parse(text).get()).map { .number($0.decimal) }
        case .integer: return (try? SwedishNumber.parseInteger(text).get()).map { .number(ExactDecimal($0)) }
        case .decimal(let decimals, _, _): return (try? DecimalNumber.parse(text, decimals: decimals).get()).map { .number($0.value) }
        case .date: return (try? LocalDate.parse(text).get()).map(Value.date)
        default: return .text(text)
        }
    }

    private mutating func calculate() {
        for calculation in definition.calculations {
            environment.values[calculation.slot] = calculation.expression.evaluate(in: environment)
        }
    }

    // MARK: Relevance

    private func isTrue(_ expression: CompiledExpression) -> Bool {
        expression.truth(in: environment) == true
    }

    private mutating func applyRelevance(_ field: Field, parentRelevant: Bool, step: String) {
        let isRelevant = parentRelevant && (field.relevant.map { isTrue($0) } ?? true)
        switch field.type {
        case .group:
            for child in field.children { applyRelevance(child, parentRelevant: isRelevant, step: step) }
        case .grid(let rows, _, _), .matrix(let rows, _):
            let rowSlots = definition.layout.fields[ObjectIdentifier(field)]?.rows ?? []
            for (row, slots) in zip(rows, rowSlots) {
                let rowRelevant = isRelevant && (row.relevant.map { isTrue($0) } ?? true)
                for slot in slots { setRelevance(slot: slot, rowRelevant, step: step) }
            }
        case .info:
            break
        default:
            if let slot = definition.layout.fields[ObjectIdentifier(field)]?.answers.first?.slot { setRelevance(slot: slot, isRelevant, step: step) }
        }
    }

    private mutating func setRelevance(slot: Int, _ isRelevant: Bool, step: String) {
        relevant[slot] = isRelevant
        guard !isRelevant else { return }
        if answers.answered[slot], !isReadOnly(slot) {
            let path = definition.slots[slot].path
            dropped.append(path)
            findings.append(Finding(path: path, severity: .warning, code: "not-relevant",
                                    message: "Frågan ställs inte med dina övriga svar, så svaret tas bort när du sparar.", step: step))
        }
        environment.values[slot] = .empty
    }

    private func isReadOnly(_ slot: Int) -> Bool {
        definition.slots[slot].fieldIndex.map { definition.fieldsInOrder[$0].isReadOnly } ?? false
    }

    // MARK: Required, bounds and constraints

    private mutating func check(_ field: Field, step: String) {
        switch field.type {
        case .group:
            for child in field.children { check(child, step: step) }
            return
        case .info:
            return
        default:
            break
        }
        let paths = answerPaths(of: field)
        guard paths.contains(where: { relevant[$0.slot] }) else { return }
        let required: Bool
        switch field.required {
        case .never: required = false
        case .always: required = true
        case .when(let expression): required = isTrue(expression)
        }
        for (path, slot) in paths where relevant[slot] {
            let value = environment.values[slot]
            if value.isEmpty {
                if required && !field.isReadOnly && !hasReadingFinding(path) {
                    findings.append(Finding(path: path, severity: .error, code: "required",
                                            message: requiredMessage(field, path: path), step: step))
                }
                continue
            }
            checkBounds(definition.slots[slot].type, value: value, path: path, step: step)
        }
        if case .list(nil, _, _) = field.type, let slot = paths.first?.slot, relevant[slot] {
            checkListItems(field, items: answers.listItems[slot] ?? [], step: step)
        }
        guard !field.constraints.isEmpty else { return }
        for rule in field.constraints {
            if let owner = rule.ownerSlot, environment.values[owner].isEmpty || !relevant[owner] { continue }
            apply(rule, step: step)
        }
    }

    private func answerPaths(of field: Field) -> [(path: String, slot: Int)] {
        definition.layout.fields[ObjectIdentifier(field)]?.answers ?? []
    }

    private func hasReadingFinding(_ path: String) -> Bool {
        !answers.readingFindings.isEmpty && answers.readingFindings.contains { $0.path == path || $0.path.hasPrefix(path + ".") }
    }

    private func requiredMessage(_ field: Field, path: String) -> String {
        switch field.type {
        case .grid(let rows, let columns, _):
            let parts = path.dropFirst(field.path.count + 1).split(separator: ".")
            let row = rows.first { $0.id == parts.first.map(String.init) }?.label ?? ""
            let column = columns.first { $0.id == parts.last.map(String.init) }?.label ?? ""
            return "Fyll i rutan ”\(row) – \(column)”. Skriv 0 om svaret är noll."
        case .matrix(let rows, _):
            let row = rows.first { path.hasSuffix(".\($0.id)") }?.label ?? ""
            return "Välj ett svar för ”\(row)”."
        case .multiChoice:
            return "Välj minst ett alternativ."
        case .list:
            return "Lägg till minst en rad."
        case .integer, .kronor, .decimal:
            return "Fyll i ett värde. Skriv 0 om svaret är noll."
        default:
            return "Frågan måste besvaras."
        }
    }

    private mutating func checkBounds(_ type: FieldType, value: Value, path: String, step: String) {
        func report(_ code: String, _ message: String) {
            findings.append(Finding(path: path, severity: .error, code: code, message: message, step: step))
        }
        switch (type, value) {
        case (.integer(let minimum, let maximum), .number(let number)),
             (.kronor(let minimum, let maximum), .number(let number)),
             (.decimal(_, let minimum, let maximum), .number(let number)):
            if let minimum, number < minimum { report("below-min", "Värdet får inte vara lägre än \(SwedishDisplay.number(minimum)).") }
            if let maximum, number > maximum { report("above-max", "Värdet får inte vara högre än \(SwedishDisplay.number(maximum)).") }
        case (.date(let minimum, let maximum), .date(let date)):
            if case .date(let bound)? = minimum?.evaluate(in: environment), date < bound {
                report("below-min", "Datumet får inte vara före \(bound).")
            }
            if case .date(let bound)? = maximum?.evaluate(in: environment), date > bound {
                report("above-max", "Datumet får inte vara efter \(bound).")
            }
        case (.text(let maximum), .text(let text)), (.longText(let maximum), .text(let text)):
            // Counting characters walks grapheme clusters; no text has more characters than UTF-8 bytes.
            if text.utf8.count > maximum, text.count > maximum {
                report("too-long", "Texten är \(text.count) tecken lång. Högst \(maximum) tecken får plats; korta texten.")
            }
        case (.multiChoice(_, let minimum, let maximum), .list(let items)):
            if let minimum, items.count < minimum { report("too-few-selected", "Välj minst \(minimum) alternativ.") }
            if let maximum, items.count > maximum { report("too-many-selected", "Välj högst \(maximum) alternativ.") }
        case (.list(_, let minimum, let maximum), .list(let items)):
            if let minimum, items.count < minimum { report("too-few-items", "Lägg till minst \(minimum) rader.") }
            if let maximum, items.count > maximum { report("too-many-items", "Högst \(maximum) rader får plats.") }
        default:
            break
        }
    }

    /// Lists of fields: each item's fields are read and checked on their own.
    private mutating func checkListItems(_ field: Field, items: [JSONObject], step: String) {
        for (position, item) in items.enumerated() {
            var reader = AnswerReader(definition: definition)
            for child in field.children {
                let path = "\(field.path).\(position).\(child.id)"
                let given = item[child.id].flatMap { $0.isNull ? nil : $0 }
                if let given {
                    if let value = reader.readValue(given, type: child.type, path: path) {
                        checkBounds(child.type, value: value, path: path, step: step)
                    }
                } else if case .always = child.required {
                    findings.append(Finding(path: path, severity: .error, code: "required", message: "Frågan måste besvaras.", step: step))
                }
            }
            for key in item.keys where !field.children.contains(where: { $0.id == key }) {
                findings.append(Finding(path: "\(field.path).\(position).\(key)", severity: .error, code: "unknown-field",
                                        message: "Listan har inget fält med id \(key).", step: step))
            }
            findings.append(contentsOf: reader.findings.map {
                Finding(path: $0.path, severity: $0.severity, code: $0.code, message: $0.message, step: step)
            })
        }
    }

    // MARK: Rules

    private mutating func apply(_ rule: Rule, step: String) {
        if let condition = rule.relevant, !isTrue(condition) { return }
        guard rule.check.truth(in: environment) == false else { return }
        findings.append(Finding(path: rule.path, severity: rule.severity, code: rule.id,
                                message: render(rule.message), step: step))
    }

    private func render(_ message: CompiledMessage) -> String {
        var text = ""
        for part in message.parts {
            switch part {
            case .literal(let literal): text += literal
            case .value(let expression): text += SwedishDisplay.text(expression.evaluate(in: environment))
            }
        }
        return text
    }
}
