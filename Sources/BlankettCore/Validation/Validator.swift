/// The slot values during one validation, as the expression evaluator sees them.
struct SlotValues: EvaluationEnvironment {
    var values: [Value]

    func value(atSlot slot: Int) -> Value { values[slot] }

    // Matched in place: the evaluator asks for numbers and yes/no answers far
    // more often than for whole values, and copying a `Value` out of the
    // array first costs a retain and a release when it holds text or a list.

    func number(atSlot slot: Int) -> ExactDecimal? {
        if case .number(let number) = values[slot] { return number }
        return nil
    }

    func truth(atSlot slot: Int) -> Bool? {
        if case .bool(let flag) = values[slot] { return flag }
        return nil
    }

    func isEmpty(atSlot slot: Int) -> Bool { values[slot].isEmpty }
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
        var validation = Validation(plan: layout.validationPlan, answers: answers, context: context)
        return validation.run()
    }
}

/// One run of the rules over one set of answers, following the form's
/// `ValidationPlan`. Steps, fields, rows, rules and expressions are addressed
/// by their index in the plan.
///
/// A run has two phases. The first decides the values: context, prefill,
/// calculation and relevance (which clears answers to questions not asked).
/// The second only reads them to check answers and rules: its methods leave
/// the run as it is and pass the findings along.
struct Validation {
    let plan: ValidationPlan
    let answers: AnswerSet
    let context: ValidationContext
    var environment: SlotValues
    var relevant: [Bool]
    var dropped: [String] = []

    init(plan: ValidationPlan, answers: AnswerSet, context: ValidationContext) {
        self.plan = plan
        self.answers = answers
        self.context = context
        environment = SlotValues(values: answers.values)
        relevant = [Bool](repeating: true, count: plan.slotPaths.count)
    }

    mutating func run() -> ValidationResult {
        var findings = answers.readingFindings
        fillContext(findings: &findings)
        calculate()
        // Every question is asked until relevance says otherwise, so only
        // steps and fields with a condition somewhere need deciding.
        for step in plan.steps.indices where plan.steps[step].hasConditions {
            let stepRelevant = holds(plan.steps[step].relevant)
            for field in plan.steps[step].fields {
                applyRelevance(field, parentRelevant: stepRelevant, step: step, findings: &findings)
            }
        }
        calculate()
        for step in plan.steps.indices {
            guard holds(plan.steps[step].relevant) else { continue }
            for field in plan.steps[step].fields { check(field, step: step, findings: &findings) }
            for rule in plan.steps[step].rules { apply(rule, step: step, findings: &findings) }
        }
        return ValidationResult(findings: findings, droppedPaths: dropped, values: environment.values, relevant: relevant)
    }

    // MARK: Context, prefill and calculation

    /// The period and the round's values. A value the form declares is
    /// required: without it every rule that reads it would be unknown, and an
    /// unknown rule is not violated, so a missing, unreadable or misspelt round
    /// value is a blocking finding rather than a silent pass.
    private mutating func fillContext(findings: inout [Finding]) {
        if let period = plan.periodSlots {
            environment.values[period.start] = context.periodStart.map(Value.date) ?? .empty
            environment.values[period.end] = context.periodEnd.map(Value.date) ?? .empty
            environment.values[period.year] = (context.periodEnd ?? context.periodStart).map { .number(ExactDecimal($0.year)) } ?? .empty
        }
        if let slot = plan.deadlineSlot {
            environment.values[slot] = context.deadline.map(Value.date) ?? .empty
        }
        for input in plan.roundInputs {
            let given = context.roundInputs[input.id]
            let value = given.flatMap { Self.roundValue($0, reading: input.reading) }
            environment.values[input.slot] = value ?? .empty
            guard value == nil else { continue }
            if given == nil || given == .null {
                findings.append(Finding(path: "round." + input.id, severity: .error, code: "round-input-missing",
                                        message: "Omgångens värde ”\(input.label)” saknas för organisationen, så blanketten kan inte kontrolleras. Organisationens administratör anger det under Administration.",
                                        step: input.step))
            } else {
                findings.append(Finding(path: "round." + input.id, severity: .error, code: "round-input-invalid",
                                        message: "Omgångens värde ”\(input.label)” kan inte läsas. Organisationens administratör rättar det under Administration.",
                                        step: input.step))
            }
        }
        func isDeclared(_ key: String) -> Bool { plan.roundInputs.contains { $0.id == key } }
        if context.roundInputs.keys.contains(where: { !isDeclared($0) }) {
            for key in context.roundInputs.keys.sorted() where !isDeclared(key) {
                findings.append(Finding(path: "round." + key, severity: .error, code: "round-input-unknown",
                                        message: "Omgången anger värdet ”\(key.prefix(80))”, som blanketten inte har. Kontrollera stavningen; blanketten tar \(plan.roundInputs.map(\.id).joined(separator: ", ")).",
                                        step: plan.stepIDs.first ?? ""))
            }
        }
        for prefill in plan.prefills {
            environment.values[prefill.slot] = environment.values[prefill.sourceSlot]
        }
    }

