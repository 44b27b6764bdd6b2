import BlankettCore
import Testing

/// References into the items of a list of fields (`${list.*.field}`,
/// `${list.N.field}`) and the aggregates over them, on a PRIO-style
/// redovisning: one list row per activity, costs checked against the grant.
@Suite struct ListAggregateTests {
    static let prio = """
        round_inputs:
          - { id: erhallet, type: kronor, label: Erhållet statsbidrag }
        steps:
          - id: ekonomi
            title: Ekonomisk redovisning
            fields:
              - id: aktiviteter
                type: list
                label: Aktiviteter som statsbidraget använts till
                required: true
                fields:
                  - { id: namn, type: text, label: Aktivitet, required: true }
                  - { id: kostnad, type: kronor, label: Kostnad, required: true }
                  - { id: periodiserat, type: kronor, label: Periodiserat till nästa år }
              - id: kvar
                type: kronor
                label: Kvar att återbetala
                calculate: "${round.erhallet} - sum(${aktiviteter.*.kostnad}) - sum(${aktiviteter.*.periodiserat})"
            rules:
              - id: kostnader-over-erhallet
                path: aktiviteter
                check: "sum(${aktiviteter.*.kostnad}) + sum(${aktiviteter.*.periodiserat}) <= ${round.erhallet}"
                message: "Kostnader och periodiserat ({sum(${aktiviteter.*.kostnad}) + sum(${aktiviteter.*.periodiserat})} kr) är mer än erhållet statsbidrag ({${round.erhallet}} kr)."
              - id: forsta-aktiviteten-kostar
                path: aktiviteter
                severity: warning
                check: "${aktiviteter.0.kostnad} > 0"
                message: "Den första aktiviteten kostade ingenting."
              - id: hogst-tre-med-kostnad
                path: aktiviteter
                severity: warning
                check: "count(${aktiviteter.*.periodiserat}) <= 1 and max(${aktiviteter.*.kostnad}) <= 900000"
                message: "Högst en aktivitet periodiseras ({count(${aktiviteter.*.periodiserat})}), största kostnaden {max(${aktiviteter.*.kostnad})} kr."
        """

    static let context = ValidationContext.calendarYear(2021, roundInputs: ["erhallet": 1_000_000])

    static func activity(_ name: String, _ cost: Int, periodiserat: Int? = nil) -> JSONValue {
        var item: JSONObject = ["namn": .string(name), "kostnad": .number(String(cost))]
        if let periodiserat { item["periodiserat"] = .number(String(periodiserat)) }
        return .object(item)
    }

    static func validate(_ activities: [JSONValue]) throws -> ValidationResult {
        try FormEngineTests.definition(prio).validate(["aktiviteter": .array(activities)], context: context)
    }

    @Test func costsAndPeriodiseratEqualToTheGrantAreClean() throws {
        let result = try Self.validate([Self.activity("Utbildning", 600_000), Self.activity("Handledning", 300_000, periodiserat: 100_000)])
        #expect(result.findings.isEmpty, "\(result.findings)")
    }

    @Test func costsAndPeriodiseratAboveTheGrantAreAnError() throws {
        let result = try Self.validate([Self.activity("Utbildning", 600_000), Self.activity("Handledning", 300_000, periodiserat: 100_001)])
        #expect(result.findings.map(\.code) == ["kostnader-over-erhallet"], "\(result.findings)")
        #expect(result.findings.first?.severity == .error)
        #expect(result.findings.first?.message == "Kostnader och periodiserat (1 000 001 kr) är mer än erhållet statsbidrag (1 000 000 kr).")
    }

    /// The aggregate rule: a sum with no answered term is 0, so the `<=` check
    /// holds; what stops the empty report is the required list.
    @Test func noActivitiesAtAllIsNeverCleanAndSilent() throws {
        for activities: JSONValue in [.array([]), .null] {
            let result = try FormEngineTests.definition(Self.prio).validate(["aktiviteter": activities], context: Self.context)
            #expect(!result.isValid, "\(activities)")
            #expect(result.errors.map(\.code) == ["required"], "\(result.findings)")
            #expect(result.errors.first?.path == "aktiviteter")
        }
    }

