extension ValidationPlan {
    /// Collects the arrays of a plan while walking a definition's steps.
    struct Builder {
        let definition: FormDefinition
        var expressions = ExpressionCode()
        var fields: [FieldPlan] = []
        var sourceFields: [Field] = []
        var answers: [Int] = []
        var requiredMessages: [String] = []
        var rows: [RowPlan] = []
        var rules: [RulePlan] = []
        var ruleSources: [Rule] = []
        var itemFields: [ItemFieldPlan] = []

        mutating func add(_ expression: CompiledExpression) -> Expression {
            expressions.append(expression)
        }

        mutating func add(_ expression: CompiledExpression?) -> Expression? {
            guard let expression else { return nil }
            return add(expression)
        }

        mutating func addStep(_ step: Step) -> StepPlan {
            let fields = layOut(step.fields)
            return StepPlan(relevant: add(step.relevant), fields: fields, rules: addRules(step.rules),
                            hasConditions: step.relevant != nil || self.fields[fields].contains(where: \.hasConditions))
        }

        /// Lays out `list` side by side and then the children of each group
        /// after them, so that the children of every group are one range of `fields`.
        private mutating func layOut(_ list: [Field]) -> Range<Int> {
            let range = fields.count..<(fields.count + list.count)
            for field in list {
                fields.append(plan(for: field))
                sourceFields.append(field)
            }
            for (index, field) in zip(range, list) {
                guard case .group = field.type else { continue }
                let children = layOut(field.children)
                fields[index].children = children
                if fields[children].contains(where: \.hasConditions) { fields[index].hasConditions = true }
            }
            return range
        }

        private mutating func plan(for field: Field) -> FieldPlan {
            let firstAnswer = answers.count
            let firstRow = rows.count
            var itemFields = 0..<0
            let kind: FieldPlan.Kind
            switch field.type {
            case .info:
                kind = .info
            case .group:
                kind = .group
            case .grid(let gridRows, let columns, _):
                kind = .rows
                for row in gridRows {
                    let firstCell = answers.count
                    for column in columns {
                        addAnswer(of: field, path: "\(field.path).\(row.id).\(column.id)")
                    }
                    rows.append(RowPlan(relevant: add(row.relevant), answers: firstCell..<answers.count))
                }
            case .matrix(let matrixRows, _):
                kind = .rows
                for row in matrixRows {
                    let first = answers.count
                    addAnswer(of: field, path: "\(field.path).\(row.id)")
                    rows.append(RowPlan(relevant: add(row.relevant), answers: first..<answers.count))
                }
            case .list(nil, _, _):
                kind = .listOfFields
                addAnswer(of: field, path: field.path)
                itemFields = addItemFields(field.children)
            default:
                kind = .single
                addAnswer(of: field, path: field.path)
            }
            let requirement: Requirement = switch field.required {
            case .never: .never
            case .always: .always
            case .when(let expression): .when(add(expression))
            }
            let rowRange = firstRow..<rows.count
            return FieldPlan(
                kind: kind, relevant: add(field.relevant), requirement: requirement, isReadOnly: field.isReadOnly,
                answers: firstAnswer..<answers.count, rows: rowRange,
                constraints: addRules(field.constraints), itemFields: itemFields,
                hasConditions: field.relevant != nil || rows[rowRange].contains { $0.relevant != nil }
            )
        }

        private mutating func addAnswer(of field: Field, path: String) {
            guard let slot = definition.slot(forPath: path) else { return }
            answers.append(slot)
            requiredMessages.append(Self.requiredMessage(field, path: path))
        }

        private mutating func addRules(_ list: [Rule]) -> Range<Int> {
            let first = rules.count
            for rule in list {
                rules.append(RulePlan(relevant: add(rule.relevant), check: add(rule.check), ownerSlot: rule.ownerSlot))
                ruleSources.append(rule)
            }
            return first..<rules.count
        }

        private mutating func addItemFields(_ list: [Field]) -> Range<Int> {
            let first = itemFields.count
            for field in list {
                itemFields.append(ItemFieldPlan(field: field, bounds: bounds(of: field.type)))
            }
            return first..<itemFields.count
        }

        mutating func bounds(of type: FieldType) -> Bounds {
            switch type {
            case .integer(let minimum, let maximum), .kronor(let minimum, let maximum), .decimal(_, let minimum, let maximum):
                .number(minimum: minimum, maximum: maximum)
            case .date(let minimum, let maximum):
                .date(minimum: add(minimum), maximum: add(maximum))
            case .text(let maximum), .longText(let maximum):
                .text(maximumLength: maximum)
            case .multiChoice(_, let minimum, let maximum):
                .selection(minimum: minimum, maximum: maximum)
            case .list(_, let minimum, let maximum):
                .items(minimum: minimum, maximum: maximum)
            default:
                .none
            }
        }

        /// The Swedish message of a `required` finding for the answer at `path` of `field`.
        static func requiredMessage(_ field: Field, path: String) -> String {
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
    }
}
