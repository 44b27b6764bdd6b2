import Foundation
import Testing

/// Runs the built `blankett` executable as a user would.
@Suite struct FormsCommandTests {
    static let form = """
        form: prov
        version: 2020
        kind: redovisning
        title: Prov
        grant: prov
        authority: lansstyrelsen
        steps:
          - id: ekonomi
            title: Ekonomi
            fields:
              - { id: beviljat, type: kronor, label: Beviljat, required: true }
              - id: forbrukat
                type: kronor
                label: Förbrukat
                required: true
                constraint: ". <= ${beviljat}"
                constraint_code: forbrukat-over-beviljat
                constraint_message: "Förbrukat ({.}) får inte överstiga beviljat ({${beviljat}})."
        """

    @Test func checkIsCleanOnTheRepositoryForms() async throws {
        let run = try await BlankettProcess.run("forms", "check", "forms")
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("no errors"))
    }

    @Test func checkReportsEveryProblemWithFileLineAndColumn() async throws {
        let folder = try BlankettProcess.temporaryFolder()
        let broken = Self.form
            .replacingOccurrences(of: ". <= ${beviljat}", with: ". <= ${beviljad}")
            .replacingOccurrences(of: "required: true\n        constraint", with: "requierd: true\n        constraint")
        try broken.write(to: folder.appendingPathComponent("prov-2020.yaml"), atomically: true, encoding: .utf8)
        let run = try await BlankettProcess.run("forms", "check", folder.path)
        #expect(run.status == 1)
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(folder.path + "/prov-2020.yaml:15:9: error: unknown key 'requierd'") }, "\(run.output)")
        #expect(lines.contains { $0.hasPrefix(folder.path + "/prov-2020.yaml:16:27: error: unknown field 'beviljad'") && $0.hasSuffix("[unknown-reference]") }, "\(run.output)")
    }

    @Test func checkReportsAContactEmailThatIsNoEmailField() async throws {
        let folder = try BlankettProcess.temporaryFolder()
        for (name, path) in [("kronor", "beviljat"), ("saknas", "kontakt.epost")] {
            let form = Self.form.replacingOccurrences(of: "authority: lansstyrelsen\n", with: "authority: lansstyrelsen\ncontact_email: \(path)\n")
                .replacingOccurrences(of: "form: prov", with: "form: prov-\(name)")
            try form.write(to: folder.appendingPathComponent("prov-\(name)-2020.yaml"), atomically: true, encoding: .utf8)
        }
        let run = try await BlankettProcess.run("forms", "check", folder.path)
        #expect(run.status == 1)
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(folder.path + "/prov-kronor-2020.yaml:7:16: error: contact_email must name an email field, but 'beviljat' is a kronor field") }, "\(run.output)")
        #expect(lines.contains { $0.hasPrefix(folder.path + "/prov-saknas-2020.yaml:7:16: error: contact_email names 'kontakt.epost'") && $0.hasSuffix("[unknown-reference]") }, "\(run.output)")
    }

    @Test func validatePrintsFindingsAsJSONAndExitsByErrors() async throws {
        let folder = try BlankettProcess.temporaryFolder()
        let formFile = folder.appendingPathComponent("prov-2020.yaml")
        try Self.form.write(to: formFile, atomically: true, encoding: .utf8)
        let good = folder.appendingPathComponent("good.json")
        try #"{"beviljat": "1 127 386", "forbrukat": 1000000}"#.write(to: good, atomically: true, encoding: .utf8)
        let bad = folder.appendingPathComponent("bad.json")
        try #"{"beviljat": "1 127 386 kr", "forbrukat": "1 200 000"}"#.write(to: bad, atomically: true, encoding: .utf8)

        let passing = try await BlankettProcess.run("forms", "validate", formFile.path, good.path, "--period-end", "2020-12-31")
        #expect(passing.status == 0, "\(passing.output)")
        #expect(passing.output.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")

        let failing = try await BlankettProcess.run("forms", "validate", formFile.path, bad.path, "--period-end", "2020-12-31")
        #expect(failing.status == 1)
        let findings = try JSONSerialization.jsonObject(with: Data(failing.output.utf8)) as? [[String: String]]
        #expect(findings?.count == 1)
        #expect(findings?.first?["path"] == "forbrukat")
        #expect(findings?.first?["code"] == "forbrukat-over-beviljat")
        #expect(findings?.first?["severity"] == "error")
        #expect(findings?.first?["message"] == "Förbrukat (1 200 000) får inte överstiga beviljat (1 127 386).")
    }

    /// A round value the form declares must be given, by its own id: a
    /// misspelt key is an error, not an overspend that passes.
    @Test func validateNeedsEveryRoundValueByItsId() async throws {
        let folder = try BlankettProcess.temporaryFolder()
        let formFile = folder.appendingPathComponent("prov-2020.yaml")
        try Self.roundForm.write(to: formFile, atomically: true, encoding: .utf8)
        let answers = folder.appendingPathComponent("answers.json")
        try #"{"forbrukat": "1 190 000"}"#.write(to: answers, atomically: true, encoding: .utf8)

        let right = try await BlankettProcess.run("forms", "validate", formFile.path, answers.path, "--round", #"{"beviljat_statsbidrag": 1127386}"#)
        #expect(right.status == 1, "overspent by 62 614 kr: \(right.output)")
        #expect(right.output.contains("forbrukat-over-beviljat"), "\(right.output)")

        let misspelt = try await BlankettProcess.run("forms", "validate", formFile.path, answers.path, "--round", #"{"beviljat_belopp": 1127386}"#)
        #expect(misspelt.status == 1, "\(misspelt.output)")
        let findings = try JSONSerialization.jsonObject(with: Data(misspelt.output.utf8)) as? [[String: String]]
        #expect(findings?.contains { $0["code"] == "round-input-unknown" && $0["path"] == "round.beviljat_belopp" } == true, "\(misspelt.output)")
        #expect(findings?.contains { $0["code"] == "round-input-missing" && $0["path"] == "round.beviljat_statsbidrag" } == true, "\(misspelt.output)")

        let none = try await BlankettProcess.run("forms", "validate", formFile.path, answers.path)
        #expect(none.status == 1 && none.output.contains("round-input-missing"), "\(none.output)")
    }

    static let roundForm = """
        form: prov
        version: 2020
        kind: redovisning
        title: Prov
        grant: prov
        authority: lansstyrelsen
        round_inputs:
          - { id: beviljat_statsbidrag, type: kronor, label: Beviljat statsbidrag }
        steps:
          - id: ekonomi
            title: Ekonomi
            fields:
              - { id: beviljat, type: kronor, label: Beviljat, prefill: round.beviljat_statsbidrag }
              - id: forbrukat
                type: kronor
                label: Förbrukat
                required: true
                constraint: ". <= ${beviljat}"
                constraint_code: forbrukat-over-beviljat
                constraint_message: "Förbrukat ({.}) får inte överstiga beviljat ({${beviljat}})."
        """

    @Test func validateRefusesMalformedJSONClearly() async throws {
        let folder = try BlankettProcess.temporaryFolder()
        let formFile = folder.appendingPathComponent("prov-2020.yaml")
        try Self.form.write(to: formFile, atomically: true, encoding: .utf8)
        let broken = folder.appendingPathComponent("broken.json")
        try #"{"beviljat": 1,}"#.write(to: broken, atomically: true, encoding: .utf8)
        let run = try await BlankettProcess.run("forms", "validate", formFile.path, broken.path)
        #expect(run.status != 0)
        #expect(run.output.contains("broken.json"))
        #expect(run.output.contains("byte"))
    }
}
