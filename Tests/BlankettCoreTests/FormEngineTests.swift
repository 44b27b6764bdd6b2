import BlankettCore
import Testing

/// The engine on short inline forms: loading diagnostics and validation rules.
@Suite struct FormEngineTests {
    static let header = """
        form: test
        version: 2020
        kind: redovisning
        title: Test
        grant: test
        authority: lansstyrelsen

        """

    static func load(_ body: String) -> Result<FormDefinition, FormLoadFailure> {
        FormDefinition.load(header + body, file: "forms/test-2020.yaml")
    }

    static func definition(_ body: String) throws -> FormDefinition {
        switch load(body) {
        case .success(let definition): return definition
        case .failure(let failure): throw FixtureError(failure.description)
        }
    }

    static func diagnostics(_ body: String) -> [FormDiagnostic] {
        if case .failure(let failure) = load(body) { return failure.diagnostics }
        return []
    }

    static let economy = """
        round_inputs:
          - { id: beviljat, type: kronor, label: Beviljat belopp }
        steps:
          - id: ekonomi
            title: Ekonomi
            fields:
              - id: beviljat_belopp
                type: kronor
                label: Beviljat belopp
                prefill: round.beviljat
              - id: forbrukat
                type: kronor
                label: Förbrukat belopp
                required: true
                constraint: ". <= ${beviljat_belopp}"
                constraint_code: forbrukat-over-beviljat
                constraint_message: "Förbrukat ({.}) får inte överstiga beviljat ({${beviljat_belopp}})."
              - id: kvar
                type: kronor
                label: Kvarstående
                min: -100000000
                calculate: "${beviljat_belopp} - ${forbrukat}"
              - id: tjanster
                type: decimal
                decimals: 2
                label: Antal tjänster
                required: true
              - id: varfor
                type: longtext
                label: Varför färre tjänster?
                relevant: "${tjanster} < 2.80"
                required: true
        """

    // MARK: Loading

    @Test func aWellFormedFormLoads() throws {
        let definition = try Self.definition(Self.economy)
        #expect(definition.id == "test-2020")
        #expect(definition.steps.map(\.id) == ["ekonomi"])
        #expect(definition.slot(forPath: "forbrukat") != nil)
    }

    @Test func anUnknownReferenceIsReportedAtItsColumn() {
        let diagnostics = Self.diagnostics("""
            steps:
              - id: a
                title: A
                fields:
                  - id: x
                    type: integer
                    label: X
                    relevant: "${y} > 1"
            """)
        let diagnostic = diagnostics.first { $0.code == "unknown-reference" }
        #expect(diagnostic != nil, "\(diagnostics)")
        // Line 14 of the file (6 header lines + 8), column of `$` inside the quotes.
        #expect(diagnostic?.location.line == 14)
        #expect(diagnostic?.location.column == 20)
        #expect(diagnostic?.description.hasPrefix("forms/test-2020.yaml:14:20: error:") == true)
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        let diagnostics = Self.diagnostics("""
            steps:
              - id: a
                title: A
                fields:
                  - id: x
                    type: integer
                    label: X
                    requierd: true
                  - id: x
                    type: integer
                    label: X again
                  - id: y
                    type: kronor
                    label: Y
                    prefill: round.nothing
                  - id: z
                    type: integer
                    label: Z
                    constraint: ". > 'text'"
                    constraint_code: z-text
                    constraint_message: Fel
                  - id: w
                    type: sizes
                    label: W
            """)
        let codes = Set(diagnostics.map(\.code))
        #expect(codes.isSuperset(of: ["unknown-key", "duplicate-id", "prefill-without-source", "unknown-type"]), "\(diagnostics)")
        #expect(diagnostics.contains { $0.message.contains("compare") || $0.message.contains("type") }, "\(diagnostics)")
        #expect(diagnostics.count >= 5)
    }

    @Test func aSecondFieldWithTheSameIdSaysWhereTheFirstIs() {
        let diagnostics = Self.diagnostics("""
            steps:
              - id: a
                title: A
                fields:
                  - { id: x, type: integer, label: X }
                  - { id: x, type: integer, label: X again }
            """)
        let duplicate = diagnostics.first { $0.code == "duplicate-id" }
        #expect(duplicate?.message == "field id 'x' is already used at line 11", "\(diagnostics)")
        #expect(duplicate?.location.line == 12)
    }

