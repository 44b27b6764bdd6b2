import BlankettCore
import Testing

/// Field-by-field differences between answer objects, in the form's order with its labels.
@Suite struct AnswerDiffTests {
    static let form = """
        form: test
        version: 2020
        kind: redovisning
        title: Test
        grant: test
        authority: lansstyrelsen
        steps:
          - id: uppgifter
            title: Uppgifter
            fields:
              - id: kommun
                type: text
                label: Kommun
              - id: ovriga_kommuner
                type: list
                label: Övriga kommuner
                item: { type: text, label: Kommun }
              - id: tjanster
                type: decimal
                decimals: 2
                label: Antal tjänster
              - id: pandemi_paverkan
                type: multichoice
                label: Hur har pandemin påverkat verksamheten?
                options: [{ id: farre-klienter, label: Färre klienter }, { id: annat, label: Annat }]
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
                    columns: [{ id: totalt, label: Totalt }, { id: 18-29, label: 18–29 år }]
                    cell: { type: integer }
              - id: kompetens
                type: matrix
                label: Kompetens
                rows: [{ id: socialsekreterare, label: Socialsekreterare }]
                options: [{ id: samtliga, label: Samtliga }, { id: ingen, label: Ingen }]
              - id: kontakter
                type: list
                label: Kontaktpersoner
                fields:
                  - { id: namn, type: text, label: Namn }
                  - { id: epost, type: email, label: E-post }
        """

    static func definition() throws -> FormDefinition {
        try FormDefinition.load(form, file: "forms/test-2020.yaml").get()
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONValue.parse(text)
    }

    static let signedAnswers = """
        {"kommun": "Botkyrka", "tjanster": 2.80, "ovriga_kommuner": ["Salem"],
         "klienter": {"totalt": {"kvinnor": {"totalt": 48, "18-29": 14}, "man": {"totalt": 30, "18-29": 9}}},
         "kompetens": {"socialsekreterare": "samtliga"},
         "kontakter": [{"namn": "Anna Berg", "epost": "anna.berg@botkyrka.se"}]}
        """

