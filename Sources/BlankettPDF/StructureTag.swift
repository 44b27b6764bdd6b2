/// The standard PDF structure types (ISO 32000-1, 14.8.4) the layouts use, so
/// that a screen reader reads the form in order: headings, paragraphs, lists
/// and tables instead of loose lines of text.
enum StructureTag: String {
    case document = "Document"
    case section = "Sect"
    case division = "Div"
    case heading1 = "H1"
    case heading2 = "H2"
    case heading3 = "H3"
    case heading4 = "H4"
    case heading5 = "H5"
    case heading6 = "H6"
    case paragraph = "P"
    case span = "Span"
    case list = "L"
    case listItem = "LI"
    case label = "Lbl"
    case listBody = "LBody"
    case table = "Table"
    case row = "TR"
    case headerCell = "TH"
    case dataCell = "TD"

    /// A heading of `level` 1…6; deeper levels stay at H6.
    static func heading(_ level: Int) -> StructureTag {
        switch level {
        case ...1: .heading1
        case 2: .heading2
        case 3: .heading3
        case 4: .heading4
        case 5: .heading5
        default: .heading6
        }
    }

    /// Whether the element holds text itself rather than other elements.
    /// Cairo 1.16 marks content only in elements without children; text drawn
    /// directly in an element that has children is left out of the tree.
    var holdsText: Bool {
        switch self {
        case .document, .section, .division, .list, .listItem, .table, .row: false
        default: true
        }
    }
}
