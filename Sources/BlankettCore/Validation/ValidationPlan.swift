/// Everything validation needs that does not depend on the answers, worked
/// out once when a form loads: the steps, fields and rules flattened into
/// arrays of plain values that refer to each other by index, and every
/// expression of the form appended to one shared `ExpressionCode`.
///
/// Validation runs on every save. Walking `FormDefinition.steps` itself
/// copied a `Step`, a `Rule` or a `FieldType` at each turn of the loops,
/// retaining every string, array and expression inside; walking the plan
/// copies integers, and evaluating an expression reads the shared code in
/// place. Paths, step ids and messages are only read when there is a finding
/// to report.
final class ValidationPlan: Sendable {
    /// An expression in `expressions`.
    typealias Expression = ExpressionCode.Entry

    /// A step: its condition, its top-level fields and its rules.
    struct StepPlan: Sendable {
        /// No condition means always asked.
        let relevant: Expression?
        /// Range of `fields`.
        let fields: Range<Int>
        /// Range of `rules`.
        let rules: Range<Int>
        /// Whether the step or any of its fields has a condition (see `FieldPlan.hasConditions`).
        let hasConditions: Bool
    }

    /// A field, with the ranges of everything it owns.
    struct FieldPlan: Sendable {
        enum Kind: Sendable {
            /// Shown only; holds no answer.
            case info
            /// Holds the fields in `children`.
            case group
            /// A grid or matrix: answers come in `rows`, each with its own condition.
            case rows
            /// One answer (simple fields, multichoice, lists of values).
            case single
            /// A list whose items are objects of the fields in `itemFields`.
            case listOfFields
        }

        let kind: Kind
        /// No condition means asked whenever its parent is.
        let relevant: Expression?
        let requirement: Requirement
        /// Computed or prefilled: never reported as missing.
        let isReadOnly: Bool
        /// Range of `answers`: every answer slot of the field, row by row.
        let answers: Range<Int>
        /// Range of `rows` (grids and matrices).
        let rows: Range<Int>
        /// Range of `rules`: the field's constraints.
        let constraints: Range<Int>
        /// Range of `fields` (groups); filled in after the field itself is laid out.
        var children: Range<Int> = 0..<0
        /// Range of `itemFields` (lists of fields).
        let itemFields: Range<Int>
        /// Whether the field, a row or a child has a condition. Without one,
        /// a field whose parent is asked is asked entirely, and relevance has
        /// nothing to decide for it.
        var hasConditions: Bool
    }

    enum Requirement: Sendable {
        case never
        case always
        /// Required when the expression holds.
        case when(Expression)
    }

    /// A row of a grid (its cells) or of a matrix (its one answer).
    struct RowPlan: Sendable {
        let relevant: Expression?
        /// Range of `answers`.
        let answers: Range<Int>
    }

    /// A field constraint or a step rule.
    struct RulePlan: Sendable {
        let relevant: Expression?
        /// A finding when it is false (unknown passes).
        let check: Expression
        /// Constraints: the owning field's slot; the rule is skipped while it is unanswered or not asked.
        let ownerSlot: Int?
    }

    /// What an answer must keep within besides being given.
    enum Bounds: Sendable {
        case none
        case number(minimum: ExactDecimal?, maximum: ExactDecimal?)
        /// Evaluated when checking.
        case date(minimum: Expression?, maximum: Expression?)
        case text(maximumLength: Int)
        case selection(minimum: Int?, maximum: Int?)
        case items(minimum: Int?, maximum: Int?)
    }

    /// One field of the items of a list of fields.
    struct ItemFieldPlan: Sendable {
        let field: Field
        let bounds: Bounds
    }

    /// How a round input's JSON becomes a value.
    enum RoundInputReading: Sendable {
        case kronor
        case integer
        case decimal(decimals: Int)
        case date
        case text
    }

    struct RoundInputPlan: Sendable {
        let id: String
        let slot: Int
        let reading: RoundInputReading
        let label: String
        /// Where a missing value is reported: the step of the first field
        /// prefilled from it, else the first step.
        let step: String
    }

    /// A read-only field filled from a round input.
    struct Prefill: Sendable {
        let slot: Int
        let sourceSlot: Int
    }

    /// A computed field with bounds of its own (`min`, `max`): nobody can
    /// edit it, so a value out of bounds is reported at the first answer it
    /// is computed from, naming every such answer.
    struct CalculatedInputs: Sendable {
        /// The computed field's label.
        let label: String
        /// Where the finding is shown: the first editable input, else the field itself.
        let path: String
        let step: String
        /// The labels of the editable answers it is computed from, in form order.
        let inputLabels: [String]
    }

    /// A calculated field, in dependency order.
    struct CalculationPlan: Sendable {
        let slot: Int
        let expression: Expression
    }

    let steps: [StepPlan]
    /// The id of each step, for findings.
    let stepIDs: [String]
    let fields: [FieldPlan]
    /// The source field of each entry in `fields`, for lists of fields.
    let sourceFields: [Field]
    /// Answer slots, addressed by `FieldPlan.answers` and `RowPlan.answers`.
    let answers: [Int]
    /// The message of a `required` finding, per entry in `answers`.
    let requiredMessages: [String]
    let rows: [RowPlan]
    let rules: [RulePlan]
    /// Each entry in `rules` as written, for the finding's code, path, severity and message.
    let ruleSources: [Rule]
    let itemFields: [ItemFieldPlan]
    /// Every condition, check, bound and calculation of the form.
    let expressions: ExpressionCode

