@testable import BlankettWeb
import Mustache
import Testing

/// The step page's views answer Mustache by name (`FieldView+Mustache.swift`)
/// instead of through `Mirror`: each stored property must be answered, with
/// its own value, or the page would silently lose it.
@Suite struct ViewLookupTests {
    /// Every stored property of `view`, as `Mirror` sees it, is answered by
    /// `child(named:)` with the same value; an unknown name is nil.
    static func expectComplete(_ view: some MustacheParent, sourceLocation: SourceLocation = #_sourceLocation) {
        let mirror = Mirror(reflecting: view)
        #expect(!mirror.children.isEmpty, sourceLocation: sourceLocation)
        for child in mirror.children {
            guard let label = child.label else { continue }
            let wrapped = Mirror(reflecting: child.value)
            let expected: Any? = wrapped.displayStyle == .optional ? wrapped.children.first.map(\.value) : child.value
            let answered = view.child(named: label)
            #expect(answered.map { String(describing: $0) } == expected.map { String(describing: $0) }, "\(type(of: view)).\(label)", sourceLocation: sourceLocation)
        }
        #expect(view.child(named: "finnsInte") == nil, sourceLocation: sourceLocation)
    }

    @Test func everyViewAnswersEachOfItsProperties() {
        let message = MessageView(anchor: "f-a", message: "Fel")
        let option = OptionView(optionID: "o1", name: "n", value: "v", label: "L", checked: true, inputType: "radio")
        let cell = GridCellView(anchor: "f-g", name: "g.a", value: "1", ariaLabel: "A, B", inputMode: "numeric", readOnly: false, hasError: true)
        let part = ListPartView(anchor: "f-l", name: "l.0.a", label: "A", value: "x")
        let item = ListItemView(number: 1, simple: part, parts: [part])
        var field = FieldView(anchor: "f-x", name: "x", label: "X", help: "Hjälp", ordinance: "SFS", unit: "kr", placeholder: "0")
        field.errors = [message]
        field.warnings = [message]
        field.options = [option]
        field.rows = [GridRowView(label: "R", cells: [cell])]
        field.matrixRows = [MatrixRowView(anchor: "f-m", label: "M", options: [option])]
        field.items = [item]
        field.columns = ["K"]
        field.children = [FieldView(anchor: "f-y", name: "y", label: "Y", help: nil, ordinance: nil, unit: nil, placeholder: nil)]
        Self.expectComplete(message)
        Self.expectComplete(option)
        Self.expectComplete(cell)
        Self.expectComplete(part)
        Self.expectComplete(item)
        Self.expectComplete(GridRowView(label: "R", cells: [cell]))
        Self.expectComplete(MatrixRowView(anchor: "f-m", label: "M", options: [option]))
        Self.expectComplete(field)
        // The computed ones, which Mirror never saw.
        #expect(field.child(named: "hasError") as? Bool == true && field.child(named: "hasWarning") as? Bool == true)
    }

    @Test func aFieldWithAnErrorIsMarkedInvalid() throws {
        var field = FieldView(anchor: "f-x", name: "x", label: "X", help: nil, ordinance: nil, unit: nil, placeholder: nil)
        field.isInput = true
        field.errors = [MessageView(anchor: "f-x", message: "Ange ett belopp.")]
        let html = try #require(try Templates.library().render(field, withTemplate: "field"))
        #expect(html.contains("has-error") && html.contains("aria-invalid=\"true\"") && html.contains("Ange ett belopp."), "\(html)")
    }
}
