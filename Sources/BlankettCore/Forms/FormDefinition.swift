/// A checked, compiled form version: steps and fields in the authority's
/// order, every expression resolved to answer slots. Built only by
/// `FormDefinition.load(_:file:)`, which reports every problem of the file.
public struct FormDefinition: Sendable {
    public let key: String
    public let version: String
    public let kind: String
    public let title: String
    public let grant: String
    public let authority: String
    public let ordinance: String?
    public let intro: String?
    public let constants: [String: ExactDecimal]
    public let roundInputs: [RoundInput]
    /// On an application: what the authority's decision grants, which the
    /// report-back round then gives the organisation.
    public let authorityDecision: AuthorityDecisionSpec?
    public let steps: [Step]
    /// The file it came from, for messages.
    public let file: String

    /// Every answer-holding leaf (and the period / round inputs), indexed by slot.
    public internal(set) var slots: [AnswerSlot]
    let slotByPath: [String: Int]
    let periodSlots: PeriodSlots
    let roundInputSlots: [String: Int]
    /// Calculated fields in dependency order.
    let calculations: [Calculation]
    /// Where each field's answers live (built once at load).
    var layout = SlotLayout()

    /// `po-redovisning-2020`.
    public var id: String { "\(key)-\(version)" }

    public func slot(forPath path: String) -> Int? { slotByPath[path] }

    public func step(withID id: String) -> Step? { steps.first { $0.id == id } }

    /// Every field, depth first, in document order (indexed by `AnswerSlot.fieldIndex`).
    public internal(set) var fieldsInOrder: [Field] = []
    /// Step id per top-level field id.
    var stepByField: [String: String] = [:]
    /// The path of the email field that names the case's contact person
    /// (`contact_email` in the form file), checked at load to be one.
    public internal(set) var contactEmailPath: String?

    /// The step a path belongs to (its first segment is a top-level field).
    public func stepID(forPath path: String) -> String {
        let top = path.split(separator: ".", maxSplits: 1).first.map(String.init) ?? path
        return stepByField[top] ?? ""
    }

    var allFields: [Field] {
        var result: [Field] = []
        func visit(_ field: Field) {
            result.append(field)
            field.children.forEach(visit)
        }
        steps.forEach { $0.fields.forEach(visit) }
        return result
    }
}

public struct RoundInput: Sendable {
    public let id: String
    public let type: FieldType
    public let label: String
}

/// The values an authority's decision on an application gives the
/// report-back: each is a round input of the report-back's form.
public struct AuthorityDecisionSpec: Sendable {
    public let values: [RoundInput]
    /// The report-back's round input that takes the decision's diarienummer
    /// (Socialstyrelsen's "Dnr för rekvisitionen"), if any.
    public let diarienummerInput: String?
}

public struct Step: Sendable {
    public let id: String
    public let title: String
    public let intro: String?
    public let relevant: CompiledExpression?
    public let fields: [Field]
    public let rules: [Rule]
}

public struct FieldOption: Sendable, Hashable {
    public let id: String
    public let label: String
    /// The option needs a text follow-up (e.g. "Annat, ange vad").
    public let isOther: Bool
}

public struct GridAxis: Sendable {
    public let id: String
    public let label: String
    public let help: String?
    /// Rows only: the row is asked only when this holds.
    public let relevant: CompiledExpression?
}

public indirect enum FieldType: Sendable {
    case info(text: String?)
    case text(maxLength: Int)
    case longText(maxLength: Int)
    case integer(min: ExactDecimal?, max: ExactDecimal?)
    case kronor(min: ExactDecimal?, max: ExactDecimal?)
    case decimal(decimals: Int, min: ExactDecimal?, max: ExactDecimal?)
    case date(min: CompiledExpression?, max: CompiledExpression?)
    case email
    case phone
    case postnummer
    case organisationsnummer
    case bankgiro
    case plusgiro
    case diarienummer
    case yesNo
    case choice(options: [FieldOption])
    case multiChoice(options: [FieldOption], minSelected: Int?, maxSelected: Int?)
    case scale(min: Int, max: Int, minLabel: String?, maxLabel: String?, cannotJudge: Bool)
    case matrix(rows: [GridAxis], options: [FieldOption])
    case grid(rows: [GridAxis], columns: [GridAxis], cell: FieldType)
    case list(item: FieldType?, minItems: Int?, maxItems: Int?)
    case group

    /// The name used in form files.
    public var name: String {
        switch self {
        case .info: "info"
        case .text: "text"
        case .longText: "longtext"
        case .integer: "integer"
        case .kronor: "kronor"
        case .decimal: "decimal"
        case .date: "date"
        case .email: "email"
        case .phone: "phone"
        case .postnummer: "postnummer"
        case .organisationsnummer: "organisationsnummer"
        case .bankgiro: "bankgiro"
        case .plusgiro: "plusgiro"
        case .diarienummer: "diarienummer"
        case .yesNo: "yesno"
        case .choice: "choice"
        case .multiChoice: "multichoice"
        case .scale: "scale"
        case .matrix: "matrix"
        case .grid: "grid"
        case .list: "list"
        case .group: "group"
        }
    }

    /// The expression type of one answer of this type.
    var valueType: ValueType {
        switch self {
        case .integer, .kronor, .decimal: .number
        case .date: .date
        case .yesNo: .bool
        case .multiChoice: .list(.text)
        case .list(let item, _, _): .list(item?.valueType ?? .item)
        default: .text
        }
    }

    /// Options a choice-like answer must be one of, for `selected(…)` checks.
    public var options: [FieldOption] {
        switch self {
        case .choice(let options), .multiChoice(let options, _, _), .matrix(_, let options): options
        case .scale(let min, let max, _, _, let cannotJudge):
            (min...max).map { FieldOption(id: String($0), label: String($0), isOther: false) }
                + (cannotJudge ? [FieldOption(id: "kan-inte-bedoma", label: "Kan inte bedöma", isOther: false)] : [])
        default: []
        }
    }
}

