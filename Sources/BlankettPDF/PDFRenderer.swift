import BlankettCore

/// Renders forms and decisions to PDF (A4, Cairo + Pango, DejaVu Sans).
/// Pure: no database, no clock, no files; the bytes are returned.
public enum PDFRenderer {
    /// The complete form as the authority orders it, with the answers the
    /// Swedish way, unanswered questions marked "Ej besvarad", questions that
    /// are not asked left out, and the signature block.
    public static func renderForm(_ input: FormPDFInput) throws(PDFError) -> [UInt8] {
        let definition = input.definition
        let result = definition.validate(input.answers, context: input.context)
        let year = FormLayout.year(of: input)
        let diarienummer = [input.namndDiarienummer, input.authorityDiarienummer].compactMap { $0 }
        let metadata = PDFDocument.Metadata(
            title: "\(definition.title) \(year)",
            author: input.organisationName,
            subject: ([kindName(definition.kind), year, input.organisationName] + diarienummer.map { "Dnr \($0)" })
                .joined(separator: ", "),
            keywords: definition.id
        )
        let document = try PDFDocument(metadata: metadata)
        FormLayout(input: input, result: result, composer: document.composer).compose()
        let names = input.signatures.sorted { $0.sequence < $1.sequence }.map(\.name)
        return try PDFDescription.adding(to: document.finish(frame: .init(
            headerLeft: "\(input.organisationName) · \(definition.title)",
            headerRight: (["År \(year)"] + diarienummer.map { "Dnr \($0)" }).joined(separator: " · "),
            footerLeft: names.isEmpty ? "Utkast – ej undertecknad" : "Undertecknad elektroniskt av \(names.joined(separator: ", "))"
        )), metadata)
    }

    /// A protokollsutdrag: the nämnd's decision on the case.
    public static func renderDecision(_ input: DecisionPDFInput) throws(PDFError) -> [UInt8] {
        let paragraph = input.paragraph.hasPrefix("§") ? input.paragraph : "§ \(input.paragraph)"
        let metadata = PDFDocument.Metadata(
            title: "Protokollsutdrag \(input.namndName) \(input.meetingDate) \(paragraph)",
            author: input.organisationName,
            subject: "\(input.formTitle), Dnr \(input.namndDiarienummer)",
            keywords: nil
        )
        let document = try PDFDocument(metadata: metadata)
        let composer = document.composer
        // Tagged like the form: the title (H1), the particulars (Table), and the
        // paragraph of the minutes as a Sect with its heading (H2) and the decision (H3, P).
        composer.tagged(.document) {
            composer.paragraph("Protokollsutdrag", style: .documentTitle, tag: .heading1, spacingAfter: 8)
            FormLayout.keyValueTable([
                ("Organisation", input.organisationName),
                ("Nämnd", input.namndName),
                ("Sammanträdesdatum", input.meetingDate.description),
                ("Paragraf", paragraph),
                ("Diarienummer", input.namndDiarienummer),
            ], composer: composer)
            composer.y += 14
            composer.tagged(.section) {
                composer.paragraph("\(paragraph)  \(input.formTitle)", style: .stepHeading, tag: .heading2, spacingAfter: 2)
                composer.add(.rule(x1: composer.left, x2: composer.right, y: composer.y, color: .accent, width: 0.8))
                composer.y += 8
                composer.paragraph("Beslut", style: .groupHeading, tag: .heading3, spacingAfter: 3)
                for part in FormLayout.paragraphs(input.decisionText) {
                    composer.paragraph(part, style: .body, spacingAfter: 6)
                }
            }
        }
        return try PDFDescription.adding(to: document.finish(frame: .init(
            headerLeft: "\(input.organisationName) · \(input.namndName) · Protokollsutdrag",
            headerRight: "\(input.meetingDate) · \(paragraph) · Dnr \(input.namndDiarienummer)",
            footerLeft: "\(input.namndName), sammanträde \(input.meetingDate.swedishLongFormat)"
        )), metadata)
    }

    static func kindName(_ kind: String) -> String {
        switch kind {
        case "ansokan": "Ansökan"
        case "redovisning": "Redovisning"
        case "aterrapportering": "Återrapportering"
        default: kind
        }
    }
}
