import CPangoCairo

/// Lays text and tables out on A4 pages and remembers what to draw where, so
/// that the pages can be drawn once their number is known ("Sida 1 av 3").
///
/// Text is placed line by line: a long answer continues on the next page.
/// Table rows and short label/answer rows are never split.
///
/// Structure tags (a tagged PDF) are recorded with the drawing, so that the
/// tree Cairo writes follows the composition. The page frame, drawn later, must
/// stay out of that tree: Cairo 1.16 has no artifacts, but it marks content only
/// in elements without children, so the frame is drawn while the innermost open
/// element has children (see `newPage`).
final class PageComposer {
    /// A4 in PostScript points.
    static let pageWidth = 595.276
    static let pageHeight = 841.89

    let left = 56.0
    let right = PageComposer.pageWidth - 56.0
    let top = 64.0
    let bottom = PageComposer.pageHeight - 58.0
    var contentWidth: Double { right - left }

    /// A laid-out text: its Pango layout and the geometry of each line.
    struct TextBlock {
        struct Line {
            var x: Double
            var top: Double
            var height: Double
            var baseline: Double
            var width: Double
        }

        let layout: OpaquePointer
        let lines: [Line]
        let color: RGB
        var height: Double { lines.last.map { $0.top + $0.height } ?? 0 }
    }

    enum Operation {
        case line(layout: OpaquePointer, index: Int32, x: Double, baseline: Double, color: RGB)
        case fill(x: Double, y: Double, width: Double, height: Double, color: RGB)
        case stroke(x: Double, y: Double, width: Double, height: Double, color: RGB)
        case rule(x1: Double, x2: Double, y: Double, color: RGB, width: Double)
        case beginTag(StructureTag)
        case endTag(StructureTag)
    }

    enum Alignment {
        case left, right, center
    }

    let context: OpaquePointer
    /// One Pango context for every layout, at 72 dpi so that a 10 pt font is 10 PDF points.
    private let pangoContext: OpaquePointer
    private let fonts = FontCache()
    private var layouts: [OpaquePointer] = []
    private(set) var pages: [[Operation]] = [[]]
    /// Where the next thing goes on the current page.
    var y: Double
    /// Called after each page break, to repeat a table's header row.
    var onNewPage: (() -> Void)?

    /// A structure element that has begun and not yet ended.
    private struct OpenElement {
        let tag: StructureTag
        /// Where its `.beginTag` is: page and index of the operation.
        var page: Int
        var index: Int
        var hasChildren = false
        /// Its text on the current page is wrapped in a Span (it continues across a page break).
        var spanOpen = false
    }

    private var openElements: [OpenElement] = []

    init(context: OpaquePointer) {
        self.context = context
        pangoContext = pango_cairo_create_context(context)!
        pango_cairo_context_set_resolution(pangoContext, 72)
        y = top
    }

    deinit {
        for layout in layouts { blankett_object_unref(UnsafeMutableRawPointer(layout)) }
        blankett_object_unref(UnsafeMutableRawPointer(pangoContext))
    }

    // MARK: Measuring

