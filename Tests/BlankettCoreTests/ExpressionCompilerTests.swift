import Testing
@testable import BlankettCore

@Suite struct ExpressionCompilerTests {
    let form = ExpressionTestForm([
        ("a", .number, .empty),
        ("b", .number, .empty),
        ("kommun", .text, .empty),
        ("val", .text, .empty),
        ("flera", .list(.text), .empty),
        ("ja", .bool, .empty),
        ("slut", .date, .empty),
        ("poster", .list(.any), .empty),
        ("grid.r1.c1", .number, .empty),
        ("grid.r1.c2", .number, .empty),
        ("grid.r2.c1", .number, .empty),
        ("grid.r2.c2", .number, .empty),
    ], constants: ["arsschablon": exprNum("402638")])

    // MARK: Unknown names

    @Test func unknownFunction() throws {
        let diagnostics = form.diagnostics("summa(${a}, ${b}) > 2")
        #expect(diagnostics == [ExpressionDiagnostic(offset: 0, length: 5, message: "unknown function 'summa'")])
        #expect(form.diagnostics("summ(1)").first?.message == "unknown function 'summ'; did you mean 'sum'?")
        #expect(form.diagnostics("Sum(1)").first?.message == "unknown function 'Sum'; did you mean 'sum'?")
    }

    @Test func unknownField() throws {
        let diagnostics = form.diagnostics("${a} + ${nope}")
        #expect(diagnostics == [ExpressionDiagnostic(offset: 7, length: 7, message: "unknown field 'nope'")])
        #expect(form.diagnostics("${const.saknas} > 1").first?.message == "unknown field 'const.saknas'")
        #expect(form.diagnostics("${grid.*.c3} > 1").first?.message == "unknown field 'grid.*.c3'")
    }

