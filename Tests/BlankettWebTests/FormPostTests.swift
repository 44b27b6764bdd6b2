import BlankettCore
@testable import BlankettWeb
import Testing

/// The parser of the pages' form posts: percent-decoding, repeated names and
/// the answers of a step read from the posted names. No database.
@Suite struct FormPostTests {
    static let form = """
        form: test
        version: 2020
        kind: redovisning
        title: Test
        grant: test
        authority: lansstyrelsen
        steps:
          - id: steg
            title: Steg
            fields:
              - { id: kommun, type: text, label: Kommun }
              - { id: utbildning, type: yesno, label: Utbildning }
              - id: paverkan
                type: multichoice
                label: Påverkan
                options: [{ id: farre, label: Färre }, { id: annat, label: Annat }]
              - id: klienter
                type: grid
                label: Klienter
                rows: [{ id: kvinnor, label: Kvinnor }, { id: man, label: Män }]
                columns: [{ id: nya, label: Nya }, { id: gamla, label: Gamla }]
                cell: { type: integer }
              - id: kommuner
                type: list
                label: Kommuner
                item: { type: text, label: Kommun }
              - id: ombud
                type: list
                label: Ombud
                fields:
                  - { id: namn, type: text, label: Namn }
                  - { id: tjanst, type: text, label: Tjänst }
        """

    static func fields() throws -> [Field] {
        switch FormDefinition.load(form, file: "forms/test-2020.yaml") {
        case .success(let definition): return try #require(definition.steps.first).fields
        case .failure(let failure): throw failure
        }
    }

    static func body(_ pairs: [(String, String)]) -> [UInt8] {
        Array(pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&").utf8)
    }

    /// 40 000 pairs in 450 KB (the pages take up to 512 KiB): every kind of field, repeated names,
    /// the longest lists the page reads, and a crowd of names no field has.
    static func largePost() -> [(String, String)] {
        // The names no field has come first, so a reader that searches the
        // pairs for each name it reads goes through all of them every time.
        var pairs = (0..<36_000).map { index in ("x\(index)", "%26") }
        pairs += [("kommun", "Botkyrka"), ("utbildning", "ja")]
        for row in ["kvinnor", "man"] {
            for column in ["nya", "gamla"] { pairs.append(("klienter.\(row).\(column)", "\(row.count)\(column.count)")) }
        }
        for index in 0..<400 { pairs.append(("kommuner.\(index)", index == 200 ? "+" : "S%C3%B6dert%C3%A4lje+\(index)")) }
        for index in 0..<500 {
            pairs.append(("ombud.\(index).namn", "Ombud+\(index)"))
            pairs.append(("ombud.\(index).tjanst", "0%2C5"))
        }
        for index in 0..<2_000 { pairs.append(("paverkan", index.isMultiple(of: 2) ? "farre" : "annat")) }
        pairs.append(("kommun", "Salem"))
        while pairs.count < 40_000 { pairs.append(("y\(pairs.count)", "")) }
        return pairs
    }

    @Test func aPostOfFortyThousandPairsParsesCompletely() throws {
        let post = try FormPost(body: Self.body(Self.largePost()))
        #expect(post.pairs.count == 40_000)
        #expect(post["x35999"] == "&")
        #expect(post["y39999"] == "")
    }

    @Test func aPostOfFortyThousandPairsGivesTheStepsAnswers() throws {
        let answers = try FormPost(body: Self.body(Self.largePost())).answers(for: try Self.fields())
        #expect(answers["ombud"]?.arrayValue?.count == 500, "the longest list the page reads")
        #expect(answers.keys == ["kommun", "utbildning", "paverkan", "klienter", "kommuner", "ombud"])
        #expect(answers["kommun"] == .string("Botkyrka"), "the first of a repeated name")
        #expect(answers["utbildning"] == .bool(true))
        #expect(answers["klienter"]?["man"]?["gamla"] == .string("35"))
        let chosen = try #require(answers["paverkan"]?.arrayValue)
        #expect(chosen.count == 2_000)
        #expect(chosen.prefix(3) == [.string("farre"), .string("annat"), .string("farre")], "in the order sent")
        let kommuner = try #require(answers["kommuner"]?.arrayValue)
        #expect(kommuner.count == 399, "the blank row is left out")
        #expect(kommuner.first == .string("Södertälje 0"))
        #expect(kommuner.last == .string("Södertälje 399"))
        let ombud = try #require(answers["ombud"]?.arrayValue)
        #expect(ombud.count == 500)
        #expect(ombud.last == .object(["namn": .string("Ombud 499"), "tjanst": .string("0,5")]))
    }

    @Test func aListLongerThanThePageReadsIsRefusedNotCut() throws {
        let post = try FormPost(body: Self.body((0..<2_000).map { ("kommuner.\($0)", "K\($0)") }))
        do {
            _ = try post.answers(for: try Self.fields())
            Issue.record("2 000 rows were taken")
        } catch let error as CaseError {
            #expect(error.code == .invalidInput)
            #expect(error.message.contains("högst 500 rader"), "\(error.message)")
            #expect(error.parameter == "kommuner")
        }
    }

    @Test func aListEndsAtItsFirstMissingRow() throws {
        let post = try FormPost(body: Self.body([("kommuner.0", "Salem"), ("kommuner.1", "Huddinge"), ("kommuner.3", "Nacka")]))
        #expect(try post.answers(for: try Self.fields())["kommuner"] == .array([.string("Salem"), .string("Huddinge")]))
    }

    @Test func aRowNamedOnlyByAnUnknownPartStillKeepsTheListGoing() throws {
        let post = try FormPost(body: Self.body([("ombud.0.namn", "A"), ("ombud.1.annat", "x"), ("ombud.2.namn", "C")]))
        #expect(try post.answers(for: try Self.fields())["ombud"] == .array([.object(["namn": .string("A")]), .object(["namn": .string("C")])]))
    }

    @Test func aRowNumberIsWrittenWithoutLeadingZeros() throws {
        let post = try FormPost(body: Self.body([("kommuner.0", "Salem"), ("kommuner.01", "Huddinge"), ("kommuner.+1", "Nacka")]))
        #expect(try post.answers(for: try Self.fields())["kommuner"] == .array([.string("Salem")]))
    }

    @Test func anInvalidPercentEscapeIsRefused() {
        #expect(throws: FormPost.ParseError.self) { try FormPost(body: Array("kommun=50%".utf8)) }
        #expect(throws: FormPost.ParseError.self) { try FormPost(body: Array("kommun=%zz".utf8)) }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: FormPost.ParseError.self) { try FormPost(body: Array("kommun=%C3%28".utf8)) }
    }
}