    static func roundValue(_ json: JSONValue, reading: ValidationPlan.RoundInputReading) -> Value? {
        let text: String
        switch json {
        case .number(let number): text = number
        case .string(let string): text = string
        default: return nil
        }
        switch reading {
        case .kronor: return (try? Kronor.parse(text).get()).map { .number($0.decimal) }
        case .integer: return (try? SwedishNumber.parseInteger(text).get()).map { .number(ExactDecimal($0)) }
        case .decimal(let decimals): return (try? DecimalNumber.parse(text, decimals: decimals).get()).map { .number($0.value) }
        case .date: return (try? LocalDate.parse(text).get()).map(Value.date)
        case .text: return .text(text)
        }
    }

    private mutating func calculate() {
        for calculation in plan.calculations {
            environment.values[calculation.slot] = plan.expressions.evaluate(calculation.expression, in: environment)
        }
    }

    // MARK: Relevance

    private func isTrue(_ expression: ValidationPlan.Expression) -> Bool {
        plan.expressions.truth(expression, in: environment) == true
    }

    /// Whether an optional condition holds; no condition always does.
    private func holds(_ condition: ValidationPlan.Expression?) -> Bool {
        guard let condition else { return true }
        return isTrue(condition)
    }

    private mutating func applyRelevance(_ index: Int, parentRelevant: Bool, step: Int, findings: inout [Finding]) {
        let field = plan.fields[index]
        // Asked, and nothing in it can take that back: nothing to decide.
        if parentRelevant && !field.hasConditions { return }
        let isRelevant = parentRelevant && holds(field.relevant)
        switch field.kind {
        case .group:
            for child in field.children {
                applyRelevance(child, parentRelevant: isRelevant, step: step, findings: &findings)
            }
        case .rows:
            for row in field.rows {
                let rowRelevant = isRelevant && holds(plan.rows[row].relevant)
                for answer in plan.rows[row].answers {
                    setRelevance(slot: plan.answers[answer], rowRelevant, step: step, findings: &findings)
                }
            }
        case .info:
            break
        case .single, .listOfFields:
            if let answer = field.answers.first {
                setRelevance(slot: plan.answers[answer], isRelevant, step: step, findings: &findings)
            }
        }
    }

    private mutating func setRelevance(slot: Int, _ isRelevant: Bool, step: Int, findings: inout [Finding]) {
        relevant[slot] = isRelevant
        guard !isRelevant else { return }
        if answers.answered[slot], !plan.slotIsReadOnly[slot] {
            let path = plan.slotPaths[slot]
            dropped.append(path)
            findings.append(Finding(path: path, severity: .warning, code: "not-relevant",
                                    message: "Frågan ställs inte med dina övriga svar, så svaret tas bort när du sparar.",
                                    step: plan.stepIDs[step]))
        }
        environment.values[slot] = .empty
    }

    // MARK: Required, bounds and constraints

    private func check(_ index: Int, step: Int, findings: inout [Finding]) {
        let field = plan.fields[index]
        switch field.kind {
        case .group:
            for child in field.children { check(child, step: step, findings: &findings) }
            return
        case .info:
            return
        case .rows, .single, .listOfFields:
            break
        }
        guard isAnyAsked(field.answers) else { return }
        let required = switch field.requirement {
        case .never: false
        case .always: true
        case .when(let expression): isTrue(expression)
        }
        for answer in field.answers {
            let slot = plan.answers[answer]
            guard relevant[slot] else { continue }
            if environment.isEmpty(atSlot: slot) {
                if required && !field.isReadOnly && !hasReadingFinding(plan.slotPaths[slot]) {
                    findings.append(Finding(path: plan.slotPaths[slot], severity: .error, code: "required",
                                            message: plan.requiredMessages[answer], step: plan.stepIDs[step]))
                }
                continue
            }
            let bounds = plan.slotBounds[slot]
            if case .none = bounds { continue }
            let violations = bounds.violations(by: environment.values[slot], expressions: plan.expressions, environment: environment)
            guard !violations.isEmpty else { continue }
            if let inputs = plan.slotCalculatedInputs[slot] {
                reportCalculated(violations, value: environment.values[slot], inputs: inputs, findings: &findings)
            } else {
                report(violations, path: plan.slotPaths[slot], step: step, findings: &findings)
            }
        }
        if case .listOfFields = field.kind, let answer = field.answers.first, relevant[plan.answers[answer]] {
            let slot = plan.answers[answer]
            checkListItems(index, items: answers.listItems[slot] ?? [], values: environment.values[slot], step: step, findings: &findings)
        }
        for rule in field.constraints {
            if let owner = plan.rules[rule].ownerSlot, environment.isEmpty(atSlot: owner) || !relevant[owner] { continue }
            apply(rule, step: step, findings: &findings)
        }
    }

