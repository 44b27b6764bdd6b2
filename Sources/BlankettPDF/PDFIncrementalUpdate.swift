import BlankettCore

/// A revision appended to a finished PDF (ISO 32000-1 §7.5.6): new and
/// replaced objects, their cross-reference section and a trailer pointing
/// back at the previous one. The bytes before it are never touched, which is
/// what keeps an earlier signature valid.
struct PDFIncrementalUpdate {
    private let file: PDFFile
    private var objects: [(number: Int, body: [UInt8])] = []
    private var nextNumber: Int

    init(_ file: PDFFile) {
        self.file = file
        nextNumber = file.size
    }

    /// A number for a new object, to reference before its body is known.
    mutating func reserveNumber() -> Int {
        defer { nextNumber += 1 }
        return nextNumber
    }

    /// Sets the body (a dictionary, or a dictionary with its stream) of a new
    /// or replaced object.
    mutating func set(_ number: Int, _ body: String) {
        set(number, Array(body.utf8))
    }

    mutating func set(_ number: Int, _ body: [UInt8]) {
        objects.removeAll { $0.number == number }
        objects.append((number, body))
    }

    /// The file with this revision appended, and where each object's body
    /// starts in it (for filling in a signature's placeholder).
    func written(identifier: String? = nil) -> (bytes: [UInt8], bodyOffsets: [Int: Int]) {
        var bytes = file.bytes
        if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        var offsets: [Int: Int] = [:]
        var bodyOffsets: [Int: Int] = [:]
        for (number, body) in objects.sorted(by: { $0.number < $1.number }) {
            offsets[number] = bytes.count
            bytes.append(contentsOf: "\(number) 0 obj\n".utf8)
            bodyOffsets[number] = bytes.count
            bytes.append(contentsOf: body)
            bytes.append(contentsOf: "\nendobj\n".utf8)
        }
        let xref = bytes.count
        var table = "xref\n"
        // One subsection per run of consecutive object numbers.
        let numbers = offsets.keys.sorted()
        var index = 0
        while index < numbers.count {
            var end = index
            while end + 1 < numbers.count, numbers[end + 1] == numbers[end] + 1 { end += 1 }
            table += "\(numbers[index]) \(end - index + 1)\n"
            for number in numbers[index...end] {
                table += Self.padded(offsets[number]!, width: 10) + " 00000 n \n"
            }
            index = end + 1
        }
        var trailer = "trailer\n<< /Size \(max(nextNumber, file.size)) /Root \(file.root) 0 R"
        if let info = file.info { trailer += " /Info \(info) 0 R" }
        if let identifier = identifier ?? file.identifier { trailer += " /ID \(identifier)" }
        trailer += " /Prev \(file.startXref) >>\nstartxref\n\(xref)\n%%EOF\n"
        bytes.append(contentsOf: (table + trailer).utf8)
        return (bytes, bodyOffsets)
    }

    static func padded(_ value: Int, width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// How PDF writes values Blankett puts into dictionaries.
enum PDFSyntax {
    /// A text string (ISO 32000-1 §7.9.2.2): UTF-16BE with a byte order mark,
    /// written in hex, so Swedish letters and parentheses need no escaping.
    static func textString(_ text: String) -> String {
        "<FEFF" + Hex.encode(text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }, uppercase: true) + ">"
    }

    /// A date (§7.9.4) in UTC: `(D:20210104091500Z)`.
    static func date(_ components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int)) -> String {
        let parts = [components.month, components.day, components.hour, components.minute, components.second]
            .map { PDFIncrementalUpdate.padded($0, width: 2) }
        return "(D:\(PDFIncrementalUpdate.padded(components.year, width: 4))\(parts.joined())Z)"
    }

    /// A stream object body: its dictionary with the length, then the bytes.
    static func stream(_ dictionaryEntries: String, _ data: [UInt8]) -> [UInt8] {
        Array("<< \(dictionaryEntries) /Length \(data.count) >>\nstream\n".utf8) + data + Array("\nendstream".utf8)
    }

    /// A dictionary's text with entries added before its closing `>>`; a
    /// newline first, in case the last line ends in a comment.
    static func adding(_ entries: String, to dictionary: String) -> String {
        String(dictionary.dropLast(2)) + "\n   " + entries + "\n>>"
    }

    /// Just past the `)` that closes the literal string opening at `start`:
    /// balanced parentheses and backslash escapes (ISO 32000-1 §7.3.4.2).
    static func endOfLiteralString(_ bytes: [UInt8], from start: Int, limit: Int) -> Int {
        var depth = 0
        var index = start
        while index < limit {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 1
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return index + 1 }
            default: break
            }
            index += 1
        }
        return limit
    }
}
