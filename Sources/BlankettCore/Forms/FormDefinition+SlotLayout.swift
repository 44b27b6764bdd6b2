/// Where each field's answers live, worked out once when a form loads so that
/// validation never builds path strings or splits them (it runs on every save).
struct FieldSlotLayout: Sendable {
    /// Every answer of the field with its slot, in row-major order.
    let answers: [(path: String, slot: Int)]
    /// Grids and matrices: the slots of each row, in the order of the rows.
    let rows: [[Int]]
}

struct SlotLayout: Sendable {
    /// By field identity: hashing an object identifier is cheaper than a path.
    var fields: [ObjectIdentifier: FieldSlotLayout] = [:]
    /// Paths that hold answers below them (groups, grids, grid rows), for
    /// telling nested objects from unknown keys.
    var containerPaths: Set<String> = []
    /// Each slot's path split into its segments.
    var segments: [[String]] = []

    init() {}

    init(_ definition: FormDefinition) {
        for field in definition.allFields {
            var answers: [(String, Int)] = []
            var rows: [[Int]] = []
            switch field.type {
            case .grid(let gridRows, let columns, _):
                for row in gridRows {
                    var cells: [Int] = []
                    for column in columns {
                        let path = "\(field.path).\(row.id).\(column.id)"
                        if let slot = definition.slot(forPath: path) {
                            answers.append((path, slot))
                            cells.append(slot)
                        }
                    }
                    rows.append(cells)
                }
            case .matrix(let matrixRows, _):
                for row in matrixRows {
                    let path = "\(field.path).\(row.id)"
                    let slot = definition.slot(forPath: path)
                    if let slot { answers.append((path, slot)) }
                    rows.append(slot.map { [$0] } ?? [])
                }
            default:
                if let slot = definition.slot(forPath: field.path) { answers.append((field.path, slot)) }
            }
            fields[ObjectIdentifier(field)] = FieldSlotLayout(answers: answers, rows: rows)
        }
        for slot in definition.slots {
            var parts = slot.path.split(separator: ".").map(String.init)
            segments.append(parts)
            parts.removeLast()
            while !parts.isEmpty {
                containerPaths.insert(parts.joined(separator: "."))
                parts.removeLast()
            }
        }
    }
}
