import BlankettCore
import BlankettPDF
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The structure tags a screen reader follows, read back with `pdfinfo -struct-text`.
///
/// Poppler 22.12 prints an element's text only up to the first marked content
/// nested in it: Cairo wraps the space at a line break (and ligatures) in a
/// Span with /ActualText, so a wrapped paragraph reads back as its first line.
/// Texts are therefore compared as prefixes where they may wrap.
@Suite struct TaggedPDFTests {
    typealias Support = PDFTestSupport
    typealias Element = PDFTestSupport.StructureElement

    static let signatureHeading = "Elektronisk underskrift"

    @Test func theFormAndTheDecisionAreTagged() throws {
        let form = try Support.info(of: try PDFRenderer.renderForm(try Support.input("po-redovisning-2020")), name: "tagged-form")
        #expect(form["Tagged"] == "yes")
        let decision = try Support.info(of: try PDFRenderer.renderDecision(DecisionPDFTests.decision), name: "tagged-decision")
        #expect(decision["Tagged"] == "yes")
    }

    /// pdfua (`scripts/pdf-check ua`), the machine-checkable part of PDF/UA-1:
    /// a structure tree, all content tagged or an artifact (the page frame),
    /// the language, the title shown, non-empty headings, tables whose headers
    /// name their cells, annotations (the signature fields) with a description.
    /// Not asked: the PDF/UA identification (UA-28-004), which a file should
    /// carry only when a full validator has found it conforming.
    @Test func theSignedFormPassesTheMachineCheckableAccessibilityRules() throws {
        let files = try PDFSeal.development(organisation: "Botkyrka kommun", now: Date())
        let seal = try PDFSeal(certificatesPEM: files.certificatesPEM, privateKeyPEM: files.privateKeyPEM)
        for (name, pdf) in [
            ("ua-form", try seal.sign(try PDFRenderer.renderForm(try Support.input("po-redovisning-2020")),
                                      for: PDFSignatory(name: "Jennifer Gavin", signedAt: Date()))),
            ("ua-bemanning", try PDFRenderer.renderForm(try Support.input("bemanning-aterrapportering-2020"))),
            ("ua-decision", try PDFRenderer.renderDecision(DecisionPDFTests.decision)),
        ] {
            let path = try Support.write(pdf, name: name)
            let rules = "UA-01,UA-06,UA-07,UA-13,UA-14,UA-15,UA-18"
            let status = system("'\(Support.repository.path)/scripts/pdf-check' ua '\(path)' --rules \(rules) > '\(path).ua' 2>&1")
            let report = (try? String(contentsOfFile: path + ".ua", encoding: .utf8)) ?? ""
            #expect(status == 0 && report.contains("result: PASS"), "\(name): \(report)")
        }
    }

    @Test func theStructureFollowsTheForm() throws {
        let input = try Support.input("po-redovisning-2020")
        let root = try Support.structure(of: try PDFRenderer.renderForm(input), name: "structure")
        #expect(root.children.map(\.type) == ["Document"])
        let document = try #require(root.children.first)

        // One H1, the form's title, first.
        let titles = document.all("H1")
        #expect(titles.count == 1)
        #expect(document.children.first?.type == "H1")
        let title = try #require(titles.first).text
        #expect(title.count > 20 && input.definition.title.hasPrefix(title), "\(title)")

        // The case's particulars: a table of header and data cells.
        let particulars = try #require(document.children.dropFirst().first)
        #expect(particulars.type == "Table")
        #expect(Self.rows(of: particulars).first == ["TH Organisation", "TD Botkyrka kommun"])

        // A Sect per step with its H2, in the authority's order, then the signature block.
        let steps = document.children.filter { $0.type == "Sect" }
        #expect(steps.map { $0.children.first?.type } == Array(repeating: "H2", count: steps.count))
        #expect(document.all("H2").map(\.text) == input.definition.steps.map(\.title) + [Self.signatureHeading])

        // A grid as a table: a header row of TH, each row a TH and its TD answers.
        let clients = try #require(document.all("Table").first { $0.allText.contains("Totalt antal klienter") })
        let rows = Self.rows(of: clients)
        #expect(rows.first == ["TD ", "TH Kvinnor", "TH Män"])
        #expect(rows.dropFirst().first == ["TH Totalt antal klienter", "TD 83", "TD 66"])
        // Which cells a header names, added after rendering (Cairo 1.16 drops structure attributes).
        let headerRow = try #require(clients.all("TR").first)
        #expect(headerRow.children.filter { $0.type == "TH" }.map { $0.attributes["/Scope"] } == ["/Column", "/Column"])
        #expect(clients.all("TR").dropFirst().first?.children.first?.attributes["/Scope"] == "/Row")
        #expect(particulars.all("TH").allSatisfy { $0.attributes["/Scope"] == "/Row" })

        // A question reads its label, then its answer.
        let question = try #require(document.all("Div").first { $0.children.first?.text == "Ombuden har erbjudits utbildning." })
        #expect(question.children.map { "\($0.type) \($0.text)" } == ["P Ombuden har erbjudits utbildning.", "P Nej"])

        // The signature block: a Sect with its heading, the explanation and a table per signature.
        let signatures = try #require(steps.last)
        #expect(signatures.children.map(\.type) == ["H2", "P", "Table"])
        #expect(signatures.children.first?.text == Self.signatureHeading)
        #expect(signatures.children.dropFirst().first?.text.hasPrefix("Formuläret har undertecknats elektroniskt") == true)
        let signature = Self.rows(of: signatures.children[2])
        #expect(signature.first == ["TH Underskrift 1", "TD Jennifer Gavin"])
        #expect(signature.contains(["TH Kontrollkod", "TD K7QX-2M4P-9TRB-4HW2-Q8ZD"]))
    }

