import BlankettCore
import Foundation
import Testing

/// The real forms with Botkyrka's real answers (seed 003), and for every
/// rule a mutation of those answers that must trigger exactly that finding.
/// A mutation's `set` keys are answer paths, or `round.<input-id>` for a value of the
/// grant round (prefilled, read-only in the answers). `expect` lists the findings the
/// mutation adds; an optional `clear` lists the findings of the real answers it removes
/// (a rule Botkyrka's own answers break can only be shown by repairing them).
@Suite struct FormFixtureTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let forms = ["po-redovisning-2020", "po-ansokan-2021", "bemanning-aterrapportering-2020", "bemanning-rekvisition-2020"]

    struct Key: Hashable, CustomStringConvertible {
        let path: String
        let code: String
        let severity: String
        var description: String { "\(severity) \(code) @ \(path)" }
    }

    struct Mutation: CustomStringConvertible {
        let form: String
        let name: String
        let changes: [(String, JSONValue)]
        let expected: [Key]
        /// nil when the mutation does not say which findings it removes.
        let cleared: [Key]?
        var description: String { "\(form): \(name)" }
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
        case .failure(let failure): throw FixtureError(failure.description)
        }
    }

    static func context(_ form: String) throws -> ValidationContext {
        let round = try json("\(form)-botkyrka.round")
        return ValidationContext(round: round)
    }

    static func keys(_ value: JSONValue) -> [Key] {
        (value.arrayValue ?? []).map {
            Key(path: $0["path"]?.stringValue ?? "", code: $0["code"]?.stringValue ?? "", severity: $0["severity"]?.stringValue ?? "")
        }
    }

    static func keys(_ findings: [Finding]) -> [Key] {
        findings.map { Key(path: $0.path, code: $0.code, severity: $0.severity.rawValue) }
    }

    static var mutations: [Mutation] {
        forms.flatMap { form -> [Mutation] in
            guard let list = try? json("\(form)-mutations").arrayValue else { return [] }
            return list.map { entry in
                let changes = entry["set"]?.objectValue.map { Array($0).map { ($0.key, $0.value) } } ?? []
                return Mutation(form: form, name: entry["name"]?.stringValue ?? "?", changes: changes, expected: keys(entry["expect"] ?? .array([])),
                                cleared: entry["clear"].map { keys($0) })
            }
        }
    }

    /// The contact person of each seed form, not the kommun's own address or the signatory's.
    @Test func eachFormNamesItsContactPersonsEmail() throws {
        for (form, path, address) in [
            ("po-redovisning-2020", "epost", "jennifer.gavin1@botkyrka.se"),
            ("po-ansokan-2021", "kontakt.epost", "Jennifer.gavin1@botkyrka.se"),
            ("bemanning-aterrapportering-2020", "kontaktperson_epost", "merith.froberg@botkyrka.se"),
            ("bemanning-rekvisition-2020", "kontaktperson_epost", "merith.froberg@botkyrka.se"),
        ] {
            let definition = try Self.definition(form)
            #expect(definition.contactEmailPath == path, "\(form)")
            #expect(definition.contactEmail(in: try Self.json("\(form)-botkyrka"))?.address == address, "\(form)")
        }
    }

    @Test(arguments: forms)
    func theRealAnswersGetExactlyTheExpectedFindings(_ form: String) throws {
        let definition = try Self.definition(form)
        let result = definition.validate(try Self.json("\(form)-botkyrka"), context: try Self.context(form))
        let expected = Self.keys(try Self.json("\(form)-botkyrka.expected"))
        #expect(Set(Self.keys(result.findings)) == Set(expected), "\(result.findings)")
    }

    @Test(arguments: mutations)
    func eachMutationTriggersExactlyItsFinding(_ mutation: Mutation) throws {
        let definition = try Self.definition(mutation.form)
        let context = try Self.context(mutation.form)
        let original = try Self.json("\(mutation.form)-botkyrka")
        let baseline = Set(Self.keys(definition.validate(original, context: context).findings))
        var answers = original
        var mutatedContext = context
        for (path, value) in mutation.changes {
            // `round.<input>` changes the grant round's prefilled value instead (read-only in
            // the answers), so that rules over round inputs can be exercised too.
            if path.hasPrefix("round."), let input = definition.roundInputs.first(where: { "round.\($0.id)" == path }) {
                mutatedContext.roundInputs[input.id] = value == .null ? nil : value
                continue
            }
            answers = value == .null ? answers.removing(path: path) : answers.setting(path: path, to: value)
        }
        let findings = definition.validate(answers, context: mutatedContext).findings
        let added = Set(Self.keys(findings)).subtracting(baseline)
        #expect(added == Set(mutation.expected), "\(findings.filter { added.contains(Key(path: $0.path, code: $0.code, severity: $0.severity.rawValue)) })")
        if let cleared = mutation.cleared {
            #expect(baseline.subtracting(Self.keys(findings)) == Set(cleared))
        }
    }

    /// A round value the form reads, left out, misspelt or unreadable, is a
    /// blocking finding naming it: a check over it never passes silently.
    @Test(arguments: forms)
    func everyRoundValueIsRequired(_ form: String) throws {
        let definition = try Self.definition(form)
        let answers = try Self.json("\(form)-botkyrka")
        let context = try Self.context(form)
        for input in definition.roundInputs {
            var without = context
            without.roundInputs[input.id] = nil
            let missing = definition.validate(answers, context: without).findings.filter { $0.path == "round.\(input.id)" }
            #expect(missing.map(\.code) == ["round-input-missing"], "\(form): \(input.id)")
            #expect(missing.first?.severity == .error)
            #expect(missing.first?.message.contains(input.label) == true)
            #expect(definition.steps.contains { $0.id == missing.first?.step }, "reported on a step of the form")

            var misspelt = without
            misspelt.roundInputs[input.id + "x"] = context.roundInputs[input.id]
            let findings = definition.validate(answers, context: misspelt).findings
            #expect(findings.contains { $0.code == "round-input-unknown" && $0.path == "round.\(input.id)x" && $0.severity == .error }, "\(form): \(input.id)x")

            var unreadable = context
            unreadable.roundInputs[input.id] = .string("inte ett värde")
            let invalid = definition.validate(answers, context: unreadable).findings.filter { $0.path == "round.\(input.id)" }
            if case .text = Self.kind(of: input) {
                #expect(invalid.isEmpty, "text takes any value")
            } else {
                #expect(invalid.map(\.code) == ["round-input-invalid"], "\(form): \(input.id)")
            }
        }
    }

    /// Numbers and dates are read; any other round value is taken as text.
    enum InputKind { case text, other }
    static func kind(of input: RoundInput) -> InputKind {
        switch input.type {
        case .kronor, .integer, .decimal, .date: .other
        default: .text
        }
    }

    @Test func everyRuleOfEveryFormHasAMutation() throws {
        for form in Self.forms {
            let definition = try Self.definition(form)
            let ruleIDs = Set(definition.steps.flatMap { $0.rules.map(\.id) } + definition.fieldsInOrder.flatMap { $0.constraints.map(\.id) })
            let covered = Set(Self.mutations.filter { $0.form == form }.flatMap { ($0.expected + ($0.cleared ?? [])).map(\.code) })
            #expect(ruleIDs.subtracting(covered).isEmpty, "\(form): rules without a mutation: \(ruleIDs.subtracting(covered).sorted())")
        }
    }

    @Test func everyFormFileLoadsWithoutProblems() throws {
        let folder = Self.repository.appendingPathComponent("forms")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 4)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            if case .failure(let failure) = FormDefinition.load(text, file: "forms/\(file)") {
                Issue.record("\(failure)")
            }
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
