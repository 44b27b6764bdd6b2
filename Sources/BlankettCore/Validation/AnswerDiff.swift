/// One answer that differs between two versions of a case's answers.
public struct AnswerChange: Sendable, Hashable {
    /// Dotted leaf path: `klienter.totalt.18-29.kvinnor`, `ovriga_kommuner.0`.
    public var path: String
    /// The Swedish label: the field's label, for grid cells followed by the row
    /// and column labels (`Totalt antal klienter – Kvinnor – 18–29 år`), for
    /// list items by the row number (`… – rad 1 – Namn`); `nil` when the form
    /// does not know the path or no definition was given.
    public var label: String?
    /// `nil`: no answer.
    public var before: JSONValue?
    /// `nil`: no answer.
    public var after: JSONValue?

    public init(path: String, label: String?, before: JSONValue?, after: JSONValue?) {
        self.path = path
        self.label = label
        self.before = before
        self.after = after
    }
}

/// The field-by-field difference between two answer objects, for the audit
/// trail and for telling a signer what changed after signing.
///
/// What counts as the same answer:
/// - an absent key and `null` are the same: both mean unanswered (as when the
///   answers are read); so is an object or array that holds no answer at all
///   (`{}`, `[]`, `{"a": null}`);
/// - numbers compare by their literal text: `2.80` and `2.8` are different
///   answers, as are `48` and `"48"`.
///
/// Changes are reported per leaf, so filling a grid lists every cell. Arrays
/// are compared by index (`ovriga_kommuner.1`), except the answer of a
/// multichoice field, which is one set of options and is reported whole.
/// Where the two sides differ in kind (an object on one side, a number on the
/// other) the whole values are one change at that path, so no difference is
/// ever lost in the flattening.
public enum AnswerDiff {
    /// The changes from `old` to `new`, in the form's field order when a
    /// definition is given (paths the form does not know come last), otherwise
    /// sorted by path segment, array indices numerically (`.2` before `.10`).
    public static func changes(from old: JSONValue, to new: JSONValue, definition: FormDefinition?) -> [AnswerChange] {
        let layout = definition.map(Layout.init)
        var found: [(segments: [String], before: JSONValue?, after: JSONValue?)] = []
        collect(old, new, segments: [], layout: layout) { found.append(($0, $1, $2)) }
        let keyed = found.map { change in
            (key: layout?.sortKey(change.segments) ?? Layout.unknownSortKey(change.segments), change: change)
        }
        return keyed
            .sorted { $0.key.precedes($1.key) }
            .map { entry in
                AnswerChange(
                    path: entry.change.segments.joined(separator: "."),
                    label: layout?.label(entry.change.segments),
                    before: entry.change.before,
                    after: entry.change.after
                )
            }
    }

    /// The changes for the audit trail: `[{"path", "label", "before", "after"}]`,
    /// leaving out an unknown label and the side that has no answer.
    public static func json(_ changes: [AnswerChange]) -> JSONValue {
        .array(changes.map { change in
            var object: JSONObject = ["path": .string(change.path)]
            if let label = change.label { object["label"] = .string(label) }
            if let before = change.before { object["before"] = before }
            if let after = change.after { object["after"] = after }
            return .object(object)
        })
    }

    // MARK: Walking both sides

    private static func collect(
        _ old: JSONValue?, _ new: JSONValue?, segments: [String], layout: Layout?,
        report: (_ segments: [String], _ before: JSONValue?, _ after: JSONValue?) -> Void
    ) {
        let before = answered(old)
        let after = answered(new)
        if case .none = before, case .none = after { return }
        if let layout, layout.isWhole(segments) {
            if before != after { report(segments, before, after) }
            return
        }
        let oldObject = before?.objectValue
        let newObject = after?.objectValue
        if (oldObject != nil || before.isNone) && (newObject != nil || after.isNone) {
            var keys = oldObject?.keys ?? []
            for key in newObject?.keys ?? [] where oldObject?.index(forKey: key) == nil { keys.append(key) }
            for key in keys {
                collect(oldObject?[key], newObject?[key], segments: segments + [key], layout: layout, report: report)
            }
            return
        }
        let oldArray = before?.arrayValue
        let newArray = after?.arrayValue
        if (oldArray != nil || before.isNone) && (newArray != nil || after.isNone) {
            for index in 0..<max(oldArray?.count ?? 0, newArray?.count ?? 0) {
                collect(before?[index], after?[index], segments: segments + [String(index)], layout: layout, report: report)
            }
            return
        }
        if before != after { report(segments, before, after) }
    }

    /// `value` when it holds an answer; `nil` for absent, `null` and
    /// containers without any answer in them.
    private static func answered(_ value: JSONValue?) -> JSONValue? {
        guard let value, holdsAnswer(value) else { return Optional.none }
        return value
    }

    // Spelled out with `Bool`s: `JSONValue` is `ExpressibleByNilLiteral`, so a
    // bare `nil` next to a `JSONValue` would silently mean `.null`.
    private static func holdsAnswer(_ value: JSONValue) -> Bool {
        switch value {
        case .null: false
        case .object(let object): object.values.contains(where: holdsAnswer)
        case .array(let elements): elements.contains(where: holdsAnswer)
        case .bool, .number, .string: true
        }
    }

    // MARK: The form's order and labels

    /// Where a path sits in the form.
    private struct SortKey {
        enum Segment: Comparable {
            case index(Int)
            case ranked(Int)
            case text(String)
        }

        /// Paths the form knows come first, by the slot they belong to.
        var unknown: Bool
        var rank: Int
        var tail: [Segment]

        func precedes(_ other: SortKey) -> Bool {
            if unknown != other.unknown { return !unknown }
            if rank != other.rank { return rank < other.rank }
            return tail.lexicographicallyPrecedes(other.tail)
        }
    }

