import CPangoCairo

/// One PDF being written into memory: a Cairo PDF surface on a byte stream,
/// a composer that lays the pages out, and the page frame (header and footer)
/// drawn when the number of pages is known.
final class PDFDocument {
    /// Collects what Cairo writes.
    private final class Sink {
        var bytes: [UInt8] = []
    }

    struct Metadata {
        var title: String
        var author: String
        var subject: String
        var keywords: String?
    }

    /// What is printed at the top and bottom of every page.
    struct PageFrame {
        /// Left part of the header (organisation, form title); ellipsized when too long.
        var headerLeft: String
        /// Right part of the header (year, diarienummer).
        var headerRight: String
        /// Left part of the footer (e.g. "Utkast – ej undertecknad").
        var footerLeft: String
    }

    private let sink = Sink()
    private let surface: OpaquePointer
    private let context: OpaquePointer
    let composer: PageComposer

    init(metadata: Metadata) throws(PDFError) {
        let write: cairo_write_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            let sink = Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }
        guard let surface = cairo_pdf_surface_create_for_stream(
            write, Unmanaged.passUnretained(sink).toOpaque(), PageComposer.pageWidth, PageComposer.pageHeight
        ) else { throw PDFError(.surface, detail: "cairo_pdf_surface_create_for_stream returned nil") }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS, let context = cairo_create(surface) else {
            cairo_surface_destroy(surface)
            throw PDFError(.surface, detail: String(cString: cairo_status_to_string(status)))
        }
        self.surface = surface
        self.context = context
        composer = PageComposer(context: context)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, metadata.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, metadata.author)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, metadata.subject)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Blankett")
        if let keywords = metadata.keywords {
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_KEYWORDS, keywords)
        }
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// Draws every page with its frame and returns the finished PDF.
    func finish(frame: PageFrame) throws(PDFError) -> [UInt8] {
        let composer = self.composer
        assert(composer.structureIsClosed, "a structure element was not ended")
        let count = composer.pages.count
        let width = composer.contentWidth
        let headerLeft = composer.text(frame.headerLeft, style: .pageHeaderStrong, width: width * 0.68, ellipsize: true)
        let headerRight = composer.text(frame.headerRight, style: .pageHeader, width: width * 0.32, alignment: .right)
        let footerLeft = composer.text(frame.footerLeft, style: .pageHeader, width: width * 0.7)
        for index in 0..<count {
            composer.draw(page: index)
            // The frame is drawn where no element without children is open (see
            // PageComposer), so Cairo leaves it out of the structure tree: a screen
            // reader does not read the header and "Sida 1 av 3" between the form's parts.
            let headerY = 30.0
            drawBlock(headerLeft, x: composer.left, top: headerY)
            drawBlock(headerRight, x: composer.left + width * 0.68, top: headerY)
            composer.draw(.rule(x1: composer.left, x2: composer.right, y: headerY + 14, color: .rule, width: 0.5))
            let footerY = PageComposer.pageHeight - 40
            composer.draw(.rule(x1: composer.left, x2: composer.right, y: footerY - 4, color: .rule, width: 0.5))
            drawBlock(footerLeft, x: composer.left, top: footerY)
            let pageNumber = composer.text("Sida \(index + 1) av \(count)", style: .pageHeaderStrong, width: width * 0.3, alignment: .right)
            drawBlock(pageNumber, x: composer.left + width * 0.7, top: footerY)
            cairo_show_page(context)
        }
        cairo_surface_finish(surface)
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PDFError(.drawing, detail: String(cString: cairo_status_to_string(status)))
        }
        return sink.bytes
    }

    private func drawBlock(_ block: PageComposer.TextBlock, x: Double, top: Double) {
        for (index, line) in block.lines.enumerated() {
            composer.draw(.line(layout: block.layout, index: Int32(index), x: x + line.x, baseline: top + line.baseline, color: block.color))
        }
    }
}
