// `swift run -c release blankett-pdf-bench [N] [forms-folder] [fixtures-folder]`:
// renders Botkyrka's PO redovisning 2020 N times (default 50), alone and then
// signed by its two signatories (two PAdES revisions, a development P-256
// seal), and prints the median milliseconds per PDF and the sizes. Run from
// the repository root.
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
                               snapshotSHA256Hex: String(repeating: "ab", count: 32), verificationCode: "K7QX-2M4P-9TRB"),
                 SignatureLine(sequence: 2, name: "Åsa Öberg", title: "Socialdirektör", signedAt: "2021-01-05T13:02:00Z",
                               snapshotSHA256Hex: String(repeating: "cd", count: 32), verificationCode: "Q8ZD-K7QX-2M4P")]
)
let seal: PDFSeal
do {
    let files = try PDFSeal.development(organisation: "Botkyrka kommun", now: Date())
    seal = try PDFSeal(certificatesPEM: files.certificatesPEM, privateKeyPEM: files.privateKeyPEM)
} catch {
    fail("no development seal: \(error)")
}
let signatories = [PDFSignatory(name: "Jennifer Gavin", signedAt: Date(timeIntervalSince1970: 1_609_751_700)),
                   PDFSignatory(name: "Åsa Öberg", signedAt: Date(timeIntervalSince1970: 1_609_851_720))]

func renderAndSign() throws -> [UInt8] {
    try signatories.reduce(try PDFRenderer.renderForm(input)) { pdf, signatory in try seal.sign(pdf, for: signatory) }
}

let clock = ContinuousClock()

/// Median, minimum and maximum milliseconds of `iterations` runs, and the last result's size.
func measure(_ body: () throws -> [UInt8]) -> (median: Double, min: Double, max: Double, size: Int) {
    var size = 0
    var milliseconds: [Double] = []
    do {
        size = try body().count  // warm-up: fontconfig and font loading
        for _ in 0..<iterations {
            var bytes: [UInt8] = []
            let elapsed = try clock.measure { bytes = try body() }
            size = bytes.count
            milliseconds.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
    } catch {
        fail("render failed: \(error)")
    }
    milliseconds.sort()
    return (milliseconds.isEmpty ? 0 : milliseconds[milliseconds.count / 2], milliseconds.first ?? 0, milliseconds.last ?? 0, size)
}

func line(_ label: String, _ figures: (median: Double, min: Double, max: Double, size: Int)) -> String {
    "\(label): \(iterations) runs, median \(String(format: "%.1f", figures.median)) ms per PDF, min \(String(format: "%.1f", figures.min)) ms, "
        + "max \(String(format: "%.1f", figures.max)) ms; size \(figures.size) bytes (\(figures.size / 1024) KiB)"
}

print(line("po-redovisning-2020 (Botkyrka), rendered", measure { try PDFRenderer.renderForm(input) }))
print(line("po-redovisning-2020 (Botkyrka), rendered and signed twice (PAdES, P-256)", measure(renderAndSign)))