    /// Per slot: its path, its bounds and whether its field is read-only.
    let slotPaths: [String]
    let slotBounds: [Bounds]
    let slotIsReadOnly: [Bool]
    /// Per slot: for a computed field with bounds, where their findings go.
    let slotCalculatedInputs: [CalculatedInputs?]

    /// `nil` only in the empty plan.
    let periodSlots: PeriodSlots?
    let deadlineSlot: Int?
    let roundInputs: [RoundInputPlan]
    let prefills: [Prefill]
    let calculations: [CalculationPlan]

    init(_ definition: FormDefinition) {
        var builder = Builder(definition: definition)
        steps = definition.steps.map { builder.addStep($0) }
        stepIDs = definition.steps.map(\.id)
        fields = builder.fields
        sourceFields = builder.sourceFields
        answers = builder.answers
        requiredMessages = builder.requiredMessages
        rows = builder.rows
        rules = builder.rules
        ruleSources = builder.ruleSources
        itemFields = builder.itemFields
        slotPaths = definition.slots.map(\.path)
        slotBounds = definition.slots.map { builder.bounds(of: $0.type) }
        slotIsReadOnly = definition.slots.map { slot in
            slot.fieldIndex.map { definition.fieldsInOrder[$0].isReadOnly } ?? false
        }
        slotCalculatedInputs = Self.calculatedInputs(definition, bounds: slotBounds)
        periodSlots = definition.periodSlots
        deadlineSlot = definition.roundInputSlots["deadline"]
        roundInputs = definition.roundInputs.compactMap { input in
            definition.roundInputSlots[input.id].map {
                RoundInputPlan(id: input.id, slot: $0, reading: Self.reading(of: input.type), label: input.label,
                               step: Self.step(prefilledFrom: input.id, in: definition) ?? definition.steps.first?.id ?? "")
            }
        }
        prefills = definition.fieldsInOrder.compactMap { field in
            guard let prefill = field.prefill, let slot = definition.slot(forPath: field.path),
                  let source = definition.roundInputSlots[String(prefill.dropFirst("round.".count))] else { return nil }
            return Prefill(slot: slot, sourceSlot: source)
        }
        calculations = definition.calculations.map {
            CalculationPlan(slot: $0.slot, expression: builder.add($0.expression))
        }
        expressions = builder.expressions
    }

    /// An empty plan, for a definition that is still being built.
    init() {
        steps = []
        stepIDs = []
        fields = []
        sourceFields = []
        answers = []
        requiredMessages = []
        rows = []
        rules = []
        ruleSources = []
        itemFields = []
        expressions = ExpressionCode()
        slotPaths = []
        slotBounds = []
        slotIsReadOnly = []
        slotCalculatedInputs = []
        periodSlots = nil
        deadlineSlot = nil
        roundInputs = []
        prefills = []
        calculations = []
    }

    /// The editable answers each bounded computed field is computed from,
    /// following other computed fields back to what people type.
    private static func calculatedInputs(_ definition: FormDefinition, bounds: [Bounds]) -> [CalculatedInputs?] {
        let expressionBySlot = Dictionary(definition.calculations.map { ($0.slot, $0.expression) }, uniquingKeysWith: { first, _ in first })
        func field(_ slot: Int) -> Field? { definition.slots[slot].fieldIndex.map { definition.fieldsInOrder[$0] } }
        return definition.slots.indices.map { slot in
            guard let expression = expressionBySlot[slot], let computed = field(slot) else { return nil }
            if case .none = bounds[slot] { return nil }
            var inputs: Set<Int> = []
            var visited: Set<Int> = [slot]
            var pending = expression.referencedSlots
            while let next = pending.popLast() {
                guard visited.insert(next).inserted else { continue }
                if let nested = expressionBySlot[next] {
                    pending.append(contentsOf: nested.referencedSlots)
                } else if let input = field(next), !input.isReadOnly {
                    inputs.insert(next)
                }
            }
            let ordered = inputs.sorted()
            let path = ordered.first.map { definition.slots[$0].path } ?? computed.path
            return CalculatedInputs(
                label: computed.label ?? computed.id, path: path, step: definition.stepID(forPath: path),
                // The cells of one grid share its label: name it once.
                inputLabels: ordered.compactMap { field($0).map { $0.label ?? $0.id } }.reduce(into: []) { labels, label in
                    if !labels.contains(label) { labels.append(label) }
                })
        }
    }

    private static func step(prefilledFrom input: String, in definition: FormDefinition) -> String? {
        func prefills(_ field: Field) -> Bool {
            field.prefill == "round." + input || field.children.contains(where: prefills)
        }
        return definition.steps.first { $0.fields.contains(where: prefills) }?.id
    }

    private static func reading(of type: FieldType) -> RoundInputReading {
        switch type {
        case .kronor: .kronor
        case .integer: .integer
        case .decimal(let decimals, _, _): .decimal(decimals: decimals)
        case .date: .date
        default: .text
        }
    }
}