    /// The answer slots and fields of a definition by path, built once when
    /// the form loads (`SlotLayout.diffIndex`).
    struct PathIndex: Sendable {
        /// Field and cell slots (not period or round inputs) by path.
        var slotIndexByPath: [String: Int] = [:]
        /// Paths above slots (groups, grids, grid rows): the first slot below.
        var firstSlotBelow: [String: Int] = [:]
        /// Each path's field (the first in form order), for labels.
        var fieldIndexByPath: [String: Int] = [:]

        init() {}

        init(_ definition: FormDefinition) {
            for (index, slot) in definition.slots.enumerated() {
                switch slot.kind {
                case .field, .cell: break
                case .period, .roundInput: continue
                }
                slotIndexByPath[slot.path] = index
                var segments = slot.path.split(separator: ".")
                segments.removeLast()
                while !segments.isEmpty {
                    let prefix = segments.joined(separator: ".")
                    firstSlotBelow[prefix] = min(firstSlotBelow[prefix] ?? index, index)
                    segments.removeLast()
                }
            }
            for (index, field) in definition.fieldsInOrder.enumerated() where fieldIndexByPath[field.path] == nil {
                fieldIndexByPath[field.path] = index
            }
        }
    }

    /// A definition with its path index.
    private struct Layout {
        let definition: FormDefinition
        let index: PathIndex

        init(_ definition: FormDefinition) {
            self.definition = definition
            self.index = definition.layout.diffIndex
        }

        var slotIndexByPath: [String: Int] { index.slotIndexByPath }
        var firstSlotBelow: [String: Int] { index.firstSlotBelow }

        func field(atPath path: String) -> Field? {
            index.fieldIndexByPath[path].map { definition.fieldsInOrder[$0] }
        }

        /// The longest prefix of `segments` that is an answer slot.
        func slot(holding segments: [String]) -> (index: Int, length: Int)? {
            for length in stride(from: segments.count, through: 1, by: -1) {
                if let index = slotIndexByPath[segments[..<length].joined(separator: ".")] {
                    return (index, length)
                }
            }
            return nil
        }

        func field(ofSlot index: Int) -> Field? {
            definition.slots[index].fieldIndex.map { definition.fieldsInOrder[$0] }
        }

        /// A multichoice answer is one set of options, not a list of rows.
        func isWhole(_ segments: [String]) -> Bool {
            guard let index = slotIndexByPath[segments.joined(separator: ".")],
                  case .field = definition.slots[index].kind,
                  case .multiChoice = definition.slots[index].type else { return false }
            return true
        }

        func sortKey(_ segments: [String]) -> SortKey {
            if let found = slot(holding: segments) {
                let (index, length) = found
                let children = field(ofSlot: index)?.children ?? []
                let tail = segments[length...].enumerated().map { offset, segment in
                    // In a list of fields the segment after the item index is a field id.
                    if offset == 1, let rank = children.firstIndex(where: { $0.id == segment }) {
                        return SortKey.Segment.ranked(rank)
                    }
                    return Self.segment(segment)
                }
                return SortKey(unknown: false, rank: index, tail: tail)
            }
            if let first = firstSlotBelow[segments.joined(separator: ".")] {
                return SortKey(unknown: false, rank: first, tail: [])
            }
            return Self.unknownSortKey(segments)
        }

        static func unknownSortKey(_ segments: [String]) -> SortKey {
            SortKey(unknown: true, rank: 0, tail: segments.map(segment))
        }

        static func segment(_ text: String) -> SortKey.Segment {
            if let index = Self.index(text) { .index(index) } else { .text(text) }
        }

        /// An array index as the path writes it (`0`, `12`).
        static func index(_ text: some StringProtocol) -> Int? {
            guard !text.isEmpty, text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(text)
        }

        func label(_ segments: [String]) -> String? {
            func joined(_ parts: [String?]) -> String? {
                let present = parts.compactMap { $0 }
                return present.isEmpty ? nil : present.joined(separator: " – ")
            }
            if let found = slot(holding: segments) {
                let (index, length) = found
                guard let field = field(ofSlot: index) else { return nil }
                let tail = segments[length...]
                switch (definition.slots[index].kind, field.type) {
                case (.cell(_, let row, let column?), .grid(let rows, let columns, _)):
                    guard tail.isEmpty else { return nil }
                    return joined([field.label, rows.first { $0.id == row }?.label, columns.first { $0.id == column }?.label])
                case (.cell(_, let row, nil), .matrix(let rows, _)):
                    guard tail.isEmpty else { return nil }
                    return joined([field.label, rows.first { $0.id == row }?.label])
                case (.field, .list):
                    guard let position = tail.first else { return field.label }
                    guard let item = Self.index(position) else { return nil }
                    let row = "rad \(item + 1)"
                    if tail.count == 1 { return joined([field.label, row]) }
                    guard tail.count == 2, let child = field.children.first(where: { $0.id == tail.last }) else { return nil }
                    return joined([field.label, row, child.label])
                default:
                    return tail.isEmpty ? field.label : nil
                }
            }
            // A whole group, grid or grid row that changed kind.
            if let field = field(atPath: segments.joined(separator: ".")) { return field.label }
            if segments.count >= 2, let grid = field(atPath: segments.dropLast().joined(separator: ".")),
               case .grid(let rows, _, _) = grid.type, let row = rows.first(where: { $0.id == segments.last }) {
                return joined([grid.label, row.label])
            }
            return nil
        }
    }
}

private extension Optional<JSONValue> {
    /// Absent, as opposed to `.null` (see `AnswerDiff.holdsAnswer`).
    var isNone: Bool {
        if case .none = self { true } else { false }
    }
}