    @Test func oneChangedGridCellIsOneChangeWithRowAndColumnLabels() throws {
        let old = try Self.json(Self.signedAnswers)
        let new = try Self.json(Self.signedAnswers.replacing("\"totalt\": 48", with: "\"totalt\": 49", maxReplacements: 1))
        let changes = AnswerDiff.changes(from: old, to: new, definition: try Self.definition())
        #expect(changes == [AnswerChange(
            path: "klienter.totalt.kvinnor.totalt", label: "Totalt antal klienter – Kvinnor – Totalt", before: 48, after: 49)])
    }

    @Test func sameAnswersInAnotherKeyOrderHaveNoChanges() throws {
        let old = try Self.json(Self.signedAnswers)
        let new = try Self.json("""
            {"kontakter": [{"epost": "anna.berg@botkyrka.se", "namn": "Anna Berg"}],
             "klienter": {"totalt": {"man": {"18-29": 9, "totalt": 30}, "kvinnor": {"18-29": 14, "totalt": 48}}},
             "kompetens": {"socialsekreterare": "samtliga"}, "ovriga_kommuner": ["Salem"], "tjanster": 2.80, "kommun": "Botkyrka"}
            """)
        #expect(AnswerDiff.changes(from: old, to: new, definition: try Self.definition()).isEmpty)
    }

    @Test func changesFollowTheFormsOrderAndUnknownPathsComeLastSorted() throws {
        let old: JSONValue = [:]
        let new = try Self.json("""
            {"zzz": 1, "kontakter": [{"epost": "a@b.se", "namn": "A"}], "aaa": 2,
             "klienter": {"totalt": {"man": {"18-29": 9}, "kvinnor": {"totalt": 48}}},
             "kompetens": {"socialsekreterare": "ingen"}, "kommun": "Salem"}
            """)
        let changes = AnswerDiff.changes(from: old, to: new, definition: try Self.definition())
        #expect(changes.map(\.path) == [
            "kommun", "klienter.totalt.kvinnor.totalt", "klienter.totalt.man.18-29", "kompetens.socialsekreterare",
            "kontakter.0.namn", "kontakter.0.epost", "aaa", "zzz",
        ])
        #expect(changes.map(\.label) == [
            "Kommun", "Totalt antal klienter – Kvinnor – Totalt", "Totalt antal klienter – Män – 18–29 år",
            "Kompetens – Socialsekreterare", "Kontaktpersoner – rad 1 – Namn", "Kontaktpersoner – rad 1 – E-post", nil, nil,
        ])
        #expect(changes.allSatisfy { $0.before == nil })
    }

    @Test func listItemsAreComparedByIndexAndIndicesSortNumerically() throws {
        let old: JSONValue = ["ovriga_kommuner": ["Salem", "Huddinge"]]
        let towns: [JSONValue] = ["Salem"] + (1...10).map { .string("Kommun \($0)") }
        let new: JSONValue = ["ovriga_kommuner": .array(towns)]
        let changes = AnswerDiff.changes(from: old, to: new, definition: try Self.definition())
        #expect(changes.map(\.path) == (1...10).map { "ovriga_kommuner.\($0)" })
        #expect(changes.first == AnswerChange(
            path: "ovriga_kommuner.1", label: "Övriga kommuner – rad 2", before: "Huddinge", after: "Kommun 1"))
        #expect(changes.last?.label == "Övriga kommuner – rad 11")
    }

    @Test func removalsHaveNoAfterAndAdditionsNoBefore() throws {
        let old = try Self.json(Self.signedAnswers)
        let new = try Self.json("""
            {"kommun": "Botkyrka", "tjanster": 2.80, "ovriga_kommuner": ["Salem"],
             "klienter": {"totalt": {"kvinnor": {"totalt": 48, "18-29": 14}}},
             "kompetens": {"socialsekreterare": "samtliga"},
             "kontakter": [{"namn": "Anna Berg", "epost": "anna.berg@botkyrka.se"}, {"namn": "Per Ek"}]}
            """)
        let changes = AnswerDiff.changes(from: old, to: new, definition: try Self.definition())
        #expect(changes == [
            AnswerChange(path: "klienter.totalt.man.totalt", label: "Totalt antal klienter – Män – Totalt", before: 30, after: nil),
            AnswerChange(path: "klienter.totalt.man.18-29", label: "Totalt antal klienter – Män – 18–29 år", before: 9, after: nil),
            AnswerChange(path: "kontakter.1.namn", label: "Kontaktpersoner – rad 2 – Namn", before: nil, after: "Per Ek"),
        ])
    }

    /// `null` and a missing key both mean unanswered, and so does a container holding no answer.
    @Test func nullAbsentAndEmptyContainersAreTheSame() throws {
        let definition = try Self.definition()
        let absent: JSONValue = ["kommun": "Salem"]
        let nulls = try Self.json("""
            {"kommun": "Salem", "tjanster": null, "klienter": {"totalt": {"kvinnor": {"totalt": null}}},
             "ovriga_kommuner": [], "kontakter": [{"namn": null}], "pandemi_paverkan": null}
            """)
        #expect(AnswerDiff.changes(from: absent, to: nulls, definition: definition).isEmpty)
        #expect(AnswerDiff.changes(from: nulls, to: absent, definition: nil).isEmpty)

        let answered: JSONValue = ["kommun": "Salem", "tjanster": "2.80"]
        #expect(AnswerDiff.changes(from: nulls, to: answered, definition: definition) == [
            AnswerChange(path: "tjanster", label: "Antal tjänster", before: nil, after: "2.80"),
        ])
    }

    @Test func numbersCompareByTheirLiteralText() throws {
        let old = try Self.json(#"{"tjanster": 2.80, "kommun": 48}"#)
        let new = try Self.json(#"{"tjanster": 2.8, "kommun": "48"}"#)
        let changes = AnswerDiff.changes(from: old, to: new, definition: try Self.definition())
        #expect(changes == [
            AnswerChange(path: "kommun", label: "Kommun", before: .number("48"), after: .string("48")),
            AnswerChange(path: "tjanster", label: "Antal tjänster", before: .number("2.80"), after: .number("2.8")),
        ])
    }

    @Test func aMultichoiceAnswerIsComparedWhole() throws {
        let old: JSONValue = ["pandemi_paverkan": ["farre-klienter", "annat"]]
        let new: JSONValue = ["pandemi_paverkan": ["annat"]]
        let changes = AnswerDiff.changes(from: old, to: new, definition: try Self.definition())
        #expect(changes == [AnswerChange(
            path: "pandemi_paverkan", label: "Hur har pandemin påverkat verksamheten?",
            before: ["farre-klienter", "annat"], after: ["annat"])])
        // Without the form there is no telling a multichoice from a list.
        #expect(AnswerDiff.changes(from: old, to: new, definition: nil).map(\.path)
                == ["pandemi_paverkan.0", "pandemi_paverkan.1"])
    }

    @Test func valuesOfDifferentKindsAreOneChangeOfTheWholeValue() throws {
        let old: JSONValue = ["klienter": ["totalt": ["kvinnor": ["totalt": 48]]]]
        let new: JSONValue = ["klienter": ["totalt": ["kvinnor": 48]]]
        let changes = AnswerDiff.changes(from: old, to: new, definition: try Self.definition())
        #expect(changes == [AnswerChange(
            path: "klienter.totalt.kvinnor", label: "Totalt antal klienter – Kvinnor", before: ["totalt": 48], after: 48)])

        // A list turned into an object with index-like keys flattens to the same
        // paths; it must still be reported.
        let list: JSONValue = ["ovriga_kommuner": ["Salem"]]
        let object: JSONValue = ["ovriga_kommuner": ["0": "Salem"]]
        #expect(AnswerDiff.changes(from: list, to: object, definition: nil) == [AnswerChange(
            path: "ovriga_kommuner", label: nil, before: ["Salem"], after: ["0": "Salem"])])
    }

    @Test func withoutADefinitionPathsAreSortedAndUnlabelled() throws {
        let old: JSONValue = [:]
        let new = try Self.json(#"{"b": {"10": 1, "2": 2, "a": 3}, "a": [1, 2], "B": true}"#)
        let changes = AnswerDiff.changes(from: old, to: new, definition: nil)
        #expect(changes.map(\.path) == ["B", "a.0", "a.1", "b.2", "b.10", "b.a"])
        #expect(changes.allSatisfy { $0.label == nil })
    }

    @Test func auditJSONOmitsAbsentSidesAndUnknownLabels() throws {
        let changes = [
            AnswerChange(path: "kommun", label: "Kommun", before: "Botkyrka", after: "Salem"),
            AnswerChange(path: "ovriga_kommuner.0", label: "Övriga kommuner – rad 1", before: nil, after: "Salem"),
            AnswerChange(path: "okand", label: nil, before: .number("2.80"), after: nil),
        ]
        #expect(AnswerDiff.json(changes).serialized() == """
            [{"path":"kommun","label":"Kommun","before":"Botkyrka","after":"Salem"},\
            {"path":"ovriga_kommuner.0","label":"Övriga kommuner – rad 1","after":"Salem"},\
            {"path":"okand","before":2.80}]
            """)
        #expect(AnswerDiff.json([]) == [])
    }
}
