// `swift run -c release blankett-pdf-bench [N] [forms-folder] [fixtures-folder]`:
// renders Botkyrka's PO redovisning 2020 N times (default 50) and prints the
// median milliseconds per PDF and the PDF's size. Run from the repository root.
import BlankettCore
import BlankettPDF
import Foundation

let arguments = CommandLine.arguments
let iterations = arguments.count > 1 ? Int(arguments[1]) ?? 50 : 50
let forms = arguments.count > 2 ? arguments[2] : "forms"
let fixtures = arguments.count > 3 ? arguments[3] : "Tests/BlankettCoreTests/Fixtures"

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

func readJSON(_ path: String) -> JSONValue {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    do { return try JSONValue.parse(Array(data)) } catch { fail("\(path): \(error)") }
}

let formFile = "\(forms)/po-redovisning-2020.yaml"
guard let formText = try? String(contentsOfFile: formFile, encoding: .utf8) else { fail("cannot read \(formFile)") }
let definition: FormDefinition
switch FormDefinition.load(formText, file: formFile) {
case .success(let loaded): definition = loaded
case .failure(let failure): fail(failure.description)
}
let answers = readJSON("\(fixtures)/po-redovisning-2020-botkyrka.json")
let round = readJSON("\(fixtures)/po-redovisning-2020-botkyrka.round.json")
let context = ValidationContext(round: round)
let input = FormPDFInput(
    definition: definition, answers: answers, context: context,
    organisationName: "Botkyrka kommun", organisationsnummer: "212000-2882",
    namndDiarienummer: "SN 2021:1", authorityDiarienummer: "821-12345-2020",
    signatures: [SignatureLine(sequence: 1, name: "Jennifer Gavin", title: "Stöd- och utvecklingschef",
                               signedAt: "2021-01-04T09:15:00Z",
                               snapshotSHA256Hex: String(repeating: "ab", count: 32), verificationCode: "K7QX-2M4P-9TRB")]
)

let clock = ContinuousClock()
var size = 0
var milliseconds: [Double] = []
do {
    size = try PDFRenderer.renderForm(input).count  // warm-up: fontconfig and font loading
    for _ in 0..<iterations {
        var bytes: [UInt8] = []
        let elapsed = try clock.measure { bytes = try PDFRenderer.renderForm(input) }
        size = bytes.count
        milliseconds.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
    }
} catch {
    fail("render failed: \(error)")
}
milliseconds.sort()
let median = milliseconds.isEmpty ? 0 : milliseconds[milliseconds.count / 2]
print("po-redovisning-2020 (Botkyrka): \(iterations) renders, median \(String(format: "%.1f", median)) ms per PDF, min \(String(format: "%.1f", milliseconds.first ?? 0)) ms, max \(String(format: "%.1f", milliseconds.last ?? 0)) ms; size \(size) bytes (\(size / 1024) KiB)")
