import Testing
@testable import BlankettCore

/// Expressions appended to one shared `ExpressionCode`, as a form's
/// validation plan keeps them, evaluate exactly as they do on their own.
@Suite struct ExpressionCodeTests {
    let form = ExpressionEvaluationTests().form

    /// One of each kind of instruction that refers to others, to constants or to slot lists.
    static let sources = [
        "${a} + ${b} * 2 - -${a}",
        "round(${b} / 3, 1)",
        "floor(${b} * ${const.arsschablon})",
        "sum(${klienter.*.18-29}, ${a}) >= 17",
        "sum(${belopp}, 1)",
        "count(${flera}, ${tom}) = 1 and selected(${val}, 'annat')",
        "selected(${flera}, ${val})",
        "min(${belopp}) < max(${a}, ${b})",
        "if(${ja}, 'ja', ${kommun})",
        "if(${okant}, 1, 2)",
        "min(${start}, ${slut})",
        "max(${start}, ${ingetdatum}) = ${slut}",
        "length(${kommun}) > 3 or ${okant}",
        "not ${nej} and year(${start}) = 2020",
        "${ja} = ${nej}",
        "${ja} != ${okant}",
        "${kommun} = 'Botkyrka'",
        "filled(${tomma.*.*}) or empty(${tomtext})",
    ]

    @Test func appendedExpressionsEvaluateAsOnTheirOwn() throws {
        var shared = ExpressionCode()
        var entries: [(source: String, entry: ExpressionCode.Entry, alone: CompiledExpression)] = []
        for source in Self.sources {
            let compiled = try form.compile(source).get()
            entries.append((source, shared.append(compiled), compiled))
        }
        let values = ExpressionTestValues(values: form.values)
        for (source, entry, alone) in entries {
            #expect(shared.evaluate(entry, in: values) == alone.evaluate(in: values), "\(source)")
            #expect(shared.truth(entry, in: values) == alone.truth(in: values), "\(source)")
        }
        #expect(shared.instructions.count == entries.reduce(0) { $0 + $1.alone.code.instructions.count })
    }

    @Test func yesNoComparisonsAreUnknownWithoutAnAnswer() {
        #expect(form.evaluate("${ja} = ${nej}") == .bool(false))
        #expect(form.evaluate("${ja} != ${nej}") == .bool(true))
        #expect(form.evaluate("${ja} = true") == .bool(true))
        #expect(form.evaluate("${okant} = true") == .empty)
        #expect(form.evaluate("${okant} != ${ja}") == .empty)
    }
}