    /// Whether any of the answers (a range of `plan.answers`) is asked.
    private func isAnyAsked(_ answers: Range<Int>) -> Bool {
        for answer in answers where relevant[plan.answers[answer]] { return true }
        return false
    }

    private func hasReadingFinding(_ path: String) -> Bool {
        !answers.readingFindings.isEmpty && answers.readingFindings.contains { $0.path == path || $0.path.hasPrefix(path + ".") }
    }

    private func report(_ violations: [BoundsViolation], path: String, step: Int, findings: inout [Finding]) {
        for violation in violations {
            findings.append(Finding(path: path, severity: .error, code: violation.code, message: violation.message,
                                    step: plan.stepIDs[step]))
        }
    }

    /// A computed value out of its bounds, reported at what it is computed
    /// from: nobody can edit the computed field itself.
    private func reportCalculated(_ violations: [BoundsViolation], value: Value, inputs: ValidationPlan.CalculatedInputs,
                                  findings: inout [Finding]) {
        let names = inputs.inputLabels.map { "”\($0)”" }
        let sources = switch names.count {
        case 0: ""
        case 1: " Det räknas fram ur \(names[0]): kontrollera det svaret."
        default: " Det räknas fram ur \(names.dropLast().joined(separator: ", ")) och \(names.last!): kontrollera de svaren."
        }
        for violation in violations {
            findings.append(Finding(path: inputs.path, severity: .error, code: "calculated-" + violation.code,
                                    message: "”\(inputs.label)” blir \(SwedishDisplay.text(value)). \(violation.message)\(sources)",
                                    step: inputs.step))
        }
    }

    /// Lists of fields: each item's fields are checked on their own. They
    /// were read with the answers (`values` holds one list of field values
    /// per item); reading problems are among the reading findings.
    private func checkListItems(_ index: Int, items: [JSONObject], values: Value, step: Int, findings: inout [Finding]) {
        let field = plan.sourceFields[index]
        let itemFields = plan.fields[index].itemFields
        guard case .list(let itemValues) = values else { return }
        for (position, item) in items.enumerated() {
            let fieldValues: [Value]
            if position < itemValues.count, case .list(let read) = itemValues[position] { fieldValues = read } else { fieldValues = [] }
            for (offset, itemField) in plan.itemFields[itemFields].enumerated() {
                let child = itemField.field
                let path = "\(field.path).\(position).\(child.id)"
                let given = item[child.id].flatMap { $0.isNull ? nil : $0 }
                if given != nil {
                    if offset < fieldValues.count, !fieldValues[offset].isEmpty {
                        let violations = itemField.bounds.violations(by: fieldValues[offset], expressions: plan.expressions, environment: environment)
                        report(violations, path: path, step: step, findings: &findings)
                    }
                } else if case .always = child.required {
                    findings.append(Finding(path: path, severity: .error, code: "required", message: "Frågan måste besvaras.",
                                            step: plan.stepIDs[step]))
                }
            }
            for key in item.keys where !field.children.contains(where: { $0.id == key }) {
                findings.append(Finding(path: "\(field.path).\(position).\(key)", severity: .error, code: "unknown-field",
                                        message: "Listan har inget fält med id \(key).", step: plan.stepIDs[step]))
            }
        }
    }

    // MARK: Rules

    private func apply(_ index: Int, step: Int, findings: inout [Finding]) {
        let rule = plan.rules[index]
        guard holds(rule.relevant), plan.expressions.truth(rule.check, in: environment) == false else { return }
        let source = plan.ruleSources[index]
        findings.append(Finding(path: source.path, severity: source.severity, code: source.id,
                                message: render(source.message), step: plan.stepIDs[step]))
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
