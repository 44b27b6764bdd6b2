import BlankettCore
import BlankettPDF
import Testing

@Suite struct DecisionPDFTests {
    typealias Support = PDFTestSupport

    static let decision = DecisionPDFInput(
        organisationName: "Botkyrka kommun",
        namndName: "Socialnämnden",
        meetingDate: LocalDate(year: 2021, month: 1, day: 26)!,
        paragraph: "5",
        decisionText: "Socialnämnden godkänner att redovisningen av statsbidrag för verksamhet med personligt ombud för år 2020 inges till Länsstyrelsen i Stockholms län.",
        namndDiarienummer: "SN 2021:1",
        formTitle: "Redovisning – Statsbidrag till kommuner som bedriver verksamhet med personligt ombud"
    )

    @Test func theExtractShowsTheDecision() throws {
        let pdf = try PDFRenderer.renderDecision(Self.decision)
        let text = try Support.text(of: pdf, name: "decision")
        let flat = Support.flattened(text)
        #expect(text.contains("Protokollsutdrag"))
        #expect(text.contains("Socialnämnden"))
        #expect(text.contains("2021-01-26"))
        #expect(text.contains("§ 5"))
        #expect(text.contains("SN 2021:1"))
        #expect(flat.contains("Socialnämnden godkänner att redovisningen av statsbidrag för verksamhet med personligt ombud för år 2020 inges till Länsstyrelsen i Stockholms län."))
        #expect(text.contains("Sida 1 av 1"))
        let info = try Support.info(of: pdf, name: "decision")
        #expect(info["Title"] == "Protokollsutdrag Socialnämnden 2021-01-26 § 5")
        #expect(info["Author"] == "Botkyrka kommun")
    }
}