    @Test func aPlaceholderThatDoesNotExistIsAnError() {
        let diagnostics = Self.diagnostics("""
            steps:
              - id: a
                title: A
                fields:
                  - id: om
                    type: info
                    text: "Skickas till {authority.mail} senast {round.deadline}; {annat} är text."
            """)
        #expect(diagnostics.map(\.code) == ["unknown-placeholder"], "\(diagnostics)")
        #expect(diagnostics.first?.message.hasPrefix("'{authority.mail}' is no placeholder; texts may use {authority.name}, {authority.email}") == true)
        #expect(diagnostics.first?.location.line == 11)
    }

    @Test func formTextsFillTheAuthorityAndTheRound() {
        let texts = FormTexts(authorityName: "Länsstyrelsen Skåne", authorityEmail: "skane@lansstyrelsen.se", authorityAddress: "205 15 Malmö",
                              deadline: LocalDate(year: 2021, month: 3, day: 1)!, grantName: "Personligt ombud")
        #expect(texts.fill("Till {authority.email} ({authority.name}, {authority.address}) senast {round.deadline}: {grant.name} {x} {") ==
                "Till skane@lansstyrelsen.se (Länsstyrelsen Skåne, 205 15 Malmö) senast 1 mars 2021: Personligt ombud {x} {")
        #expect(FormTexts.none.fill("{authority.email}") == "{authority.email}")
    }

    @Test func theRoundsDeadlineIsEveryFormsToRead() throws {
        let definition = try Self.definition("""
            steps:
              - id: a
                title: A
                fields:
                  - id: datum
                    type: date
                    label: Datum
                    constraints:
                      - id: sent
                        check: ". <= ${round.deadline}"
                        message: "Efter {${round.deadline}}"
                        severity: warning
            """)
        var context = ValidationContext.calendarYear(2020)
        context.deadline = LocalDate(year: 2021, month: 1, day: 15)!
        #expect(definition.validate(.object(["datum": "2021-01-15"]), context: context).findings.isEmpty)
        #expect(definition.validate(.object(["datum": "2021-01-16"]), context: context).findings.map(\.code) == ["sent"])
    }

    @Test func anAuthorityThatIsNeitherIsAnError() {
        let text = Self.header.replacingOccurrences(of: "authority: lansstyrelsen", with: "authority: lanstyrelsen") + "steps: []\n"
        guard case .failure(let failure) = FormDefinition.load(text, file: "forms/test-2020.yaml") else {
            Issue.record("a misspelt authority loads")
            return
        }
        let diagnostic = failure.diagnostics.first { $0.code == "unknown-authority" }
        #expect(diagnostic?.message == "authority must be lansstyrelsen or socialstyrelsen, not 'lanstyrelsen'", "\(failure)")
        #expect(diagnostic?.location.line == 6)
    }

    @Test func selectedNamesAnOptionTheFieldHas() {
        let diagnostics = Self.diagnostics("""
            steps:
              - id: a
                title: A
                fields:
                  - id: skal
                    type: multichoice
                    label: Skäl
                    options:
                      - { id: farre-klienter, label: Färre klienter }
                      - { id: annat, label: Annat }
                  - id: annat_vad
                    type: text
                    label: Vad?
                    relevant: "selected(${skal}, 'annan')"
                  - id: ok
                    type: text
                    label: Ok
                    relevant: "selected(${skal}, 'annat') and not selected(${skal}, 'farre-klienter')"
            """)
        #expect(diagnostics.count == 1, "\(diagnostics)")
        let diagnostic = diagnostics.first
        #expect(diagnostic?.code == "unknown-option")
        #expect(diagnostic?.message == "'skal' has no option 'annan' (its options: farre-klienter, annat)", "\(String(describing: diagnostic))")
        #expect(diagnostic?.location.line == 20)
    }

    @Test func aCycleAmongCalculatedFieldsIsAnError() {
        let diagnostics = Self.diagnostics("""
            steps:
              - id: a
                title: A
                fields:
                  - { id: p, type: integer, label: P, calculate: "${q} + 1" }
                  - { id: q, type: integer, label: Q, calculate: "${p} + 1" }
            """)
        #expect(diagnostics.contains { $0.code == "calculation-cycle" && $0.message.contains("→") }, "\(diagnostics)")
    }

    static let contact = """
        steps:
          - id: kontaktperson
            title: Kontaktperson
            fields:
              - id: kommun_epost
                type: email
                label: Kommunens e-post
              - id: kontakt
                type: group
                fields:
                  - { id: namn, type: text, label: Namn }
                  - { id: epost, type: email, label: E-post }
              - id: fler
                type: list
                label: Fler kontakter
                fields:
                  - { id: epost, type: email, label: E-post }
        """

    @Test func contactEmailNamesAnEmailFieldAndReadsItsAnswer() throws {
        let definition = try Self.definition("contact_email: kontakt.epost\n" + Self.contact)
        #expect(definition.contactEmailPath == "kontakt.epost")
        let answers: JSONValue = ["kommun_epost": "soc@botkyrka.se", "kontakt": ["namn": "Jennifer Gavin", "epost": " Jennifer.Gavin1@Botkyrka.SE "]]
        #expect(definition.contactEmail(in: answers)?.address == "Jennifer.Gavin1@botkyrka.se")
        #expect(definition.contactEmail(in: ["kommun_epost": "soc@botkyrka.se"]) == nil, "not answered")
        #expect(definition.contactEmail(in: ["kontakt": ["epost": "jennifer.gavin1 botkyrka.se"]]) == nil, "no valid address")
        #expect(try Self.definition(Self.contact).contactEmailPath == nil, "the key is optional")
    }

    @Test func contactEmailMustBeAnEmailFieldOfTheForm() {
        // Line 7 of the file (6 header lines), the value after "contact_email: ".
        for (path, code) in [("kontakt.namn", "type-mismatch"), ("kontakt.e_post", "unknown-reference"), ("fler.epost", "type-mismatch"), ("kontakt", "type-mismatch")] {
            let diagnostics = Self.diagnostics("contact_email: \(path)\n" + Self.contact)
            #expect(diagnostics.map(\.code) == [code], "\(path): \(diagnostics)")
            #expect(diagnostics.first?.description.hasPrefix("forms/test-2020.yaml:7:16: error: contact_email") == true, "\(path): \(diagnostics)")
        }
    }

    @Test func aYAMLSyntaxErrorHasALocation() {
        let diagnostics = Self.diagnostics("steps:\n  - id: a\n    title: [unclosed\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.location.line ?? 0 > 7)
    }

    /// An unclosed quote runs on to the next quote; the reader fails there,
    /// lines later. The diagnostic points at the quote that was left open.
    @Test func anUnclosedQuoteIsReportedWhereItOpensWithACaret() {
        let diagnostics = Self.diagnostics("""
            steps:
              - id: a
                title: "Steg A
                fields:
                  - id: x
                    type: integer
                    label: "X"
            """)
        #expect(diagnostics.map(\.description) == ["""
            forms/test-2020.yaml:9:12: error: this quoted text is not closed on its line; the YAML reader ran on to line 13, column 17, and stopped: did not find expected key [yaml-syntax]
                    title: "Steg A
                           ^
            """], "\(diagnostics)")
    }

    /// Quotes inside plain text open nothing: the error stays where the reader stopped.
    @Test func quotesInsidePlainTextAreNotTakenForAnUnclosedQuote() {
        let diagnostics = Self.diagnostics("steps:\n  - id: a\n    title: Det \"gamla\n    fields: []\n   x: 1\n")
        #expect(diagnostics.map(\.location.line) == [11], "\(diagnostics)")
    }

    @Test func aYAMLSyntaxErrorShowsItsLineWithACaret() {
        let diagnostics = Self.diagnostics("steps:\n  - id: a\n    title: A\n   fields: []\n")
        #expect(diagnostics.map(\.description) == ["""
            forms/test-2020.yaml:10:4: error: did not find expected '-' indicator [yaml-syntax]
                   fields: []
                   ^
            """], "\(diagnostics)")
    }

    // MARK: Validation

    @Test func prefillCalculationAndConstraints() throws {
        let definition = try Self.definition(Self.economy)
        let context = ValidationContext.calendarYear(2020, roundInputs: ["beviljat": "1127386"])
        let good = definition.validate(["forbrukat": "1 127 386 kr", "tjanster": "2,80"], context: context)
        #expect(good.findings.isEmpty, "\(good.findings)")

        let over = definition.validate(["forbrukat": 1_200_000, "tjanster": "2,80"], context: context)
        #expect(over.findings.map(\.code) == ["forbrukat-over-beviljat"])
        #expect(over.findings.first?.message == "Förbrukat (1 200 000) får inte överstiga beviljat (1 127 386).")
    }

    @Test func typedPrefilledOrCalculatedValuesAreIgnored() throws {
        let definition = try Self.definition(Self.economy)
        let context = ValidationContext.calendarYear(2020, roundInputs: ["beviljat": 1000])
        let result = definition.validate(["beviljat_belopp": 5_000_000, "forbrukat": 900, "tjanster": "3", "kvar": 1], context: context)
        #expect(result.findings.isEmpty, "\(result.findings)")
    }

    @Test func followUpsAreAskedOnlyWhenTheirConditionHolds() throws {
        let definition = try Self.definition(Self.economy)
        let context = ValidationContext.calendarYear(2020, roundInputs: ["beviljat": 1000])
        let fewer = definition.validate(["forbrukat": 900, "tjanster": "2,5"], context: context)
        #expect(fewer.findings.map(\.code) == ["required"])
        #expect(fewer.findings.first?.path == "varfor")

        let notAsked = definition.validate(["forbrukat": 900, "tjanster": "2.80", "varfor": "sjukskrivning"], context: context)
        #expect(notAsked.findings.map(\.code) == ["not-relevant"])
        #expect(notAsked.droppedPaths == ["varfor"])
        #expect(notAsked.isValid)
    }

    @Test func badFormatsAreFindingsWithSwedishMessagesNeverRoundings() throws {
        let definition = try Self.definition(Self.economy)
        let context = ValidationContext.calendarYear(2020, roundInputs: ["beviljat": 1000])
        let result = definition.validate(["forbrukat": "12,50", "tjanster": "2,805", "okand": 1], context: context)
        let codes = Set(result.findings.map(\.code))
        #expect(codes == ["invalid-kronor", "too-many-decimals", "unknown-field"], "\(result.findings)")
        #expect(result.findings.allSatisfy { !$0.message.isEmpty })
    }

    // MARK: Computed fields and their bounds

    static let refund = """
        round_inputs:
          - { id: beviljat, type: kronor, label: Beviljat belopp }
        steps:
          - id: ekonomi
            title: Ekonomi
            fields:
              - { id: beviljat_belopp, type: kronor, label: Beviljat belopp, prefill: round.beviljat }
              - { id: forbrukat, type: kronor, label: Förbrukat belopp, required: true }
              - { id: kvar, type: kronor, label: Kvarstående, calculate: "${beviljat_belopp} - ${forbrukat}" }
          - id: aterbetalning
            title: Återbetalning
            fields:
              - { id: ranta, type: kronor, label: Ränta }
              - { id: aterbetalas, type: kronor, label: Att återbetala, max: 100000, calculate: "${kvar} + ${ranta}" }
        """

    /// An overspend makes a computed remainder negative: not a `below-min`
    /// on a field nobody can edit. A computed field has no default `min: 0`.
    @Test func aComputedFieldHasNoDefaultMinimum() throws {
        let definition = try Self.definition(Self.refund)
        let context = ValidationContext.calendarYear(2020, roundInputs: ["beviljat": 1000])
        let result = definition.validate(["forbrukat": 1200], context: context)
        #expect(result.findings.isEmpty, "\(result.findings)")
        #expect(result.value(atPath: "kvar", in: definition) == .number(ExactDecimal(-200)))
    }

    /// An explicit bound on a computed field is reported at the first answer
    /// it is computed from (through other computed fields), naming them all.
    @Test func aComputedFieldsOwnBoundIsReportedAtItsInputs() throws {
        let definition = try Self.definition(Self.refund)
        let context = ValidationContext.calendarYear(2020, roundInputs: ["beviljat": 200_000])
        let result = definition.validate(["forbrukat": 50_000, "ranta": 1], context: context)
        #expect(result.findings.map(\.code) == ["calculated-above-max"], "\(result.findings)")
        #expect(result.findings.first?.path == "forbrukat")
        #expect(result.findings.first?.step == "ekonomi")
        #expect(result.findings.first?.message
                == "”Att återbetala” blir 150 001. Värdet får inte vara högre än 100 000. Det räknas fram ur ”Förbrukat belopp” och ”Ränta”: kontrollera de svaren.")
        #expect(definition.validate(["forbrukat": 100_000, "ranta": 0], context: context).findings.isEmpty)
    }

    static let clients = """
        steps:
          - id: klienter
            title: Klienter
            fields:
              - id: klienter
                type: group
                fields:
                  - id: totalt
                    type: grid
                    label: Totalt antal klienter
                    rows: [{ id: kvinnor, label: Kvinnor }, { id: man, label: Män }]
                    columns: [{ id: totalt, label: Totalt }, { id: 18-29, label: 18–29 år }, { id: 30-, label: 30 år och äldre }]
                    cell: { type: integer }
                    required: true
            rules:
              - id: alder-summa-kvinnor
                path: klienter.totalt.kvinnor.totalt
                check: "sum(${klienter.totalt.kvinnor.18-29}, ${klienter.totalt.kvinnor.30-}) = ${klienter.totalt.kvinnor.totalt}"
                message: "Åldersgrupperna ({sum(${klienter.totalt.kvinnor.18-29}, ${klienter.totalt.kvinnor.30-})}) ska bli totalt ({${klienter.totalt.kvinnor.totalt}})."
              - id: fler-man-an-kvinnor
                path: klienter.totalt
                severity: warning
                check: "sum(${klienter.totalt.*.totalt}) < 1000"
                message: "Orimligt många klienter."
        """

    @Test func gridsSumsWildcardsAndCellPaths() throws {
        let definition = try Self.definition(Self.clients)
        let context = ValidationContext.calendarYear(2020)
        let answers: JSONValue = ["klienter": ["totalt": [
            "kvinnor": ["totalt": 83, "18-29": 14, "30-": 68],
            "man": ["totalt": 999, "18-29": 16, "30-": 50],
        ]]]
        let result = definition.validate(answers, context: context)
        #expect(Set(result.findings.map(\.code)) == ["alder-summa-kvinnor", "fler-man-an-kvinnor"], "\(result.findings)")
        let sum = result.findings.first { $0.code == "alder-summa-kvinnor" }
        #expect(sum?.message == "Åldersgrupperna (82) ska bli totalt (83).")
        #expect(sum?.severity == .error)
        #expect(result.findings.first { $0.code == "fler-man-an-kvinnor" }?.severity == .warning)

        let missing = definition.validate(["klienter": ["totalt": ["kvinnor": ["totalt": 1, "18-29": 1, "30-": 0]]]], context: context)
        #expect(missing.findings.filter { $0.code == "required" }.map(\.path).sorted()
                == ["klienter.totalt.man.18-29", "klienter.totalt.man.30-", "klienter.totalt.man.totalt"])
    }

    /// Answers are found by walking the JSON tree key by key: a dotted key is
    /// no shortcut to a nested answer, keys inside a group or grid row that
    /// the form does not have are findings with their full path, and a
    /// scalar where a group belongs is refused.
    @Test func answersAreReadByTheirNestedKeysOnly() throws {
        let definition = try Self.definition(Self.clients)
        let context = ValidationContext.calendarYear(2020)
        let dotted = definition.validate(["klienter.totalt.kvinnor.totalt": 83], context: context)
        #expect(dotted.findings.contains { $0.code == "unknown-field" && $0.path == "klienter.totalt.kvinnor.totalt" })
        #expect(definition.read(["klienter.totalt.kvinnor.totalt": 83]).value(atPath: "klienter.totalt.kvinnor.totalt", in: definition) == .empty)
        #expect(definition.read(["klienter": ["totalt": ["kvinnor": ["totalt": 83]]]])
            .value(atPath: "klienter.totalt.kvinnor.totalt", in: definition) == .number(ExactDecimal(83)))

        let stray = definition.validate(["klienter": ["totalt": [
            "kvinnor": ["totalt": 1, "18-29": 1, "30-": 0, "65-": 3],
            "man": ["totalt": 0, "18-29": 0, "30-": 0],
        ], "extra": 1]], context: context)
        #expect(stray.findings.filter { $0.code == "unknown-field" }.map(\.path).sorted()
                == ["klienter.extra", "klienter.totalt.kvinnor.65-"], "\(stray.findings)")

        let scalar = definition.validate(["klienter": ["totalt": 5]], context: context)
        #expect(scalar.findings.contains { $0.code == "invalid-answers" && $0.path == "klienter.totalt" }, "\(scalar.findings)")
    }
}
