import CPangoCairo

/// A colour as Cairo takes it, components 0…1.
struct RGB {
    var red: Double
    var green: Double
    var blue: Double

    static let black = RGB(red: 0, green: 0, blue: 0)
    static let text = RGB(red: 0.1, green: 0.1, blue: 0.12)
    static let muted = RGB(red: 0.38, green: 0.38, blue: 0.42)
    static let rule = RGB(red: 0.62, green: 0.64, blue: 0.68)
    static let shade = RGB(red: 0.92, green: 0.93, blue: 0.95)
    static let accent = RGB(red: 0.05, green: 0.25, blue: 0.45)
    static let missing = RGB(red: 0.65, green: 0.1, blue: 0.1)
}

/// A font and colour for one kind of text. Every face is DejaVu (fonts-dejavu-core),
/// which covers å, ä, ö, é, en dashes and the section sign.
struct TextStyle {
    var font: String
    var color: RGB

    static let documentTitle = TextStyle(font: "DejaVu Sans Bold 16", color: .accent)
    static let stepHeading = TextStyle(font: "DejaVu Sans Bold 12.5", color: .accent)
    static let groupHeading = TextStyle(font: "DejaVu Sans Bold 10.5", color: .text)
    static let label = TextStyle(font: "DejaVu Sans Bold 9.5", color: .text)
    static let answer = TextStyle(font: "DejaVu Sans 10", color: .black)
    static let unanswered = TextStyle(font: "DejaVu Sans Bold 9.5", color: .missing)
    static let help = TextStyle(font: "DejaVu Sans 8.5", color: .muted)
    static let body = TextStyle(font: "DejaVu Sans 10", color: .text)
    static let tableHeader = TextStyle(font: "DejaVu Sans Bold 8.5", color: .text)
    static let tableCell = TextStyle(font: "DejaVu Sans 9", color: .black)
    static let tableMissing = TextStyle(font: "DejaVu Sans Bold 8", color: .missing)
    static let pageHeader = TextStyle(font: "DejaVu Sans 7.5", color: .muted)
    static let pageHeaderStrong = TextStyle(font: "DejaVu Sans Bold 7.5", color: .muted)
    static let mono = TextStyle(font: "DejaVu Sans Mono 8.5", color: .black)
}

/// Pango font descriptions, parsed once per document.
final class FontCache {
    private var descriptions: [String: OpaquePointer] = [:]

    func description(_ font: String) -> OpaquePointer {
        if let cached = descriptions[font] { return cached }
        let description = pango_font_description_from_string(font)!
        descriptions[font] = description
        return description
    }

    deinit {
        for description in descriptions.values { pango_font_description_free(description) }
    }
}
