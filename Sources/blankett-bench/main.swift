// Measures validation speed on the real forms and Botkyrka's real answers.
// Run from the repository root: `swift run -c release blankett-bench`.
import BlankettCore
import Foundation

struct Case {
    let form: String
    let answers: String
    let round: String
}

let root = ProcessInfo.processInfo.environment["BLANKETT_ROOT"] ?? FileManager.default.currentDirectoryPath
let fixtures = root + "/Tests/BlankettCoreTests/Fixtures"
let cases = [
    Case(form: "po-redovisning-2020", answers: "po-redovisning-2020-botkyrka", round: "po-redovisning-2020-botkyrka.round"),
    Case(form: "po-ansokan-2021", answers: "po-ansokan-2021-botkyrka", round: "po-ansokan-2021-botkyrka.round"),
    Case(form: "bemanning-aterrapportering-2020", answers: "bemanning-aterrapportering-2020-botkyrka", round: "bemanning-aterrapportering-2020-botkyrka.round"),
]

func read(_ path: String) -> String {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(2)
    }
    return text
}

func context(from roundText: String) -> ValidationContext {
    guard let round = try? JSONValue.parse(roundText) else { return ValidationContext() }
    return ValidationContext(round: round)
}

/// Median of `rounds` timings, each over `iterations` runs of `body`, in µs per run.
func measure(rounds: Int = 25, iterations: Int, _ body: () -> Void) -> (median: Double, best: Double) {
    for _ in 0..<iterations { body() }
    var perRun: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<rounds {
        let elapsed = clock.measure { for _ in 0..<iterations { body() } }
        let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        perRun.append(nanoseconds / 1000 / Double(iterations))
    }
    perRun.sort()
    return (perRun[perRun.count / 2], perRun[0])
}

// For a profiler: BLANKETT_BENCH_PROFILE=parse|read|validate loops that
// phase of the PO redovisning for five seconds and prints nothing else.
if let phase = ProcessInfo.processInfo.environment["BLANKETT_BENCH_PROFILE"] {
    let entry = cases[0]
    let path = "\(root)/forms/\(entry.form).yaml"
    guard case .success(let definition) = FormDefinition.load(read(path), file: path),
          let json = try? JSONValue.parse(read("\(fixtures)/\(entry.answers).json")) else { exit(2) }
    let text = read("\(fixtures)/\(entry.answers).json")
    let context = context(from: read("\(fixtures)/\(entry.round).json"))
    let answers = definition.read(json)
    let end = ContinuousClock.now + .seconds(5)
    while ContinuousClock.now < end {
        for _ in 0..<100 {
            switch phase {
            case "parse": _ = try? JSONValue.parse(text)
            case "read": _ = definition.read(json)
            default: _ = definition.validate(answers, context: context)
            }
        }
    }
    exit(0)
}

print("Blankett validation benchmark (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
print("form                              slots  findings  validate µs (median / best)  validations/s  JSON→findings µs  (parse  read)")
for entry in cases {
    let path = "\(root)/forms/\(entry.form).yaml"
    guard case .success(let definition) = FormDefinition.load(read(path), file: path) else {
        print("\(entry.form): does not load (run `blankett forms check`)")
        continue
    }
    let answersText = read("\(fixtures)/\(entry.answers).json")
    let context = context(from: read("\(fixtures)/\(entry.round).json"))
    guard let json = try? JSONValue.parse(answersText) else { continue }
    let answers = definition.read(json)
    let findings = definition.validate(answers, context: context).findings.count
    // Many short rounds: on a shared machine the median over them shrugs off
    // the rounds another process happened to disturb.
    let validate = measure(rounds: 61, iterations: 1000) { _ = definition.validate(answers, context: context) }
    let full = measure(iterations: 500) {
        if let parsed = try? JSONValue.parse(answersText) { _ = definition.validate(parsed, context: context) }
    }
    let parse = measure(iterations: 500) { _ = try? JSONValue.parse(answersText) }
    let read = measure(iterations: 500) { _ = definition.read(json) }
    let name = entry.form.padding(toLength: 33, withPad: " ", startingAt: 0)
    print(name, String(format: "%5d  %8d  %10.2f / %-10.2f      %12.0f  %10.2f        %6.2f %6.2f",
                       definition.slots.count, findings, validate.median, validate.best, 1e6 / validate.median, full.median,
                       parse.median, read.median))
}
