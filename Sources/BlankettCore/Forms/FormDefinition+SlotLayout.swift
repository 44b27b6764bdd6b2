/// Where answers live and what validation does with them, worked out once
/// when a form loads so that reading and validating answers (on every save)
/// never build path strings, split them or walk the form's steps.
struct SlotLayout: Sendable {
    /// One key of the answers' JSON tree: the slot whose answer sits at it
    /// (`noSlot` if none) and its children, `edgeKeys`/`edgeNodes` from
    /// `firstEdge`. Node 0 is the top-level object. Plain integers, so that
    /// walking the tree (on every read of answers) counts no references.
    struct KeyNode: Sendable {
        var slot: Int
        var firstEdge: Int
        var edgeCount: Int
    }

    static let noSlot = -1
    var keyNodes: [KeyNode] = [KeyNode(slot: noSlot, firstEdge: 0, edgeCount: 0)]
    var edgeKeys: [String] = []
    var edgeNodes: [Int] = []
    /// For nodes of many keys (the top level, large groups): key → child.
    var edgeIndex: [Int: [String: Int]] = [:]
    /// The steps, fields and rules flattened for validation.
    var validationPlan = ValidationPlan()
    /// Slots and fields by path, for ordering and labelling answer changes.
    var diffIndex = AnswerDiff.PathIndex()

    init() {}

    init(_ definition: FormDefinition) {
        var slots = [Int?(nil)]
        var children: [[(key: String, node: Int)]] = [[]]
        for (index, slot) in definition.slots.enumerated() {
            var node = 0
            for segment in slot.path.split(separator: ".").map(String.init) {
                if let child = children[node].first(where: { $0.key == segment }) {
                    node = child.node
                } else {
                    slots.append(nil)
                    children.append([])
                    children[node].append((segment, slots.count - 1))
                    node = slots.count - 1
                }
            }
            slots[node] = index
        }
        keyNodes = []
        for node in slots.indices {
            keyNodes.append(KeyNode(slot: slots[node] ?? Self.noSlot, firstEdge: edgeKeys.count, edgeCount: children[node].count))
            edgeKeys += children[node].map(\.key)
            edgeNodes += children[node].map(\.node)
            if children[node].count > 8 {
                edgeIndex[node] = Dictionary(uniqueKeysWithValues: children[node].map { ($0.key, $0.node) })
            }
        }
        validationPlan = ValidationPlan(definition)
        diffIndex = AnswerDiff.PathIndex(definition)
    }

    /// The node below `node` at `key`.
    func child(of node: Int, _ key: String) -> Int? {
        let entry = keyNodes[node]
        if entry.edgeCount > 8 { return edgeIndex[node]?[key] }
        for edge in entry.firstEdge..<(entry.firstEdge + entry.edgeCount) where edgeKeys[edge] == key {
            return edgeNodes[edge]
        }
        return nil
    }
}