/// A class, not a struct: validation walks the fields on every save, and
/// passing a reference is one retain where a copy of the struct was many.
public final class Field: Sendable {
    public let id: String
    /// Dotted path from the top: `klienter.nya`.
    public let path: String
    public let type: FieldType
    public let label: String?
    public let help: String?
    public let ordinance: String?
    public let unit: String?
    public let placeholder: String?
    public let required: Requirement
    public let relevant: CompiledExpression?
    public let constraints: [Rule]
    public let calculate: CompiledExpression?
    /// `round.<input>`: read-only value from the grant round.
    public let prefill: String?
    public let carryOver: Bool
    /// Sub-fields of a group, or the per-item fields of a list of fields.
    public let children: [Field]
    public let location: SourceLocation

    init(id: String, path: String, type: FieldType, label: String?, help: String?, ordinance: String?, unit: String?, placeholder: String?, required: Requirement, relevant: CompiledExpression?, constraints: [Rule], calculate: CompiledExpression?, prefill: String?, carryOver: Bool, children: [Field], location: SourceLocation) {
        self.id = id
        self.path = path
        self.type = type
        self.label = label
        self.help = help
        self.ordinance = ordinance
        self.unit = unit
        self.placeholder = placeholder
        self.required = required
        self.relevant = relevant
        self.constraints = constraints
        self.calculate = calculate
        self.prefill = prefill
        self.carryOver = carryOver
        self.children = children
        self.location = location
    }

    /// Computed or prefilled: shown, never typed.
    public var isReadOnly: Bool { calculate != nil || prefill != nil }
    public var isAnswerable: Bool {
        if case .info = type { return false }
        if case .group = type { return false }
        return true
    }
}

public enum Requirement: Sendable {
    case never
    case always
    case when(CompiledExpression)
}

/// A check whose failure is a finding: a field constraint or a step rule.
public struct Rule: Sendable {
    /// Stable code of the finding.
    public let id: String
    /// Where the finding is shown.
    public let path: String
    public let check: CompiledExpression
    public let message: CompiledMessage
    public let severity: Severity
    /// The rule applies only when this holds (and, for field constraints, when
    /// the field is relevant and answered).
    public let relevant: CompiledExpression?
    /// Slot of the owning field, for constraints (checked only when answered).
    let ownerSlot: Int?
}

public enum Severity: String, Sendable, Hashable, Codable {
    case error
    case warning
}

/// A message template with its placeholders compiled.
public struct CompiledMessage: Sendable {
    public enum Part: Sendable {
        case literal(String)
        case value(CompiledExpression)
    }

    public let parts: [Part]
}

/// One answer-holding place.
/// Immutable and shared (a class): reading answers passes slots around on
/// every save, and a struct of strings and types would be copied each time.
public final class AnswerSlot: Sendable {
    public enum Kind: Sendable {
        /// A field's own answer (simple fields, lists, multichoice).
        case field
        /// One cell of a grid, or one row of a matrix.
        case cell(fieldPath: String, row: String, column: String?)
        /// `period.start`, `period.end`, `period.year`.
        case period
        /// `round.<id>`.
        case roundInput
    }

    public let path: String
    public let kind: Kind
    /// The type used to read and check the answer (for cells, the cell type).
    public let type: FieldType
    public let valueType: ValueType
    /// Index of the owning field in `FormDefinition.allFields`, if any.
    let fieldIndex: Int?

    init(path: String, kind: Kind, type: FieldType, valueType: ValueType, fieldIndex: Int?) {
        self.path = path
        self.kind = kind
        self.type = type
        self.valueType = valueType
        self.fieldIndex = fieldIndex
    }
}

struct PeriodSlots: Sendable {
    let start: Int
    let end: Int
    let year: Int
}

struct Calculation: Sendable {
    let slot: Int
    let expression: CompiledExpression
}
