import BlankettCore

/// Lays one filled-in form out: a title block, every step the case is asked
/// in the authority's order, every asked question with its answer, and the
/// signature block. Relevance and computed values come from the engine
/// (`ValidationResult`); questions that are not asked are left out.
///
/// The structure tags follow the reading order: Document; the title (H1) and
/// the case's particulars (Table); a Sect per step (H2), per group (H3, deeper
/// groups H4…); a Div per question holding its label, help and answer (P, L or
/// Table); and the signature block as a Sect.
struct FormLayout {
    let input: FormPDFInput
    let result: ValidationResult
    let composer: PageComposer

    private var definition: FormDefinition { input.definition }

    /// The year the case is about: the period's, else the form version.
    static func year(of input: FormPDFInput) -> String {
        if let date = input.context.periodEnd ?? input.context.periodStart { return String(date.year) }
        return input.definition.version
    }

    func compose() {
        composer.tagged(.document) {
            titleBlock()
            for step in definition.steps {
                let stepAsked = step.relevant.map { result.holds($0) } ?? true
                guard stepAsked, step.fields.contains(where: { isShown($0, parentShown: true) }) else { continue }
                composer.ensureSpace(70)
                composer.tagged(.section) {
                    stepHeading(step)
                    for field in step.fields { render(field, parentShown: true, level: 3) }
                }
            }
            signatureBlock()
        }
    }

    // MARK: Title and steps

    private func titleBlock() {
        composer.paragraph(definition.title, style: .documentTitle, tag: .heading1, spacingAfter: 8)
        var rows: [(String, String)] = [
            ("Organisation", input.organisationName),
            ("Organisationsnummer", input.organisationsnummer),
        ]
        if let start = input.context.periodStart, let end = input.context.periodEnd {
            rows.append(("Period", "\(start) – \(end)"))
        } else {
            rows.append(("År", Self.year(of: input)))
        }
        if let ordinance = definition.ordinance { rows.append(("Förordning", ordinance)) }
        rows.append(("Nämndens diarienummer", input.namndDiarienummer ?? "Ej registrerat"))
        if let authority = input.authorityDiarienummer { rows.append(("Myndighetens diarienummer", authority)) }
        if let sendTo = input.sendTo { rows.append(("Sänds till", sendTo)) }
        Self.keyValueTable(rows, composer: composer)
        composer.y += 8
        if input.signatures.isEmpty {
            composer.paragraph("Utkast – formuläret är inte undertecknat.", style: .unanswered, spacingAfter: 6)
        }
    }

    /// A table of particulars: each row a header cell (the key) and its value.
    static func keyValueTable(_ rows: [(String, String)], composer: PageComposer) {
        let widths = [composer.contentWidth * 0.32, composer.contentWidth * 0.68]
        composer.tagged(.table) {
            for (key, value) in rows {
                composer.tableRow([.init(text: key, style: .tableHeader, isHeader: true), .init(text: value, style: .tableCell)],
                                  x: composer.left, widths: widths)
            }
        }
    }

    private func stepHeading(_ step: Step) {
        composer.y += 10
        composer.paragraph(step.title, style: .stepHeading, tag: .heading2, spacingAfter: 2)
        composer.add(.rule(x1: composer.left, x2: composer.right, y: composer.y, color: .accent, width: 0.8))
        composer.y += 6
        if let intro = step.intro { paragraphs(input.texts.fill(intro), style: .help) }
    }

    private func paragraphs(_ text: String, style: TextStyle, indent: Double = 0) {
        for part in Self.paragraphs(text) {
            composer.paragraph(part, style: style, indent: indent, spacingAfter: 3)
        }
    }