    @Test func anItemWithoutItsCostIsRequiredNotZero() throws {
        let result = try Self.validate([.object(["namn": "Utbildning"])])
        #expect(result.errors.map(\.code) == ["required"], "\(result.findings)")
        #expect(result.errors.first?.path == "aktiviteter.0.kostnad")
    }

    @Test func oneItemByItsNumberIsUnknownWhenThereIsNoSuchItem() throws {
        let definition = try FormEngineTests.definition(Self.prio)
        let free = definition.validate(["aktiviteter": [Self.activity("Gratis", 0)]], context: Self.context)
        #expect(free.findings.map(\.code) == ["forsta-aktiviteten-kostar"], "\(free.findings)")
        // No item 0: the check is unknown, and an unknown check is not violated.
        let none = definition.validate(["aktiviteter": []], context: Self.context)
        #expect(!none.findings.contains { $0.code == "forsta-aktiviteten-kostar" })
    }

    @Test func countCountsTheItemsThatAnswerTheField() throws {
        let result = try Self.validate([
            Self.activity("A", 100, periodiserat: 1), Self.activity("B", 950_000), Self.activity("C", 100, periodiserat: 0),
        ])
        let warning = result.findings.first { $0.code == "hogst-tre-med-kostnad" }
        #expect(warning?.message == "Högst en aktivitet periodiseras (2), största kostnaden 950 000 kr.", "\(result.findings)")
    }

    @Test func aComputedFieldReadsTheItems() throws {
        let definition = try FormEngineTests.definition(Self.prio)
        let result = definition.validate(["aktiviteter": [Self.activity("A", 250_000, periodiserat: 50_000)]], context: Self.context)
        #expect(result.value(atPath: "kvar", in: definition) == .number(ExactDecimal(700_000)))
    }

