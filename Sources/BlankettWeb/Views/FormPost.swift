import BlankettCore

/// An `application/x-www-form-urlencoded` body: names may repeat (checkboxes).
///
/// The values are indexed by name once, so parsing and reading a post take
/// time linear in its size: a page reads a few hundred names, and a post may
/// carry tens of thousands of pairs.
struct FormPost: Sendable {
    let pairs: [(name: String, value: String)]
    /// Each name's values, in the order sent.
    private let values: [String: [String]]

    enum ParseError: Error { case invalidEncoding }

    init(pairs: [(name: String, value: String)]) {
        self.pairs = pairs
        values = Dictionary(grouping: pairs, by: \.name).mapValues { $0.map(\.value) }
    }

    init(body bytes: [UInt8]) throws {
        var pairs: [(name: String, value: String)] = []
        for part in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let pieces = part.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(pieces[0])
            let value = pieces.count > 1 ? try Self.decode(pieces[1]) : ""
            pairs.append((name, value))
        }
        self.init(pairs: pairs)
    }

    /// The first value sent under `name`.
    subscript(name: String) -> String? { values[name]?.first }

    /// Every value sent under `name`, in order (a multichoice's ticked boxes).
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// The item numbers of the list at `path` that the post names: `path.3`
    /// or `path.3.anything` gives 3. One pass over the names.
    private func listIndices(_ path: String) -> Set<Int> {
        let start = path + "."
        var indices: Set<Int> = []
        for name in values.keys where name.hasPrefix(start) {
            let rest = name.dropFirst(start.count)
            let number = rest.prefix { $0 != "." }
            // "\(path).\(index)" is written without sign or leading zeros.
            if let index = Int(number), String(index) == number { indices.insert(index) }
        }
        return indices
    }

    /// Percent-decoding with `+` as space; invalid escapes or UTF-8 are refused, not guessed.
    static func decode(_ bytes: some Collection<UInt8>) throws -> String {
        var output: [UInt8] = []
        var iterator = Array(bytes).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): output.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hex), let low = iterator.next().flatMap(hex) else { throw ParseError.invalidEncoding }
                output.append(high << 4 | low)
            default: output.append(byte)
            }
        }
        guard let text = String(validating: output, as: UTF8.self) else { throw ParseError.invalidEncoding }
        return text
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The answers of one step in the answers-JSON shape, from the inputs the
    /// step page sent. Fields left empty are left out (unanswered);
    /// read-only fields are never taken from a post.
    /// A list with more rows than the form allows (`max_items`, or
    /// `maximumListRows` without one) is refused (`invalid-input`, 422), not cut.
    func answers(for fields: [Field]) throws -> JSONObject {
        var object = JSONObject()
        for field in fields {
            if let value = try answer(field) { _ = object.updateValue(value, forKey: field.id) }
        }
        return object
    }

    /// The most rows a list without its own `max_items` may have in a page's post.
    static let maximumListRows = 500

    private func answer(_ field: Field) throws -> JSONValue? {
        if field.isReadOnly { return nil }
        switch field.type {
        case .info:
            return nil
        case .group:
            let children = try answers(for: field.children)
            return children.isEmpty ? nil : .object(children)
        case .yesNo:
            switch self[field.path] {
            case "ja": return .bool(true)
            case "nej": return .bool(false)
            default: return nil
            }
        case .multiChoice:
            let chosen = all(field.path).filter { !$0.isEmpty }
            return chosen.isEmpty ? nil : .array(chosen.map(JSONValue.string))
        case .matrix(let rows, _):
            let object = JSONObject(uniqueKeysWithValues: rows.compactMap { row in
                nonEmpty(self["\(field.path).\(row.id)"]).map { (row.id, JSONValue.string($0)) }
            })
            return object.isEmpty ? nil : .object(object)
        case .grid(let rows, let columns, _):
            let object = JSONObject(uniqueKeysWithValues: rows.compactMap { row -> (String, JSONValue)? in
                let cells = JSONObject(uniqueKeysWithValues: columns.compactMap { column in
                    nonEmpty(self["\(field.path).\(row.id).\(column.id)"]).map { (column.id, JSONValue.string($0)) }
                })
                return cells.isEmpty ? nil : (row.id, .object(cells))
            })
            return object.isEmpty ? nil : .object(object)
        case .list(let item, _, let maxItems):
            var items: [JSONValue] = []
            let sent = listIndices(field.path)
            var rows = 0
            while sent.contains(rows) { rows += 1 }
            let limit = maxItems ?? Self.maximumListRows
            guard rows <= limit else {
                var error = CaseError(.invalidInput, "\(field.label ?? field.path) får ha högst \(limit) rader; formuläret skickade \(rows). Inget har sparats.")
                error.parameter = field.path
                throw error
            }
            for index in 0..<rows {
                let prefix = "\(field.path).\(index)"
                if item != nil {
                    if let value = nonEmpty(self[prefix]) { items.append(.string(value)) }
                } else {
                    let parts = JSONObject(uniqueKeysWithValues: field.children.compactMap { child in
                        nonEmpty(self["\(prefix).\(child.id)"]).map { (child.id, JSONValue.string($0)) }
                    })
                    if !parts.isEmpty { items.append(.object(parts)) }
                }
            }
            return items.isEmpty ? nil : .array(items)
        default:
            return nonEmpty(self[field.path]).map(JSONValue.string)
        }
    }

    private func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.allSatisfy(\.isWhitespace) else { return nil }
        return text
    }
}