    func text(_ string: String, style: TextStyle, width: Double, alignment: Alignment = .left, ellipsize: Bool = false) -> TextBlock {
        let layout = pango_layout_new(pangoContext)!
        layouts.append(layout)
        let scale = Double(blankett_pango_scale())
        pango_layout_set_font_description(layout, fonts.description(style.font))
        pango_layout_set_width(layout, Int32(max(1, width) * scale))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        if ellipsize { pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END) }
        switch alignment {
        case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        }
        pango_layout_set_text(layout, string, -1)
        var lines: [TextBlock.Line] = []
        let iterator = pango_layout_get_iter(layout)!
        repeat {
            var logical = PangoRectangle()
            pango_layout_iter_get_line_extents(iterator, nil, &logical)
            let baseline = pango_layout_iter_get_baseline(iterator)
            lines.append(TextBlock.Line(x: Double(logical.x) / scale, top: Double(logical.y) / scale,
                                        height: Double(logical.height) / scale, baseline: Double(baseline) / scale,
                                        width: Double(logical.width) / scale))
        } while pango_layout_iter_next_line(iterator) != 0
        pango_layout_iter_free(iterator)
        return TextBlock(layout: layout, lines: lines, color: style.color)
    }

    // MARK: Placing

    var remaining: Double { bottom - y }

    func newPage() {
        let current = pages.count - 1
        // Elements begun at the foot of the page with nothing in them yet begin on
        // the next page instead: an element without children here would receive
        // this page's frame as its content.
        var moved = 0
        while moved < openElements.count {
            let element = openElements[openElements.count - 1 - moved]
            guard element.page == current, element.index == pages[current].count - 1 else { break }
            pages[current].removeLast()
            moved += 1
        }
        // An element that continues on the next page stays one element; its text
        // on each page goes into a Span of its own, so that the element has
        // children and the frame drawn between the pages is not part of it.
        var reopenSpan = false
        let innermost = openElements.count - 1 - moved
        if innermost >= 0, openElements[innermost].spanOpen || !openElements[innermost].hasChildren {
            if !openElements[innermost].spanOpen {
                let element = openElements[innermost]
                pages[element.page].insert(.beginTag(.span), at: element.index + 1)
                openElements[innermost].hasChildren = true
                openElements[innermost].spanOpen = true
            }
            add(.endTag(.span))
            reopenSpan = true
        }
        pages.append([])
        y = top
        // The repeated table header is drawn before any element reopens: it is
        // drawn in the table itself, which has rows, so it is not read again.
        onNewPage?()
        if reopenSpan { add(.beginTag(.span)) }
        for offset in stride(from: moved, to: 0, by: -1) {
            let position = openElements.count - offset
            openElements[position].page = pages.count - 1
            openElements[position].index = pages[pages.count - 1].count
            add(.beginTag(openElements[position].tag))
        }
    }

    /// Breaks the page unless `height` fits below `y` (and the page is not empty anyway).
    func ensureSpace(_ height: Double) {
        if y + height > bottom && y > top + 0.5 { newPage() }
    }

    func add(_ operation: Operation) {
        pages[pages.count - 1].append(operation)
    }

    // MARK: Structure

    func beginTag(_ tag: StructureTag) {
        if let parent = openElements.indices.last {
            assert(!openElements[parent].tag.holdsText, "\(tag.rawValue) inside \(openElements[parent].tag.rawValue)")
            if openElements[parent].spanOpen {
                add(.endTag(.span))
                openElements[parent].spanOpen = false
            }
            openElements[parent].hasChildren = true
        }
        openElements.append(OpenElement(tag: tag, page: pages.count - 1, index: pages[pages.count - 1].count))
        add(.beginTag(tag))
    }

    func endTag(_ tag: StructureTag) {
        let element = openElements.removeLast()
        assert(element.tag == tag, "\(tag.rawValue) ends \(element.tag.rawValue)")
        if element.spanOpen { add(.endTag(.span)) }
        add(.endTag(tag))
    }

    /// `body` composed inside one structure element.
    func tagged(_ tag: StructureTag, _ body: () -> Void) {
        beginTag(tag)
        body()
        endTag(tag)
    }

    /// Whether every element has ended, as Cairo needs before the document is finished.
    var structureIsClosed: Bool { openElements.isEmpty }

    /// Draws every line of `block` with its top-left corner at (`x`, `top`), on the current page.
    func place(_ block: TextBlock, x: Double, top: Double) {
        for (index, line) in block.lines.enumerated() {
            add(.line(layout: block.layout, index: Int32(index), x: x + line.x, baseline: top + line.baseline, color: block.color))
        }
    }

    /// Places `block` at the cursor as one `tag` element (`nil`: inside the open
    /// one), line by line, continuing on new pages as needed.
    func flow(_ block: TextBlock, x: Double, tag: StructureTag? = .paragraph, spacingAfter: Double = 0) {
        if let tag { beginTag(tag) }
        for (index, line) in block.lines.enumerated() {
            if y + line.height > bottom && y > top + 0.5 { newPage() }
            add(.line(layout: block.layout, index: Int32(index), x: x + line.x, baseline: y + line.baseline - line.top, color: block.color))
            y += line.height
        }
        if let tag { endTag(tag) }
        y += spacingAfter
    }

    /// Lays out and flows a paragraph (or heading, `tag`) in one go.
    func paragraph(_ string: String, style: TextStyle, tag: StructureTag = .paragraph, indent: Double = 0, spacingAfter: Double = 3) {
        flow(text(string, style: style, width: contentWidth - indent), x: left + indent, tag: tag, spacingAfter: spacingAfter)
    }

    // MARK: Tables

    struct Cell {
        var text: String
        var style: TextStyle
        var alignment: Alignment = .left
        /// A column's or a row's header (TH) rather than data (TD).
        var isHeader = false
    }

    /// Draws one table row that is never split; `widths` are column widths summing to the table width.
    /// An untagged row (a header repeated after a page break) stays out of the structure.
    func tableRow(_ cells: [Cell], x: Double, widths: [Double], shaded: Bool = false, padding: Double = 3, tagged: Bool = true) {
        let blocks = zip(cells, widths).map { cell, width in
            text(cell.text, style: cell.style, width: width - 2 * padding, alignment: cell.alignment)
        }
        let height = (blocks.map(\.height).max() ?? 0) + 2 * padding
        ensureSpace(height)
        if tagged { beginTag(.row) }
        var cellX = x
        for (cell, (block, width)) in zip(cells, zip(blocks, widths)) {
            // Shading and borders are drawn in the row, outside the cell, so that
            // they are not part of the cell's content.
            if shaded { add(.fill(x: cellX, y: y, width: width, height: height, color: .shade)) }
            add(.stroke(x: cellX, y: y, width: width, height: height, color: .rule))
            if tagged { beginTag(cell.isHeader ? .headerCell : .dataCell) }
            place(block, x: cellX + padding, top: y + padding)
            if tagged { endTag(cell.isHeader ? .headerCell : .dataCell) }
            cellX += width
        }
        if tagged { endTag(.row) }
        y += height
    }

    // MARK: Drawing

    /// Replays page `index`'s operations onto the Cairo context.
    func draw(page index: Int) {
        for operation in pages[index] { draw(operation) }
    }

    func draw(_ operation: Operation) {
        switch operation {
        case .line(let layout, let index, let x, let baseline, let color):
            guard let line = pango_layout_get_line_readonly(layout, index) else { return }
            cairo_set_source_rgb(context, color.red, color.green, color.blue)
            cairo_move_to(context, x, baseline)
            pango_cairo_show_layout_line(context, line)
        case .fill(let x, let y, let width, let height, let color):
            cairo_set_source_rgb(context, color.red, color.green, color.blue)
            cairo_rectangle(context, x, y, width, height)
            cairo_fill(context)
        case .stroke(let x, let y, let width, let height, let color):
            cairo_set_source_rgb(context, color.red, color.green, color.blue)
            cairo_set_line_width(context, 0.5)
            cairo_rectangle(context, x, y, width, height)
            cairo_stroke(context)
        case .rule(let x1, let x2, let y, let color, let width):
            cairo_set_source_rgb(context, color.red, color.green, color.blue)
            cairo_set_line_width(context, width)
            cairo_move_to(context, x1, y)
            cairo_line_to(context, x2, y)
            cairo_stroke(context)
        case .beginTag(let tag):
            cairo_tag_begin(context, tag.rawValue, nil)
        case .endTag(let tag):
            cairo_tag_end(context, tag.rawValue)
        }
    }
}