    /// Item fields are read with the other answers: what cannot be read, is
    /// out of bounds or is not a field of the items is a finding at the item's path.
    @Test func itemFieldsAreReadAndCheckedAtTheirPaths() throws {
        let result = try Self.validate([
            .object(["namn": "A", "kostnad": "12,50"]),
            .object(["namn": "B", "kostnad": -5, "okant": 1]),
        ])
        let found = Set(result.findings.map { "\($0.code) @ \($0.path) in \($0.step)" })
        #expect(found == [
            "invalid-kronor @ aktiviteter.0.kostnad in ekonomi",
            "below-min @ aktiviteter.1.kostnad in ekonomi",
            "unknown-field @ aktiviteter.1.okant in ekonomi",
        ], "\(result.findings)")
    }

    // MARK: Load errors

    static func rule(_ check: String) -> String {
        """
        steps:
          - id: ekonomi
            title: Ekonomi
            fields:
              - id: aktiviteter
                type: list
                label: Aktiviteter
                fields:
                  - { id: kostnad, type: kronor, label: Kostnad }
                  - { id: periodiserat, type: kronor, label: Periodiserat }
              - id: kommuner
                type: list
                label: Kommuner
                item: { type: text, label: Kommun }
            rules:
              - id: r
                path: aktiviteter
                check: "\(check)"
                message: "M"
        """
    }

    /// Line 24 of the file (6 header lines + 18), columns within the quoted check.
    @Test(arguments: [
        ("sum(${aktiviteter}) <= 1", 24, 21, "expression",
         "'sum' needs numbers or lists of numbers, got list of items with fields: name one field of every item, like ${aktiviteter.*.<field>}"),
        ("sum(${aktiviteter.*}) <= 1", 24, 21, "unknown-reference",
         "the items of list 'aktiviteter' have fields: name one, like ${aktiviteter.*.kostnad}"),
        ("sum(${aktiviteter.*.kostnd}) <= 1", 24, 21, "unknown-reference",
         "the items of list 'aktiviteter' have no field 'kostnd' (their fields: kostnad, periodiserat)"),
        ("${aktiviteter.forsta.kostnad} <= 1", 24, 17, "unknown-reference",
         "'forsta' is no item of list 'aktiviteter': write a number for one item (0 is the first) or '*' for every item"),
        ("${kommuner.0.namn} = 'Salem'", 24, 17, "unknown-reference",
         "the items of list 'kommuner' are single values without fields: write ${kommuner.0}"),
        ("max(${aktiviteter}) <= 1", 24, 21, "expression",
         "'max' needs numbers or dates (or lists of them), got list of items with fields: name one field of every item, like ${aktiviteter.*.<field>}"),
    ])
    func aReferenceIntoAListThatCannotWorkIsALoadError(_ check: String, line: Int, column: Int, code: String, message: String) {
        let diagnostics = FormEngineTests.diagnostics(Self.rule(check))
        #expect(diagnostics.count == 1, "\(diagnostics)")
        #expect(diagnostics.first?.location.line == line)
        #expect(diagnostics.first?.location.column == column)
        #expect(diagnostics.first?.code == code)
        #expect(diagnostics.first?.message == message)
    }

    @Test func listReferencesThatWorkLoad() throws {
        for check in [
            "sum(${aktiviteter.*.kostnad}, ${aktiviteter.*.periodiserat}) <= 1",
            "count(${aktiviteter}) <= 3 and count(${aktiviteter.*.kostnad}) <= 3",
            "${aktiviteter.2.periodiserat} <= 1",
            "${kommuner.0} = 'Salem' or selected(${kommuner.*}, 'Salem') or empty(${kommuner.1})",
            "min(${aktiviteter.*.kostnad}) >= 0",
        ] {
            _ = try FormEngineTests.definition(Self.rule(check))
        }
    }

    /// With no items a sum is 0 and a `<=` check holds: when nothing makes
    /// the list have a row, `forms check` warns the form's author.
    @Test func aSumOverAListThatMayBeEmptyIsAWarning() throws {
        let text = FormEngineTests.header + Self.rule("sum(${aktiviteter.*.kostnad}) <= 1")
        let warnings = FormDefinition.warnings(text, file: "forms/test-2020.yaml")
        #expect(warnings.map(\.description) == ["""
            forms/test-2020.yaml:24:21: warning: list 'aktiviteter' may have no items, and then this sum is 0 and the check holds without a word: make the list required (required: true or min_items) if it needs a row [sum-over-optional-list]
                sum(${aktiviteter.*.kostnad}) <= 1
                    ^~~~~~~~~~~~~~~~~~~~~~~~
            """], "\(warnings)")
        let required = text.replacingOccurrences(of: "label: Aktiviteter\n", with: "label: Aktiviteter\n    required: true\n")
        #expect(FormDefinition.warnings(required, file: "forms/test-2020.yaml").isEmpty)
        let atLeastOne = text.replacingOccurrences(of: "label: Aktiviteter\n", with: "label: Aktiviteter\n    min_items: 1\n")
        #expect(FormDefinition.warnings(atLeastOne, file: "forms/test-2020.yaml").isEmpty)
        #expect(FormDefinition.warnings(FormEngineTests.header + Self.prio, file: "forms/test-2020.yaml").isEmpty)
    }

    @Test func aListItemFieldOfAnUnknownTypeIsALoadError() {
        let diagnostics = FormEngineTests.diagnostics("""
            steps:
              - id: a
                title: A
                fields:
                  - id: rader
                    type: list
                    label: Rader
                    fields:
                      - { id: belopp, type: kronr, label: Belopp }
            """)
        #expect(diagnostics.map(\.code) == ["unknown-type"], "\(diagnostics)")
        #expect(diagnostics.first?.location.line == 15)
        #expect(diagnostics.first?.message == "unknown type 'kronr' for a field of the items of list 'rader': use a simple type, such as text, kronor, integer, date or choice")
    }
}