    /// The page header and footer are drawn untagged: not read between the form's
    /// parts, nor inside an answer that continues on the next page.
    @Test func thePageFrameIsNotInTheStructure() throws {
        // Short lines broken by hand: poppler reads each page's part of the answer whole.
        let lines = (1...250).map { "Rad \($0)" }
        let answers = Support.changing(try Support.json("po-redovisning-2020-botkyrka"), "ovrigt", to: .string(lines.joined(separator: "\n")))
        let root = try Support.structure(of: try PDFRenderer.renderForm(try Support.input("po-redovisning-2020", answers: answers)), name: "frame")
        let answer = try #require(root.all("P").first { $0.allText.hasPrefix("Rad 1") })
        #expect(answer.children.count >= 2)
        #expect(answer.allText.hasSuffix("Rad 250"), "\(answer.allText.suffix(200))")
        let texts = Self.elements(of: root).map(\.text)
        for frame in ["Sida ", "Botkyrka kommun · Redovisning", "År 2020 · Dnr", "Undertecknad elektroniskt av"] {
            #expect(!texts.contains { $0.contains(frame) }, "\(frame)")
        }
    }

    @Test func theStructureReadsInFormOrder() throws {
        let root = try Support.structure(of: try PDFRenderer.renderForm(try Support.input("po-redovisning-2020")), name: "order")
        let text = root.allText
        let phrases = [
            "Redovisning – Statsbidrag", "Organisationsnummer", "212000-2882",
            "Postort", "Tumba", "1. Personliga ombud", "Ombuden har erbjudits utbildning.", "Nej",
            "2. Klienter", "Totalt antal klienter", "83", "66", "7. Ekonomi", "1 127 386 kr",
            "8. Coronapandemin", Self.signatureHeading, "Kontrollkod", "K7QX-2M4P-9TRB-4HW2-Q8ZD",
        ]
        #expect(Self.inOrder(phrases, in: text), "\(text.prefix(600))")
    }

    /// `pdftotext` without -layout reads the page content as drawn: label before answer, steps in order.
    @Test func plainTextReadsInFormOrder() throws {
        let text = Support.flattened(try Support.plainText(of: try PDFRenderer.renderForm(try Support.input("po-redovisning-2020")), name: "plain"))
        let phrases = [
            "Organisation Botkyrka kommun", "Postort Tumba", "1. Personliga ombud",
            "Ombuden har erbjudits utbildning. Nej", "Om nej, ange varför. På grund av Covid-19",
            "2. Klienter", "3. Kontakt med verksamheten", "7. Ekonomi", "8. Coronapandemin",
            Self.signatureHeading, "Kontrollkod K7QX-2M4P-9TRB-4HW2-Q8ZD",
        ]
        #expect(Self.inOrder(phrases, in: text), "\(text.prefix(600))")
    }

    /// A paragraph continuing over pages stays one P, its text a Span per page.
    @Test func aLongAnswerIsOneParagraphAcrossPages() throws {
        let sentence = "Verksamheten har under året utvecklats i samverkan med regionen och föreningslivet. "
        let answers = Support.changing(try Support.json("po-redovisning-2020-botkyrka"), "ovrigt",
                                       to: .string(String(repeating: sentence, count: 160) + "Sista meningen i övrigt."))
        let root = try Support.structure(of: try PDFRenderer.renderForm(try Support.input("po-redovisning-2020", answers: answers)), name: "long-structure")
        let answer = try #require(root.all("Div").first { $0.children.first?.text.hasPrefix("Synpunkter och övriga") == true }?.children.last)
        #expect(answer.type == "P")
        #expect(answer.children.count >= 3, "a Span on each of the pages it covers")
        for part in answer.children {
            #expect(part.type == "Span")
            #expect(part.text.hasPrefix("Verksamheten har under året"), "a page begins a new sentence here, not with the page header: \(part.text)")
        }
        #expect(root.all("P").filter { $0.allText.contains("Verksamheten har under året") }.count == 1)
    }

