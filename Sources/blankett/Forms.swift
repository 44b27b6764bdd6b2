import ArgumentParser
import BlankettCore
import Foundation

struct Forms: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check form definitions and validate answers against them.",
        subcommands: [Check.self, Validate.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load every forms/*.yaml and report every problem as file:line:col.")

        @Argument(help: "Folder of form definitions.")
        var directory: String = "forms"

        func run() throws {
            let files: [String]
            do {
                files = try FileManager.default.contentsOfDirectory(atPath: directory)
                    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            } catch {
                throw ValidationError("cannot read folder \(directory)")
            }
            var errorCount = 0
            var seen: [String: String] = [:]
            for name in files {
                let path = directory.hasSuffix("/") ? directory + name : "\(directory)/\(name)"
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    print("\(path):1:1: error: cannot read the file as UTF-8")
                    errorCount += 1
                    continue
                }
                switch FormDefinition.load(text, file: path) {
                case .success(let definition):
                    for warning in FormDefinition.warnings(text, file: path) { print(warning) }
                    if let other = seen[definition.id] {
                        print("\(path):1:1: error: form \(definition.id) is also defined in \(other) [duplicate-form]")
                        errorCount += 1
                    }
                    if !name.hasPrefix(definition.id + ".") {
                        print("\(path):1:1: error: the file of form \(definition.id) must be named \(definition.id).yaml [file-name]")
                        errorCount += 1
                    }
                    seen[definition.id] = path
                    let answerable = definition.slots.filter { if case .field = $0.kind { true } else if case .cell = $0.kind { true } else { false } }
                    print("\(path): ok: \(definition.id), \(definition.steps.count) steps, \(answerable.count) answers")
                case .failure(let failure):
                    for diagnostic in failure.diagnostics { print(diagnostic) }
                    errorCount += failure.diagnostics.filter { $0.severity == .error }.count
                }
            }
            if errorCount > 0 {
                print("\(errorCount) error(s) in \(files.count) form file(s).")
                throw ExitCode(1)
            }
            print("\(files.count) form file(s), no errors.")
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate an answers JSON file; print the findings as JSON. Exit 1 when any is an error."
        )

        @Argument(help: "The form definition (forms/<form>-<version>.yaml).")
        var formFile: String

        @Argument(help: "Answers as JSON (shape: docs/form-format.md).")
        var answersFile: String

        @Option(help: "Last day of the reported period (YYYY-MM-DD); the period is that calendar year unless --period-start is given.")
        var periodEnd: String?

        @Option(help: "First day of the reported period (YYYY-MM-DD).")
        var periodStart: String?

        @Option(help: "Grant-round values as JSON, by the ids of the form's round_inputs: {\"beviljat_statsbidrag\": 1127386, …}. A value the form declares and the JSON lacks, or a key the form does not declare, is an error finding.")
        var round: String?

        func run() throws {
            guard let text = try? String(contentsOfFile: formFile, encoding: .utf8) else {
                throw ValidationError("cannot read \(formFile)")
            }
            let definition: FormDefinition
            switch FormDefinition.load(text, file: formFile) {
            case .success(let loaded): definition = loaded
            case .failure(let failure):
                print(failure)
                throw ExitCode(2)
            }
            guard let data = FileManager.default.contents(atPath: answersFile) else {
                throw ValidationError("cannot read \(answersFile)")
            }
            let answers: JSONValue
            do {
                answers = try JSONValue.parse(Array(data))
            } catch {
                throw ValidationError("\(answersFile): \(error.message)")
            }
            var context = ValidationContext()
            if let periodEnd {
                guard case .success(let end) = LocalDate.parse(periodEnd) else { throw ValidationError("--period-end must be YYYY-MM-DD") }
                context.periodEnd = end
                context.periodStart = LocalDate(year: end.year, month: 1, day: 1)
            }
            if let periodStart {
                guard case .success(let start) = LocalDate.parse(periodStart) else { throw ValidationError("--period-start must be YYYY-MM-DD") }
                context.periodStart = start
            }
            if let round {
                guard let json = try? JSONValue.parse(round), case .object(let object) = json else {
                    throw ValidationError("--round must be a JSON object")
                }
                context.roundInputs = Dictionary(uniqueKeysWithValues: object.map { ($0.key, $0.value) })
            }
            let result = definition.validate(answers, context: context)
            let findings = JSONValue.array(result.findings.map { .object($0.json) })
            print(findings.prettyPrinted())
            if !result.isValid { throw ExitCode(1) }
        }
    }
}