    @Test func selfReferenceOutsideAConstraint() throws {
        let diagnostics = form.diagnostics(". > 1")
        #expect(diagnostics == [ExpressionDiagnostic(
            offset: 0, length: 1,
            message: "'.' (the value of this field) is only available in a field's own constraint")])
    }

    @Test func resolverIsAskedForEveryReference() throws {
        var asked: [ReferenceSyntax] = []
        let syntax = try ExpressionParser.parse("${a} + ${a} > .").get()
        _ = ExpressionCompiler.compile(syntax, expecting: .bool) { reference in
            asked.append(reference)
            return .slot(0, .number)
        }
        #expect(asked == syntax.references)
        #expect(asked.last?.isSelf == true)
    }

    // MARK: Type errors

    @Test func comparingNumberWithText() {
        #expect(form.diagnostics("${a} = 'text'") == [
            ExpressionDiagnostic(offset: 5, length: 1, message: "cannot compare number with text"),
        ])
        #expect(form.diagnostics("${kommun} != 2").first?.message == "cannot compare text with number")
        #expect(form.diagnostics("${ja} = 1").first?.message == "cannot compare bool with number")
        #expect(form.diagnostics("${slut} >= 2020").first?.message == "cannot compare date with number")
        #expect(form.diagnostics("${slut} >= 2020").first?.offset == 8)
        #expect(form.diagnostics("${slut} >= 2020").first?.length == 2)
        #expect(form.diagnostics("${flera} = 'annat'").first?.message == "cannot compare list of text with text")
    }

    @Test func orderingNeedsNumbersOrDates() {
        #expect(form.diagnostics("'a' < 'b'") == [
            ExpressionDiagnostic(offset: 4, length: 1, message: "'<' needs numbers or dates, got text"),
        ])
        #expect(form.diagnostics("true >= false").first?.message == "'>=' needs numbers or dates, got bool")
    }

    @Test func logicOnNumbers() {
        #expect(form.diagnostics("${a} and 2") == [
            ExpressionDiagnostic(offset: 0, length: 4, message: "'and' needs bool operands, got number"),
            ExpressionDiagnostic(offset: 9, length: 1, message: "'and' needs bool operands, got number"),
        ])
        #expect(form.diagnostics("${ja} or 'x'") == [
            ExpressionDiagnostic(offset: 9, length: 3, message: "'or' needs bool operands, got text"),
        ])
        #expect(form.diagnostics("not ${a}") == [
            ExpressionDiagnostic(offset: 4, length: 4, message: "'not' needs a bool, got number"),
        ])
    }

    @Test func arithmeticOnNonNumbers() {
        #expect(form.diagnostics("'a' + 1") == [
            ExpressionDiagnostic(offset: 0, length: 3, message: "'+' needs numbers, got text"),
        ])
        #expect(form.diagnostics("${slut} - 1").first?.message == "'-' needs numbers, got date")
        #expect(form.diagnostics("2 * ${ja}").first?.message == "'*' needs numbers, got bool")
        #expect(form.diagnostics("-'a'").first?.message == "'-' needs a number, got text")
        #expect(form.diagnostics("-'a'").first?.offset == 1)
    }

    @Test func functionArgumentTypes() {
        #expect(form.diagnostics("sum(${a}, ${kommun})") == [
            ExpressionDiagnostic(offset: 10, length: 9, message: "'sum' needs numbers or lists of numbers, got text"),
        ])
        #expect(form.diagnostics("selected(${a}, 'x')").first?.message == "'selected' needs a choice or multichoice answer, got number")
        #expect(form.diagnostics("selected(${val}, 1)").first?.message == "'selected' needs the option id as text (like 'annat'), got number")
        #expect(form.diagnostics("floor('x')").first?.message == "'floor' needs a number, got text")
        #expect(form.diagnostics("year(${a})").first?.message == "'year' needs a date, got number")
        #expect(form.diagnostics("length(${a})").first?.message == "'length' needs text, got number")
        #expect(form.diagnostics("if(${a}, 1, 2)").first?.message == "'if' needs a bool condition, got number")
        #expect(form.diagnostics("min(${a}, ${slut})").first?.message == "'min' needs all dates (or lists of dates), got number")
        #expect(form.diagnostics("max('a')").first?.message == "'max' needs numbers or dates (or lists of them), got text")
    }

    @Test func ifBranchesMustAgree() {
        #expect(form.diagnostics("if(${ja}, 1, 'a')") == [
            ExpressionDiagnostic(offset: 0, length: 17, message: "'if' needs both branches of the same type, got number and text"),
        ])
    }

    @Test func wrongArity() {
        #expect(form.diagnostics("round(${a})") == [
            ExpressionDiagnostic(offset: 0, length: 11, message: "'round' takes 2 arguments, got 1: write round(x, decimals)"),
        ])
        #expect(form.diagnostics("empty(${a}, ${b})").first?.message == "'empty' takes 1 argument, got 2: write empty(x)")
        #expect(form.diagnostics("sum()").first?.message == "'sum' needs at least 1 argument, got 0: write sum(a, b, …)")
        #expect(form.diagnostics("if(true, 1)").first?.message == "'if' takes 3 arguments, got 2: write if(condition, then, else)")
    }

    @Test func roundNeedsWholeDecimals() {
        #expect(form.diagnostics("round(${a}, 1.5)") == [
            ExpressionDiagnostic(offset: 12, length: 3, message: "'round' needs a whole number of decimals from 0 to 18, got 1.5"),
        ])
        #expect(form.diagnostics("round(${a}, -1)").first?.offset == 12)
        #expect(form.diagnostics("round(${a}, 19)").isEmpty == false)
    }

    @Test func dateLiterals() {
        #expect(form.diagnostics("${slut} < date('2021-02-30')") == [
            ExpressionDiagnostic(offset: 15, length: 12, message: "invalid date '2021-02-30': write an existing date as 'YYYY-MM-DD'"),
        ])
        #expect(form.diagnostics("date('31/12/2020') = ${slut}").first?.message == "invalid date '31/12/2020': write an existing date as 'YYYY-MM-DD'")
        #expect(form.diagnostics("date(${kommun}) = ${slut}").first?.message == "'date' needs a date written as text, like date('2020-12-31')")
        #expect(form.evaluate("date('2020-02-29')") == exprDate("2020-02-29"))
    }

    @Test func resultTypeMustMatchWhatIsExpected() {
        #expect(form.diagnostics("${a} + 1", expecting: .bool) == [
            ExpressionDiagnostic(offset: 0, length: 8, message: "expected a bool result, but the expression gives a number"),
        ])
        #expect(form.diagnostics("${a} > 1", expecting: .number).first?.message == "expected a number result, but the expression gives a bool")
        #expect(form.diagnostics("${flera}", expecting: .text).first?.message == "expected a text result, but the expression gives a list of text")
        #expect((try? form.compile("${a} > 1", expecting: .bool).get()) != nil)
        #expect((try? form.compile("${flera}", expecting: .list(.text)).get()) != nil)
        #expect((try? form.compile("${kommun}", expecting: nil).get()) != nil)
    }

    @Test func everyProblemIsReportedInColumnOrder() {
        let diagnostics = form.diagnostics("summa(1) + ${nope} + ('a' * 2) and round(1)")
        #expect(diagnostics.map(\.offset) == [0, 11, 22, 35])
        #expect(diagnostics.map(\.message) == [
            "unknown function 'summa'",
            "unknown field 'nope'",
            "'*' needs numbers, got text",
            "'round' takes 2 arguments, got 1: write round(x, decimals)",
        ])
    }

    @Test func anErrorIsNotRepeatedByEnclosingNodes() {
        #expect(form.diagnostics("(${nope} + 1) * 2 > 3 and true").count == 1)
        #expect(form.diagnostics("sum(${nope}) = 'x'").count == 1)
    }

    @Test func diagnosticsCollectionBehavesLikeAnArray() throws {
        let result = form.compile("${x} + ${y}")
        guard case .failure(let diagnostics) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(diagnostics.count == 2)
        #expect(diagnostics.map(\.message) == ["unknown field 'x'", "unknown field 'y'"])
        #expect(diagnostics.description == "column 1: unknown field 'x'\ncolumn 8: unknown field 'y'")
    }

    // MARK: What compiling yields

    @Test func referencedSlotsAreSortedAndUnique() throws {
        let compiled = try form.compile("${b} + ${a} + ${b} + sum(${grid.*.c2}) + ${const.arsschablon}").get()
        #expect(compiled.referencedSlots == [0, 1, 9, 11])
        #expect(compiled.resultType == .number)
    }

    @Test func resultTypes() throws {
        #expect(try form.compile("${a} > 1").get().resultType == .bool)
        #expect(try form.compile("${kommun}").get().resultType == .text)
        #expect(try form.compile("${grid.r1.*}").get().resultType == .list(.number))
        #expect(try form.compile("if(${ja}, ${slut}, date('2020-01-01'))").get().resultType == .date)
        #expect(try form.compile("max(${slut}, date('2020-01-01'))").get().resultType == .date)
        #expect(try form.compile("count(${poster})").get().resultType == .number)
        // An untyped value takes the expected type.
        #expect(try form.compile("${poster}", expecting: .list(.text)).get().resultType == .list(.text))
    }

    @Test func anyTypedValuesAreCheckedAtRunTime() throws {
        let untyped = ExpressionTestForm([("u", .any, exprNum("3")), ("v", .any, .text("x"))])
        #expect(untyped.evaluate("${u} + 1") == exprNum("4"))
        #expect(untyped.evaluate("${v} + 1") == .empty)
        #expect(untyped.evaluate("${u} = ${v}") == .empty)
        #expect(untyped.evaluate("${u} < ${u}") == .bool(false))
        #expect(untyped.evaluate("${v} = 'x'") == .bool(true))
        #expect(untyped.evaluate("${u} > 2", expecting: .bool) == .bool(true))
    }

    @Test func constantResolution() throws {
        let compiled = try form.compile("${const.arsschablon} * 2.80", expecting: .number).get()
        #expect(compiled.referencedSlots.isEmpty)
        #expect(compiled.evaluate(in: ExpressionTestValues(values: [])) == exprNum("1127386.4"))
    }
}