    /// A table continuing on the next page stays one Table; the header row repeated
    /// on the new page is drawn for the eye only, so it is read once.
    @Test func aTableAcrossAPageBreakIsOneTableWithOneHeaderRow() throws {
        let count = 80
        let rows = (1...count).map { "{ id: r\($0), label: Rad \($0) }" }.joined(separator: ", ")
        let definition = try FormDefinition.load("""
            form: lang-tabell
            version: 2020
            kind: redovisning
            title: Lång tabell
            grant: test
            authority: lansstyrelsen
            steps:
              - id: tabell
                title: Tabellen
                fields:
                  - id: antal
                    type: grid
                    label: Antal per rad
                    rows: [\(rows)]
                    columns: [{ id: kvinnor, label: Kvinnor }, { id: man, label: Män }]
                    cell: { type: integer }
                  - id: kommuner
                    type: list
                    label: Kommuner
                    item: { type: text, label: Kommun }
            """, file: "forms/lang-tabell-2020.yaml").get()
        let cells = (1...count).map { "\"r\($0)\": { \"kvinnor\": \($0), \"man\": \(count - $0) }" }.joined(separator: ", ")
        let towns = (1...count).map { "\"Kommun \($0)\"" }.joined(separator: ", ")
        let answers = try JSONValue.parse(Array("{ \"antal\": { \(cells) }, \"kommuner\": [\(towns)] }".utf8))
        let input = FormPDFInput(definition: definition, answers: answers, context: ValidationContext(),
                                 organisationName: "Botkyrka kommun", organisationsnummer: "212000-2882",
                                 namndDiarienummer: nil, authorityDiarienummer: nil, signatures: [])
        let pdf = try PDFRenderer.renderForm(input)

        // The header row is printed again on the page the table continues on.
        let pages = try Support.text(of: pdf, name: "long-table").split(separator: "\u{0C}")
        let continued = try #require(pages.firstIndex { $0.contains("Rad \(count)") })
        #expect(continued > pages.startIndex && !pages[pages.startIndex].contains("Rad \(count)"), "the table covers two pages")
        #expect(pages[continued].range(of: #"Kvinnor\s+Män"#, options: .regularExpression) != nil)

        // In the structure: one table (besides the particulars), one header row, every data row once.
        let root = try Support.structure(of: pdf, name: "long-table")
        let tables = root.all("Table").filter { $0.allText.contains("Rad ") }
        #expect(tables.count == 1)
        let table = Self.rows(of: try #require(tables.first))
        #expect(table.count == count + 1)
        #expect(table.filter { $0.contains("TH Kvinnor") }.count == 1)
        #expect(table.first == ["TD ", "TH Kvinnor", "TH Män"])
        #expect(table.last == ["TH Rad \(count)", "TD \(count)", "TD 0"])

        // The list continues over the page too: one L, an LI with its number and text per answer.
        let lists = root.all("L")
        #expect(lists.count == 1)
        let items = try #require(lists.first).children
        #expect(items.count == count)
        #expect(items.allSatisfy { $0.type == "LI" && $0.children.map(\.type) == ["Lbl", "LBody"] })
        #expect(items.last.map { $0.children.map(\.allText) } == ["\(count).", "Kommun \(count)"])
    }

    @Test func theDecisionIsTaggedLikeTheForm() throws {
        let root = try Support.structure(of: try PDFRenderer.renderDecision(DecisionPDFTests.decision), name: "decision-structure")
        let document = try #require(root.children.first)
        #expect(root.children.map(\.type) == ["Document"])
        #expect(document.children.map(\.type) == ["H1", "Table", "Sect"])
        #expect(document.children.first?.text == "Protokollsutdrag")
        #expect(Self.rows(of: document.children[1]).last == ["TH Diarienummer", "TD SN 2021:1"])
        let section = document.children[2]
        #expect(section.children.map(\.type) == ["H2", "H3", "P"])
        #expect(section.children.first?.text.hasPrefix("§ 5  Redovisning") == true)
        #expect(section.children[1].text == "Beslut")
        #expect(section.children[2].text.hasPrefix("Socialnämnden godkänner"))
        #expect(!Self.elements(of: root).contains { $0.text.contains("Sida ") || $0.text.contains("sammanträde ") })
    }

    // MARK: Helpers

    /// A table's rows, each cell as its type and text ("TH Kvinnor").
    static func rows(of table: Element) -> [[String]] {
        table.all("TR").map { row in row.children.map { "\($0.type) \($0.allText)" } }
    }

    static func elements(of element: Element) -> [Element] {
        [element] + element.children.flatMap(elements(of:))
    }

    /// Whether each phrase occurs after the previous one.
    static func inOrder(_ phrases: [String], in text: String) -> Bool {
        var rest = text[...]
        for phrase in phrases {
            guard let found = rest.range(of: phrase) else { return false }
            rest = rest[found.upperBound...]
        }
        return true
    }
}
