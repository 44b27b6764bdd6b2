import BlankettCore
import BlankettPDF
import Foundation
import Testing

/// The three real forms with Botkyrka's answers, rendered and read back with
/// poppler's `pdftotext -layout` and `pdfinfo`.
@Suite struct FormPDFTests {
    typealias Support = PDFTestSupport

    /// A signature given through the identity provider says how the signer authenticated.
    @Test func theSignatureBlockNamesTheIdentityProvidersAssertion() throws {
        var input = try Support.input("po-redovisning-2020")
        let assertion = SigningAssertion(issuer: "https://login.botkyrka.se", subject: "248289761001",
                                         authenticationContext: "http://id.elegnamnden.se/loa/1.0/loa3", authenticatedAt: 1_609_751_700,
                                         idTokenSHA256Hex: String(repeating: "ab", count: 32))
        input.signatures = input.signatures.map { line in
            var line = line
            line.authentication = assertion.summary
            return line
        }
        let text = Support.flattened(try Support.text(of: try PDFRenderer.renderForm(input), name: "po-redovisning-assertion"))
        #expect(text.contains("Legitimering") && text.contains("legitimerad på nytt via https://login.botkyrka.se (loa3)"), "\(text.suffix(800))")
    }

    @Test func poRedovisningShowsTheAnswersTheSwedishWay() throws {
        let pdf = try PDFRenderer.renderForm(try Support.input("po-redovisning-2020"))
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        let text = try Support.text(of: pdf, name: "po-redovisning")
        let flat = Support.flattened(text)
        // Prefilled from the round, and typed "2,8": the Swedish way with two decimals.
        #expect(text.contains("1 127 386 kr"))
        #expect(text.contains("2,80"))
        #expect(!text.contains("2.80"))
        // Step headings in the authority's order.
        let headings = ["1. Personliga ombud", "2. Klienter", "3. Kontakt med verksamheten", "7. Ekonomi", "8. Coronapandemin"]
        let positions = headings.map { flat.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(headings)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        // A grid as a table, laid out as on paper: the total and the age groups of all clients as
        // rows, with Kvinnor and Män as columns.
        #expect(text.range(of: #"Totalt antal klienter\s+83\s+66\b"#, options: .regularExpression) != nil)
        #expect(text.range(of: #"därav mellan 30 och 49 år\s+35\s+23\b"#, options: .regularExpression) != nil)
        #expect(text.range(of: #"Ekonomi\s+79\s+25"#, options: .regularExpression) != nil)
        // yes/no and choices by their labels.
        #expect(text.range(of: #"Ombuden har erbjudits utbildning\.\s+Nej"#, options: .regularExpression) != nil)
        #expect(flat.contains("På grund av Covid-19 har inga utbildningar genomförts under året."))
        // The signature block and the page frame.
        #expect(text.contains("K7QX-2M4P-9TRB-4HW2-Q8ZD"), "the whole code on one line")
        #expect(text.contains("9f2c4e1b7a3d5f60812b9c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f"))
        #expect(text.contains("2021-01-04 kl. 10:15 svensk tid"))
        #expect(text.contains("Sida 1 av"))
        #expect(text.contains("Dnr SN 2021:1"))
        #expect(text.contains("Botkyrka kommun"))
    }

    /// Summer time began at 01:00 UTC on 2021-03-28: a signature half an hour
    /// later is 03:30 in Sweden, not 02:30 as winter time would have it.
    @Test func aSignatureAcrossTheChangeToSummerTimeIsPrintedInSwedishTime() throws {
        var signature = Support.signature
        signature.signedAt = "2021-03-28T01:30:00Z"
        let text = try Support.text(of: try PDFRenderer.renderForm(try Support.input("po-redovisning-2020", signatures: [signature])), name: "summer-time")
        #expect(Support.flattened(text).contains("2021-03-28 kl. 03:30 svensk tid (01:30 UTC)"))
    }

    @Test func questionsThatAreNotAskedAreLeftOut() throws {
        let text = try Support.text(of: try PDFRenderer.renderForm(try Support.input("po-redovisning-2020")), name: "irrelevant")
        let flat = Support.flattened(text)
        // utbildning = Nej: only "Om nej, ange varför." is asked.
        #expect(!flat.contains("Om ja, ange vilken/vilka utbildningar."))
        // ko = nej: no waiting time.
        #expect(!flat.contains("uppskatta hur lång väntetiden"))
        // No "Annan orsak" counted: its follow-up is not asked.
        #expect(!flat.contains("Om annan orsak, ange vilken."))
        #expect(flat.contains("Om nej, ange varför."))
    }

    @Test func anUnansweredRequiredQuestionIsMarked() throws {
        let answers = Support.changing(try Support.json("po-redovisning-2020-botkyrka"), "postort", to: nil)
        let text = try Support.text(of: try PDFRenderer.renderForm(try Support.input("po-redovisning-2020", answers: answers)), name: "unanswered")
        #expect(text.range(of: #"Postort\s+Ej besvarad"#, options: .regularExpression) != nil)
    }

    @Test func aDraftHasNoSignaturesAndSaysSo() throws {
        let text = try Support.text(of: try PDFRenderer.renderForm(try Support.input("po-redovisning-2020", signatures: [])), name: "draft")
        #expect(text.contains("Utkast – ej undertecknad"))
        #expect(text.contains("Ej undertecknad."))
        #expect(!text.contains("Kontrollkod"))
    }

    @Test func poAnsokanRenders() throws {
        let text = try Support.text(of: try PDFRenderer.renderForm(try Support.input("po-ansokan-2021")), name: "po-ansokan")
        #expect(text.contains("624-1061"))
        #expect(text.contains("212000-2882"))
        #expect(text.contains("Stöd- och utvecklingschef"))
        #expect(text.contains("År 2021"))
        #expect(text.contains("Sida 1 av"))
    }

    @Test func bemanningRendersWithPrefilledAndUnansweredMatrixRows() throws {
        let text = try Support.text(of: try PDFRenderer.renderForm(try Support.input("bemanning-aterrapportering-2020")), name: "bemanning")
        #expect(text.contains("955 473 kr"))
        #expect(text.contains("16570/2020"))
        // The seed lost the ticked boxes of question 7: its rows are relevant and unanswered.
        #expect(text.range(of: #"Socialsekreterare\s+Ej besvarad"#, options: .regularExpression) != nil)
        #expect(text.contains("Merith Fröberg"))
    }

    @Test func longAnswersContinueOnTheNextPage() throws {
        let sentence = "Verksamheten har under året utvecklats i samverkan med regionen och föreningslivet. "
        let long = String(repeating: sentence, count: 160) + "Sista meningen i övrigt."
        let answers = Support.changing(try Support.json("po-redovisning-2020-botkyrka"), "ovrigt", to: .string(long))
        let pdf = try PDFRenderer.renderForm(try Support.input("po-redovisning-2020", answers: answers))
        let short = try PDFRenderer.renderForm(try Support.input("po-redovisning-2020"))
        let pages = Int(try Support.info(of: pdf, name: "long")["Pages"] ?? "") ?? 0
        let shortPages = Int(try Support.info(of: short, name: "short")["Pages"] ?? "") ?? 0
        #expect(pages >= shortPages + 2)
        let flat = Support.flattened(try Support.text(of: pdf, name: "long"))
        #expect(flat.contains("Sista meningen i övrigt."))
        #expect(flat.contains("Sida \(pages) av \(pages)"))
    }

    @Test func metadataNamesTheFormAndTheOrganisation() throws {
        let info = try Support.info(of: try PDFRenderer.renderForm(try Support.input("po-redovisning-2020")), name: "metadata")
        #expect(info["Title"] == "Redovisning – Statsbidrag till kommuner som bedriver verksamhet med personligt ombud 2020")
        #expect(info["Author"] == "Botkyrka kommun")
        #expect(info["Subject"] == "Redovisning, 2020, Botkyrka kommun, Dnr SN 2021:1")
        #expect(info["Page size"]?.contains("A4") == true)
    }

    /// Writes PNG pages of the PO redovisning to /tmp/pdf-pages for a person to look at.
    @Test func pagesRenderToImages() throws {
        let path = try Support.write(try PDFRenderer.renderForm(try Support.input("po-redovisning-2020")), name: "pages")
        try Support.run("mkdir -p /tmp/pdf-pages && pdftoppm -r 60 -png '\(path)' /tmp/pdf-pages/po-redovisning")
        let bemanning = try Support.write(try PDFRenderer.renderForm(try Support.input("bemanning-aterrapportering-2020")), name: "pages-bemanning")
        try Support.run("pdftoppm -r 60 -png '\(bemanning)' /tmp/pdf-pages/bemanning")
        #expect(FileManager.default.fileExists(atPath: "/tmp/pdf-pages/po-redovisning-1.png") || FileManager.default.fileExists(atPath: "/tmp/pdf-pages/po-redovisning-01.png"))
    }
}
