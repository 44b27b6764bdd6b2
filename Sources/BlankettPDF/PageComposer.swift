import CPangoCairo

/// Lays text and tables out on A4 pages and remembers what to draw where, so
/// that the pages can be drawn once their number is known ("Sida 1 av 3").
///
/// Text is placed line by line: a long answer continues on the next page.
/// Table rows and short label/answer rows are never split.
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
                                        height: Double(logical.height) / scale, baseline: Double(baseline) / scale))
        } while pango_layout_iter_next_line(iterator) != 0
        pango_layout_iter_free(iterator)
        return TextBlock(layout: layout, lines: lines, color: style.color)
    }

    // MARK: Placing

    var remaining: Double { bottom - y }

    func newPage() {
        pages.append([])
        y = top
        onNewPage?()
    }

    /// Breaks the page unless `height` fits below `y` (and the page is not empty anyway).
    func ensureSpace(_ height: Double) {
        if y + height > bottom && y > top + 0.5 { newPage() }
    }

    func add(_ operation: Operation) {
        pages[pages.count - 1].append(operation)
    }

    /// Draws every line of `block` with its top-left corner at (`x`, `top`), on the current page.
    func place(_ block: TextBlock, x: Double, top: Double) {
        for (index, line) in block.lines.enumerated() {
            add(.line(layout: block.layout, index: Int32(index), x: x + line.x, baseline: top + line.baseline, color: block.color))
        }
    }

    /// Places `block` at the cursor, line by line, continuing on new pages as needed.
    func flow(_ block: TextBlock, x: Double, spacingAfter: Double = 0) {
        for (index, line) in block.lines.enumerated() {
            if y + line.height > bottom && y > top + 0.5 { newPage() }
            add(.line(layout: block.layout, index: Int32(index), x: x + line.x, baseline: y + line.baseline - line.top, color: block.color))
            y += line.height
        }
        y += spacingAfter
    }

    /// Lays out and flows a paragraph in one go.
    func paragraph(_ string: String, style: TextStyle, indent: Double = 0, spacingAfter: Double = 3) {
        flow(text(string, style: style, width: contentWidth - indent), x: left + indent, spacingAfter: spacingAfter)
    }

    // MARK: Tables

    struct Cell {
        var text: String
        var style: TextStyle
        var alignment: Alignment = .left
    }

    /// Draws one table row that is never split; `widths` are column widths summing to the table width.
    func tableRow(_ cells: [Cell], x: Double, widths: [Double], shaded: Bool = false, padding: Double = 3) {
        let blocks = zip(cells, widths).map { cell, width in
            text(cell.text, style: cell.style, width: width - 2 * padding, alignment: cell.alignment)
        }
        let height = (blocks.map(\.height).max() ?? 0) + 2 * padding
        ensureSpace(height)
        var cellX = x
        for (block, width) in zip(blocks, widths) {
            if shaded { add(.fill(x: cellX, y: y, width: width, height: height, color: .shade)) }
            add(.stroke(x: cellX, y: y, width: width, height: height, color: .rule))
            place(block, x: cellX + padding, top: y + padding)
            cellX += width
        }
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
        }
    }
}