    /// Blank lines separate paragraphs; single line breaks are kept.
    static func paragraphs(_ text: String) -> [String] {
        var result: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy(\.isWhitespace) {
                if !current.isEmpty { result.append(current.joined(separator: "\n")) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { result.append(current.joined(separator: "\n")) }
        return result
    }

    // MARK: Relevance

    /// Whether a field is shown: an answerable field when any of its answer
    /// slots is asked, a group when any child is, an info text when its own
    /// condition and its parent's hold.
    private func isShown(_ field: Field, parentShown: Bool) -> Bool {
        guard parentShown else { return false }
        switch field.type {
        case .info:
            return field.relevant.map { result.holds($0) } ?? true
        case .group:
            let own = field.relevant.map { result.holds($0) } ?? true
            return own && field.children.contains { child in
                if case .info = child.type { return false }
                return isShown(child, parentShown: true)
            }
        case .grid(let rows, let columns, _):
            return rows.contains { row in columns.contains { asked("\(field.path).\(row.id).\($0.id)") } }
        case .matrix(let rows, _):
            return rows.contains { asked("\(field.path).\($0.id)") }
        default:
            return asked(field.path)
        }
    }

    private func asked(_ path: String) -> Bool {
        result.isAsked(path, in: definition) ?? false
    }

    private func value(_ path: String) -> Value {
        result.value(atPath: path, in: definition) ?? .empty
    }

    /// The answer as given in the JSON, for answers the engine could not read.
    private func raw(_ path: String) -> JSONValue? {
        var current = input.answers
        for segment in path.split(separator: ".") {
            guard case .object(let object) = current, let next = object[String(segment)] else { return nil }
            current = next
        }
        return current.isNull ? nil : current
    }

    // MARK: Fields

    /// Renders a shown field; `level` is the level of the headings it has (a group's, an info text's).
    private func render(_ field: Field, parentShown: Bool, level: Int) {
        guard isShown(field, parentShown: parentShown) else { return }
        switch field.type {
        case .info(let text):
            composer.ensureSpace(30)
            if let label = field.label {
                composer.paragraph(label, style: .groupHeading, tag: .heading(level), spacingAfter: 2)
            }
            if let text { paragraphs(input.texts.fill(text), style: .help) }
            composer.y += 2
        case .group:
            guard field.label != nil else {
                for child in field.children { render(child, parentShown: true, level: level) }
                return
            }
            composer.tagged(.section) {
                questionHeader(field, style: .groupHeading, labelTag: .heading(level))
                for child in field.children { render(child, parentShown: true, level: level + 1) }
            }
        default:
            // The label, any help and the answer read as one question.
            composer.tagged(.division) { question(field) }
        }
    }

    private func question(_ field: Field) {
        switch field.type {
        case .info, .group:
            break
        case .grid(let rows, let columns, let cell):
            questionHeader(field, keep: 70)
            grid(field, rows: rows, columns: columns, cell: cell)
        case .matrix(let rows, _):
            questionHeader(field, keep: 40)
            matrix(field, rows: rows)
        case .multiChoice(let options, _, _):
            questionHeader(field)
            let labels = AnswerText.selectedLabels(value(field.path), options: options)
            if labels.isEmpty {
                answerParagraph(nil, field: field)
            } else {
                list(labels.map { ("•", $0) })
            }
            composer.y += 6
        case .list(let item, _, _):
            questionHeader(field)
            if item != nil { simpleList(field) } else { listOfFields(field) }
            composer.y += 6
        case .longText:
            questionHeader(field)
            answerParagraph(answerText(field), field: field)
            composer.y += 6
        default:
            if field.help == nil && field.ordinance == nil {
                labelAnswerRow(field)
            } else {
                questionHeader(field)
                answerParagraph(answerText(field), field: field)
                composer.y += 6
            }
        }
    }

    /// The label, the ordinance reference and the help text, kept on one page
    /// with `keep` points of what follows (the answer, a table's first rows).
    /// The label (a paragraph, or a group's heading), the ordinance reference
    /// and the help text, kept on one page with `keep` points of what follows
    /// (the answer, a table's first rows).
    private func questionHeader(_ field: Field, style: TextStyle = .label, labelTag: StructureTag = .paragraph, keep: Double = 28) {
        guard let label = field.label else { return }
        let width = composer.contentWidth
        var blocks: [(PageComposer.TextBlock, StructureTag, Double)] = [(composer.text(label, style: style, width: width), labelTag, 2)]
        if let ordinance = field.ordinance {
            blocks.append((composer.text("Enligt \(ordinance)", style: .help, width: width), .paragraph, 2))
        }
        if let help = field.help {
            blocks += Self.paragraphs(input.texts.fill(help)).map { (composer.text($0, style: .help, width: width), .paragraph, 3) }
        }
        let height = blocks.reduce(0) { $0 + $1.0.height + $1.2 }
        composer.ensureSpace(min(height, composer.bottom - composer.top - 80) + keep)
        for (block, tag, spacing) in blocks { composer.flow(block, x: composer.left, tag: tag, spacingAfter: spacing) }
        composer.y += 1
    }

    /// The printed answer of a single-valued field, with a note for read-only values.
    private func answerText(_ field: Field) -> String? {
        let current = value(field.path)
        if let text = AnswerText.format(current, type: field.type, unit: field.unit) {
            if field.calculate != nil { return text + "  (beräknat)" }
            if field.prefill != nil { return text + "  (förifyllt)" }
            return text
        }
        if let given = raw(field.path), !field.isReadOnly,
           let text = AnswerText.formatRaw(given, type: field.type, unit: field.unit) {
            return text + "  (ogiltigt svar)"
        }
        return nil
    }

    private func answerParagraph(_ text: String?, field: Field) {
        if let text {
            composer.paragraph(text, style: .answer, indent: 10, spacingAfter: 0)
        } else {
            composer.paragraph(AnswerText.unanswered, style: .unanswered, indent: 10, spacingAfter: 0)
        }
    }

    /// Label on the left, answer on the right; never split.
    private func labelAnswerRow(_ field: Field) {
        let labelWidth = composer.contentWidth * 0.55
        let answerWidth = composer.contentWidth - labelWidth - 10
        let label = composer.text(field.label ?? "", style: .label, width: labelWidth)
        let text = answerText(field)
        let answer = composer.text(text ?? AnswerText.unanswered, style: text == nil ? .unanswered : .answer, width: answerWidth)
        let height = max(label.height, answer.height)
        composer.ensureSpace(height + 4)
        composer.tagged(.paragraph) { composer.place(label, x: composer.left, top: composer.y) }
        composer.tagged(.paragraph) { composer.place(answer, x: composer.left + labelWidth + 10, top: composer.y) }
        composer.y += height + 2.5
        composer.add(.rule(x1: composer.left, x2: composer.right, y: composer.y, color: .shade, width: 0.5))
        composer.y += 3.5
    }

    // MARK: Lists

    /// A list of answers, each with its marker (a bullet, a number) hanging to the left.
    private func list(_ entries: [(marker: String, text: String)]) {
        let indent = 10.0
        let markers = entries.map { composer.text($0.marker, style: .answer, width: 40) }
        // The widest marker and two spaces' worth of room before the text.
        let markerWidth = (markers.compactMap { $0.lines.first?.width }.max() ?? 0) + 6.5
        let bodyWidth = composer.contentWidth - indent - markerWidth
        composer.tagged(.list) {
            for (marker, entry) in zip(markers, entries) {
                let body = composer.text(entry.text, style: .answer, width: bodyWidth)
                composer.ensureSpace(body.lines.first?.height ?? 0)
                composer.tagged(.listItem) {
                    composer.tagged(.label) { composer.place(marker, x: composer.left + indent, top: composer.y) }
                    composer.flow(body, x: composer.left + indent + markerWidth, tag: .listBody, spacingAfter: 1)
                }
            }
        }
    }

    // MARK: Tables

    /// A table whose header row is repeated on each page it continues on. The
    /// repetitions are drawn untagged: a screen reader reads the header once.
    private func table(header: @escaping (_ tagged: Bool) -> Void, body: () -> Void) {
        composer.tagged(.table) {
            header(true)
            composer.onNewPage = { header(false) }
            body()
            composer.onNewPage = nil
        }
    }

    private func grid(_ field: Field, rows: [GridAxis], columns: [GridAxis], cell: FieldType) {
        let width = composer.contentWidth
        let first = columns.count <= 2 ? width * 0.5 : columns.count <= 4 ? width * 0.34 : width * 0.22
        let rest = (width - first) / Double(columns.count)
        let widths = [first] + Array(repeating: rest, count: columns.count)
        let composer = self.composer
        let header = { (tagged: Bool) in
            composer.tableRow([.init(text: "", style: .tableHeader)]
                + columns.map { .init(text: $0.label, style: .tableHeader, alignment: .right, isHeader: true) },
                x: composer.left, widths: widths, shaded: true, tagged: tagged)
        }
        table(header: header) {
            for row in rows {
                let paths = columns.map { "\(field.path).\(row.id).\($0.id)" }
                guard paths.contains(where: asked) else { continue }
                var cells: [PageComposer.Cell] = [.init(text: row.label + (row.help.map { "\n\($0)" } ?? ""), style: .tableHeader, isHeader: true)]
                for path in paths {
                    if !asked(path) {
                        cells.append(.init(text: "–", style: .tableCell, alignment: .right))
                    } else if let text = AnswerText.format(value(path), type: cell, unit: nil) {
                        cells.append(.init(text: text, style: .tableCell, alignment: .right))
                    } else if let given = raw(path), let text = AnswerText.formatRaw(given, type: cell, unit: nil) {
                        cells.append(.init(text: text + " (ogiltigt)", style: .tableCell, alignment: .right))
                    } else {
                        cells.append(.init(text: AnswerText.unanswered, style: .tableMissing, alignment: .right))
                    }
                }
                composer.tableRow(cells, x: composer.left, widths: widths)
            }
        }
        if let unit = field.unit { composer.paragraph("Enhet: \(unit)", style: .help, spacingAfter: 0) }
        composer.y += 8
    }

    private func matrix(_ field: Field, rows: [GridAxis]) {
        let widths = [composer.contentWidth * 0.5, composer.contentWidth * 0.5]
        composer.tagged(.table) {
            for row in rows {
                let path = "\(field.path).\(row.id)"
                guard asked(path) else { continue }
                let text = AnswerText.format(value(path), type: field.type, unit: nil)
                composer.tableRow([.init(text: row.label + (row.help.map { "\n\($0)" } ?? ""), style: .tableHeader, isHeader: true),
                                   .init(text: text ?? AnswerText.unanswered, style: text == nil ? .tableMissing : .tableCell)],
                                  x: composer.left, widths: widths)
            }
        }
        composer.y += 8
    }

    private func simpleList(_ field: Field) {
        guard case .list(let items) = value(field.path), !items.isEmpty else {
            answerParagraph(nil, field: field)
            return
        }
        guard case .list(let itemType?, _, _) = field.type else { return }
        list(items.enumerated().map { index, item in
            ("\(index + 1).", AnswerText.format(item, type: itemType, unit: nil) ?? "–")
        })
    }

    private func listOfFields(_ field: Field) {
        guard case .array(let items)? = raw(field.path), !items.isEmpty else {
            answerParagraph(nil, field: field)
            return
        }
        let children = field.children.filter(\.isAnswerable)
        guard !children.isEmpty else { return }
        let numberWidth = 24.0
        let rest = (composer.contentWidth - numberWidth) / Double(children.count)
        let widths = [numberWidth] + Array(repeating: rest, count: children.count)
        let composer = self.composer
        let header = { (tagged: Bool) in
            composer.tableRow([.init(text: "Nr", style: .tableHeader, isHeader: true)]
                + children.map { .init(text: $0.label ?? $0.id, style: .tableHeader, isHeader: true) },
                x: composer.left, widths: widths, shaded: true, tagged: tagged)
        }
        table(header: header) {
            for (index, item) in items.enumerated() {
                var cells: [PageComposer.Cell] = [.init(text: "\(index + 1)", style: .tableCell)]
                for child in children {
                    let text = item[child.id].flatMap { AnswerText.formatRaw($0, type: child.type, unit: child.unit) }
                    cells.append(.init(text: text ?? "–", style: .tableCell))
                }
                composer.tableRow(cells, x: composer.left, widths: widths)
            }
        }
    }

    // MARK: Signatures

    private func signatureBlock() {
        // The heading, the explanation and the first signature stay together.
        composer.ensureSpace(input.signatures.isEmpty ? 60 : 190)
        composer.tagged(.section) { signatureSection() }
    }

    private func signatureSection() {
        composer.y += 10
        composer.paragraph("Elektronisk underskrift", style: .stepHeading, tag: .heading2, spacingAfter: 2)
        composer.add(.rule(x1: composer.left, x2: composer.right, y: composer.y, color: .accent, width: 0.8))
        composer.y += 6
        guard !input.signatures.isEmpty else {
            composer.paragraph("Ej undertecknad. Detta är en utskrift av ett utkast och kan ändras.", style: .unanswered)
            return
        }
        composer.paragraph(
            "Formuläret har undertecknats elektroniskt av behörig företrädare. Kontrollsumman (SHA-256) avser det undertecknade innehållet; varje ändring efter underskriften gör underskriften ogiltig. Tider anges i svensk tid.",
            style: .help, spacingAfter: 6)
        let widths = [composer.contentWidth * 0.24, composer.contentWidth * 0.76]
        for signature in input.signatures.sorted(by: { $0.sequence < $1.sequence }) {
            composer.ensureSpace(100)
            composer.tagged(.table) {
                composer.tableRow([.init(text: "Underskrift \(signature.sequence)", style: .tableHeader, isHeader: true),
                                   .init(text: signature.name, style: .label)],
                                  x: composer.left, widths: widths, shaded: true)
                var rows: [(String, String, TextStyle)] = [
                    ("Titel", signature.title, .tableCell),
                    ("Tidpunkt", SwedishTime(iso: signature.signedAt)?.descriptionWithUTC ?? signature.signedAt, .tableCell),
                ]
                if let authentication = signature.authentication { rows.append(("Legitimering", authentication, .tableCell)) }
                rows += [
                    ("SHA-256", signature.snapshotSHA256Hex, .mono),
                    ("Kontrollkod", signature.verificationCode, .mono),
                ]
                for (key, text, style) in rows {
                    composer.tableRow([.init(text: key, style: .tableHeader, isHeader: true), .init(text: text, style: style)],
                                      x: composer.left, widths: widths)
                }
            }
            composer.y += 8
        }
    }
}
