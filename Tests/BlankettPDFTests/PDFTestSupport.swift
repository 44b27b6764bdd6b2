import BlankettCore
import BlankettPDF
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real forms and Botkyrka's answers (the core's fixtures), and poppler's
/// command-line tools run through system(3) on temporary files.
enum PDFTestSupport {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/BlankettCoreTests/Fixtures")
    static let forms = ["po-redovisning-2020", "po-ansokan-2021", "bemanning-aterrapportering-2020"]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func json(_ name: String) throws -> JSONValue {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(name + ".json"))
        return try JSONValue.parse(Array(data))
    }

    static func definition(_ form: String) throws -> FormDefinition {
        let path = "forms/\(form).yaml"
        let text = try String(contentsOf: repository.appendingPathComponent(path), encoding: .utf8)
        switch FormDefinition.load(text, file: path) {
        case .success(let definition): return definition
        case .failure(let failure): throw Failure(description: failure.description)
        }
    }

    static func context(_ form: String) throws -> ValidationContext {
        let round = try json("\(form)-botkyrka.round")
        return ValidationContext(round: round)
    }

    static let signature = SignatureLine(
        sequence: 1, name: "Jennifer Gavin", title: "Stöd- och utvecklingschef",
        signedAt: "2021-01-04T09:15:00Z",
        snapshotSHA256Hex: "9f2c4e1b7a3d5f60812b9c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f",
        verificationCode: "K7QX-2M4P-9TRB-4HW2-Q8ZD"
    )

    static func input(_ form: String, answers: JSONValue? = nil, signatures: [SignatureLine] = [signature]) throws -> FormPDFInput {
        FormPDFInput(
            definition: try definition(form),
            answers: try answers ?? json("\(form)-botkyrka"),
            context: try context(form),
            organisationName: "Botkyrka kommun",
            organisationsnummer: "212000-2882",
            namndDiarienummer: "SN 2021:1",
            authorityDiarienummer: nil,
            signatures: signatures
        )
    }

    /// Writes `pdf` to a temporary file and returns the path.
    static func write(_ pdf: [UInt8], name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blankett-pdf-tests-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name + ".pdf")
        try Data(pdf).write(to: file)
        return file.path
    }

    /// Runs `command` through system(3); throws unless it exits 0.
    static func run(_ command: String) throws {
        let status = system(command)
        guard status == 0 else { throw Failure(description: "`\(command)` exited with status \(status)") }
    }

    /// `pdftotext -layout` of the PDF.
    static func text(of pdf: [UInt8], name: String) throws -> String {
        let path = try write(pdf, name: name)
        try run("pdftotext -layout '\(path)' '\(path).txt'")
        return try String(contentsOfFile: path + ".txt", encoding: .utf8)
    }

    /// `pdftotext` without `-layout`: the text in the order poppler reads it.
    static func plainText(of pdf: [UInt8], name: String) throws -> String {
        let path = try write(pdf, name: name)
        try run("pdftotext '\(path)' '\(path).plain.txt'")
        return try String(contentsOfFile: path + ".plain.txt", encoding: .utf8)
    }

    /// One element of a tagged PDF's structure tree as `pdfinfo -struct-text` prints it.
    struct StructureElement {
        var type: String
        /// The text of its own marked content.
        var text = ""
        /// Its attributes as pdfinfo prints them: `/Scope` → `/Row`.
        var attributes: [String: String] = [:]
        var children: [StructureElement] = []

        /// Its text and its descendants', in reading order.
        var allText: String {
            ([text] + children.map(\.allText)).filter { !$0.isEmpty }.joined(separator: " ")
        }

        /// It and every descendant of type `type`, in reading order.
        func all(_ type: String) -> [StructureElement] {
            (self.type == type ? [self] : []) + children.flatMap { $0.all(type) }
        }
    }

    /// The structure tree (`pdfinfo -struct-text`), under a root of type "StructTreeRoot".
    static func structure(of pdf: [UInt8], name: String) throws -> StructureElement {
        let path = try write(pdf, name: name)
        try run("pdfinfo -struct-text '\(path)' > '\(path).struct' 2>/dev/null")
        return parseStructure(try String(contentsOfFile: path + ".struct", encoding: .utf8))
    }

    /// Two spaces of indent per level; an element is its type with an optional
    /// " (block)" or " (inline)", its content a quoted line.
    static func parseStructure(_ output: String) -> StructureElement {
        var stack: [(depth: Int, element: StructureElement)] = [(-1, StructureElement(type: "StructTreeRoot"))]
        func close(above depth: Int) {
            while let last = stack.last, last.depth >= depth {
                stack.removeLast()
                stack[stack.count - 1].element.children.append(last.element)
            }
        }
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            let depth = line.prefix(while: { $0 == " " }).count / 2
            let content = line.drop(while: { $0 == " " })
            if content.hasPrefix("/") {
                // An attribute of the element just opened (`TH:` then `/Scope /Row`).
                let parts = content.split(separator: " ", maxSplits: 1)
                stack[stack.count - 1].element.attributes[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            } else if content.hasPrefix("\""), content.hasSuffix("\""), content.count >= 2 {
                close(above: depth)
                let text = String(content.dropFirst().dropLast())
                let owner = stack.count - 1
                stack[owner].element.text += stack[owner].element.text.isEmpty ? text : " " + text
            } else {
                close(above: depth)
                let type = content.split(separator: " ").first.map { String($0.hasSuffix(":") ? $0.dropLast() : $0) } ?? ""
                stack.append((depth, StructureElement(type: type)))
            }
        }
        close(above: 0)
        return stack[0].element
    }

    /// `pdfinfo` of the PDF, as key → value.
    static func info(of pdf: [UInt8], name: String) throws -> [String: String] {
        let path = try write(pdf, name: name)
        try run("pdfinfo '\(path)' > '\(path).info' 2>/dev/null")
        let text = try String(contentsOfFile: path + ".info", encoding: .utf8)
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            result[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return result
    }

    /// The text with runs of white space made single spaces, for phrases that wrap.
    static func flattened(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\u{0C}" }).joined(separator: " ")
    }

    /// The answers with one top-level key removed or replaced.
    static func changing(_ answers: JSONValue, _ key: String, to value: JSONValue?) -> JSONValue {
        guard case .object(var object) = answers else { return answers }
        if let value { _ = object.updateValue(value, forKey: key) } else { _ = object.removeValue(forKey: key) }
        return .object(object)
    }
}
