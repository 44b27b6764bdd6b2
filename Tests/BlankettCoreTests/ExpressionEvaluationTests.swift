import Testing
@testable import BlankettCore

// MARK: - Test support shared by the Expression*Tests files

/// Answer values by slot, as the validator hands them to expressions.
struct ExpressionTestValues: EvaluationEnvironment {
    var values: [Value]

    func value(atSlot slot: Int) -> Value { values[slot] }
}

/// A tiny form: named slots with a type and a value each, constants, and
/// optionally the slot that `.` stands for. Wildcards match path segments.
struct ExpressionTestForm {
    var paths: [String] = []
    var types: [ValueType] = []
    var values: [Value] = []
    var constants: [String: Value] = [:]
    var selfSlot: Int?

    init(_ fields: [(String, ValueType, Value)] = [], constants: [String: Value] = [:], selfPath: String? = nil) {
        for (path, type, value) in fields {
            paths.append(path)
            types.append(type)
            values.append(value)
        }
        self.constants = constants
        selfSlot = selfPath.flatMap { paths.firstIndex(of: $0) }
    }

    func resolve(_ reference: ReferenceSyntax) -> ResolvedReference? {
        if reference.isSelf { return selfSlot.map { .slot($0, types[$0]) } }
        if reference.path.hasPrefix("const.") {
            return constants[String(reference.path.dropFirst(6))].map { .constant($0) }
        }
        if let slot = paths.firstIndex(of: reference.path) { return .slot(slot, types[slot]) }
        let pattern = reference.path.split(separator: ".", omittingEmptySubsequences: false)
        guard pattern.contains("*") else { return nil }
        let matches = paths.indices.filter { index in
            let segments = paths[index].split(separator: ".", omittingEmptySubsequences: false)
            return segments.count == pattern.count && zip(segments, pattern).allSatisfy { $1 == "*" || $0 == $1 }
        }
        guard let first = matches.first else { return nil }
        return .slots(matches, types[first])
    }

    func compile(_ source: String, expecting: ValueType? = nil) -> Result<CompiledExpression, ExpressionDiagnostics> {
        switch ExpressionParser.parse(source) {
        case .success(let syntax):
            return ExpressionCompiler.compile(syntax, expecting: expecting, resolve: resolve)
        case .failure(let diagnostic):
            return .failure(ExpressionDiagnostics([diagnostic]))
        }
    }

    /// Compiles (recording an issue on failure) and evaluates.
    func evaluate(_ source: String, expecting: ValueType? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Value {
        switch compile(source, expecting: expecting) {
        case .success(let compiled):
            return compiled.evaluate(in: ExpressionTestValues(values: values))
        case .failure(let diagnostics):
            Issue.record("'\(source)' did not compile: \(diagnostics)", sourceLocation: sourceLocation)
            return .empty
        }
    }

    /// The diagnostics of a source that must not compile.
    func diagnostics(_ source: String, expecting: ValueType? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [ExpressionDiagnostic] {
        switch compile(source, expecting: expecting) {
        case .success:
            Issue.record("'\(source)' compiled but should not", sourceLocation: sourceLocation)
            return []
        case .failure(let diagnostics):
            return diagnostics.all
        }
    }
}

/// `.number` from canonical text: `exprNum("2.80")`.
func exprNum(_ text: String) -> Value {
    .number(ExactDecimal(canonical: text)!)
}

func exprDate(_ text: String) -> Value {
    .date(LocalDate(iso: text)!)
}

// MARK: - Evaluation

@Suite struct ExpressionEvaluationTests {
    /// A form with a bit of everything: numbers, a grid, texts, choices, dates.
    let form = ExpressionTestForm([
        ("a", .number, exprNum("5")),
        ("b", .number, exprNum("2.80")),
        ("x", .number, .empty),
        ("y", .number, .empty),
        ("kommun", .text, .text("Botkyrka")),
        ("tom", .text, .empty),
        ("tomtext", .text, .text("")),
        ("val", .text, .text("annat")),
        ("flera", .list(.text), .list([.text("farre-klienter"), .text("annat")])),
        ("inga", .list(.text), .list([])),
        ("ja", .bool, .bool(true)),
        ("nej", .bool, .bool(false)),
        ("okant", .bool, .empty),
        ("start", .date, exprDate("2020-01-01")),
        ("slut", .date, exprDate("2020-12-31")),
        ("ingetdatum", .date, .empty),
        ("belopp", .list(.number), .list([exprNum("100"), exprNum("250.50")])),
        ("klienter.kvinnor.18-29", .number, exprNum("14")),
        ("klienter.kvinnor.30-49", .number, exprNum("20")),
        ("klienter.kvinnor.50-", .number, .empty),
        ("klienter.man.18-29", .number, exprNum("3")),
        ("klienter.man.30-49", .number, .empty),
        ("klienter.man.50-", .number, exprNum("7")),
        ("tomma.r1.c1", .number, .empty),
        ("tomma.r1.c2", .number, .empty),
        ("kompetens.socialsekreterare", .text, .text("samtliga")),
        ("kompetens.chefer", .text, .text("nagra")),
    ], constants: ["arsschablon": exprNum("402638"), "namn": .text("PO")])

    // MARK: Arithmetic

    @Test func arithmeticOperators() {
        #expect(form.evaluate("1 + 2") == exprNum("3"))
        #expect(form.evaluate("1 - 2") == exprNum("-1"))
        #expect(form.evaluate("3 * 4") == exprNum("12"))
        #expect(form.evaluate("12 / 4") == exprNum("3"))
        #expect(form.evaluate("-${a}") == exprNum("-5"))
        #expect(form.evaluate("- -${a}") == exprNum("5"))
        #expect(form.evaluate("${a} + ${b}") == exprNum("7.8"))
        #expect(form.evaluate("${a} - ${b}") == exprNum("2.2"))
    }

    @Test func precedenceAndAssociativityByValue() {
        #expect(form.evaluate("1 + 2 * 3") == exprNum("7"))
        #expect(form.evaluate("(1 + 2) * 3") == exprNum("9"))
        #expect(form.evaluate("10 - 4 - 3") == exprNum("3"))
        #expect(form.evaluate("10 - (4 - 3)") == exprNum("9"))
        #expect(form.evaluate("8 / 4 / 2") == exprNum("1"))
        #expect(form.evaluate("-2 * 3 + 10") == exprNum("4"))
        #expect(form.evaluate("2 * -3") == exprNum("-6"))
        #expect(form.evaluate("1 + 2 = 3") == .bool(true))
        #expect(form.evaluate("true or false and false") == .bool(true))
        #expect(form.evaluate("(true or false) and false") == .bool(false))
        #expect(form.evaluate("not 1 = 2") == .bool(true))
        #expect(form.evaluate("not true or true") == .bool(true))
        #expect(form.evaluate("not (true or true)") == .bool(false))
    }

    @Test func exactDecimalArithmetic() {
        #expect(form.evaluate("2.80 * 402638") == exprNum("1127386.4"))
        #expect(form.evaluate("floor(2.80 * 402638)") == exprNum("1127386"))
        #expect(form.evaluate("floor(${b} * ${const.arsschablon})") == exprNum("1127386"))
        #expect(form.evaluate("0.1 + 0.2 = 0.3") == .bool(true))
        #expect(form.evaluate("10 / 3") == exprNum("3.3333333333"))
        #expect(form.evaluate("2 / 3 * 3") == exprNum("1.9999999998"))
        #expect(form.evaluate("floor(-2.5)") == exprNum("-3"))
        #expect(form.evaluate("round(2.805, 2)") == exprNum("2.81"))
        #expect(form.evaluate("round(-2.805, 2)") == exprNum("-2.81"))
        #expect(form.evaluate("round(2.5, 0)") == exprNum("3"))
        #expect(form.evaluate("round(2.4999, 0)") == exprNum("2"))
        #expect(form.evaluate("round(1127386.4, 0)") == exprNum("1127386"))
        #expect(form.evaluate("round(${b}, 1)") == exprNum("2.8"))
        // A literal keeps its decimals; equality is by value.
        #expect(form.evaluate("2.80") == exprNum("2.80"))
        if case .number(let number) = form.evaluate("2.80") { #expect(number.scale == 2) }
        #expect(form.evaluate("2.8 = 2.80") == .bool(true))
        #expect(form.evaluate("${b} = 2.8") == .bool(true))
    }

    @Test func overflowAndDivisionByZeroAreUnknown() {
        #expect(form.evaluate("1 / 0") == .empty)
        #expect(form.evaluate("${a} / (${a} - 5)") == .empty)
        #expect(form.evaluate("10000000000000000000 * 10000000000000000000 * 10") == .empty)
        #expect(form.evaluate("1 / 0 = 1") == .empty)
        #expect(form.evaluate("round(1.5, 1 / 0)") == .empty)
        #expect(form.evaluate("sum(100000000000000000000000000000000000000, 100000000000000000000000000000000000000)") == .empty)
    }

    // MARK: Comparisons

    @Test(arguments: [
        ("1 = 1", true), ("1 = 2", false), ("1 != 2", true), ("1 != 1", false),
        ("1 < 2", true), ("2 < 1", false), ("2 < 2", false),
        ("2 <= 2", true), ("3 <= 2", false), ("3 > 2", true), ("2 > 2", false),
        ("2 >= 2", true), ("1 >= 2", false), ("-1 < 0", true), ("2.80 >= 2.8", true),
        ("'a' = 'a'", true), ("'a' = 'b'", false), ("'a' != 'b'", true), ("${kommun} = 'Botkyrka'", true),
        ("true = true", true), ("true != false", true), ("${ja} = true", true), ("${nej} = true", false),
        ("${start} < ${slut}", true), ("${slut} <= date('2020-12-31')", true), ("${start} = date('2020-01-01')", true),
        ("date('2021-01-01') > ${slut}", true), ("${start} != ${slut}", true), ("${start} >= ${slut}", false),
    ])
    func comparison(source: String, expected: Bool) {
        #expect(form.evaluate(source) == .bool(expected))
    }

    @Test(arguments: [
        "${x} = 1", "${x} != 1", "${x} < 1", "1 >= ${x}", "${x} = ${y}", "${tom} = 'a'", "${tom} != 'a'",
        "${okant} = true", "${ingetdatum} < ${slut}", "${x} + 1 > 0",
    ])
    func comparisonWithEmptyOperandIsUnknown(source: String) {
        #expect(form.evaluate(source) == .empty)
    }

    @Test func emptyOperandsMakeArithmeticUnknown() {
        #expect(form.evaluate("${x} + 1") == .empty)
        #expect(form.evaluate("1 - ${x}") == .empty)
        #expect(form.evaluate("${x} * 0") == .empty)
        #expect(form.evaluate("${x} / 1") == .empty)
        #expect(form.evaluate("-${x}") == .empty)
        #expect(form.evaluate("floor(${x})") == .empty)
        #expect(form.evaluate("round(${x}, 2)") == .empty)
        #expect(form.evaluate("year(${ingetdatum})") == .empty)
        #expect(form.evaluate("length(${tom})") == .empty)
    }

    // MARK: Three-valued logic

    static let truthValues: [Bool?] = [true, false, nil]

    /// `true`, `false` or an unknown (`${x} = 1` with `${x}` empty).
    static func literal(_ truth: Bool?) -> String {
        truth.map { $0 ? "true" : "false" } ?? "${x} = 1"
    }

    static func expected(_ truth: Bool?) -> Value {
        truth.map(Value.bool) ?? .empty
    }

    @Test(arguments: truthValues, truthValues)
    func andTable(left: Bool?, right: Bool?) {
        let expected: Bool? = left == false || right == false ? false : (left == nil || right == nil ? nil : true)
        #expect(form.evaluate("\(Self.literal(left)) and \(Self.literal(right))") == Self.expected(expected))
    }

    @Test(arguments: truthValues, truthValues)
    func orTable(left: Bool?, right: Bool?) {
        let expected: Bool? = left == true || right == true ? true : (left == nil || right == nil ? nil : false)
        #expect(form.evaluate("\(Self.literal(left)) or \(Self.literal(right))") == Self.expected(expected))
    }

    @Test(arguments: truthValues)
    func notTable(operand: Bool?) {
        #expect(form.evaluate("not \(Self.literal(operand))") == Self.expected(operand.map { !$0 }))
    }

    @Test func logicOnBoolSlots() {
        #expect(form.evaluate("${ja} and not ${nej}") == .bool(true))
        #expect(form.evaluate("${okant} and ${nej}") == .bool(false))
        #expect(form.evaluate("${okant} or ${ja}") == .bool(true))
        #expect(form.evaluate("${okant} or ${nej}") == .empty)
        #expect(form.evaluate("not ${okant}") == .empty)
        #expect(form.evaluate("${ja}") == .bool(true))
        let compiled = try! form.compile("${okant} or ${nej}", expecting: .bool).get()
        #expect(compiled.truth(in: ExpressionTestValues(values: form.values)) == nil)
    }

    // MARK: Functions

    @Test func sumSkipsEmptiesAndFlattensLists() {
        #expect(form.evaluate("sum(1, 2, 3)") == exprNum("6"))
        #expect(form.evaluate("sum(${a}, ${x}, ${b})") == exprNum("7.80"))
        #expect(form.evaluate("sum(${x})") == exprNum("0"), "no answered term: 0, never unknown")
        #expect(form.evaluate("sum(${x}, ${y})") == exprNum("0"))
        #expect(form.evaluate("sum(${belopp})") == exprNum("350.50"))
        #expect(form.evaluate("sum(${belopp}, ${a} * 2)") == exprNum("360.50"))
        #expect(form.evaluate("sum(${klienter.kvinnor.*})") == exprNum("34"))
        #expect(form.evaluate("sum(${klienter.*.18-29}, ${a})") == exprNum("22"))
        #expect(form.evaluate("sum(${tomma.r1.*})") == exprNum("0"))
        #expect(form.evaluate("sum(${klienter.kvinnor.*}) = 34") == .bool(true))
    }

    @Test func sumComparisonAsInTheForms() {
        let check = "sum(${klienter.kvinnor.18-29}, ${klienter.kvinnor.30-49}, ${klienter.kvinnor.50-}, ${a}) = 39"
        #expect(form.evaluate(check) == .bool(true))
    }

    @Test func countCountsNonEmptyValues() {
        #expect(form.evaluate("count(${klienter.*.*})") == exprNum("4"))
        #expect(form.evaluate("count(${flera})") == exprNum("2"))
        #expect(form.evaluate("count(${inga})") == exprNum("0"))
        #expect(form.evaluate("count(${x}, ${a}, ${tomtext}, ${kommun})") == exprNum("2"))
        #expect(form.evaluate("count(${tomma.r1.*})") == exprNum("0"))
    }

    @Test func minAndMax() {
        #expect(form.evaluate("min(3, 1, 2)") == exprNum("1"))
        #expect(form.evaluate("max(3, 1, 2)") == exprNum("3"))
        #expect(form.evaluate("max(${x}, 2)") == exprNum("2"))
        #expect(form.evaluate("min(${x}, ${y})") == .empty)
        #expect(form.evaluate("max(${klienter.*.*})") == exprNum("20"))
        #expect(form.evaluate("min(${belopp}, 200)") == exprNum("100"))
        #expect(form.evaluate("min(2.80, 2.8)") == exprNum("2.80"))
        #expect(form.evaluate("max(${start}, ${slut}, ${ingetdatum})") == exprDate("2020-12-31"))
        #expect(form.evaluate("min(${start}, date('2019-05-01'))") == exprDate("2019-05-01"))
    }

    @Test func emptyAndFilled() {
        #expect(form.evaluate("empty(${x})") == .bool(true))
        #expect(form.evaluate("empty(${a})") == .bool(false))
        #expect(form.evaluate("empty(${tomtext})") == .bool(true))
        #expect(form.evaluate("empty(${inga})") == .bool(true))
        #expect(form.evaluate("empty(${flera})") == .bool(false))
        #expect(form.evaluate("empty(${okant})") == .bool(true))
        #expect(form.evaluate("empty(${nej})") == .bool(false))
        #expect(form.evaluate("empty(${tomma.r1.*})") == .bool(true))
        #expect(form.evaluate("empty(${klienter.man.*})") == .bool(false))
        #expect(form.evaluate("empty(${x} + 1)") == .bool(true))
        #expect(form.evaluate("filled(${x})") == .bool(false))
        #expect(form.evaluate("filled(${kommun})") == .bool(true))
        #expect(form.evaluate("filled(${tomma.r1.*})") == .bool(false))
    }

    @Test func selectedForChoiceAndMultichoice() {
        #expect(form.evaluate("selected(${val}, 'annat')") == .bool(true))
        #expect(form.evaluate("selected(${val}, 'inget')") == .bool(false))
        #expect(form.evaluate("selected(${flera}, 'annat')") == .bool(true))
        #expect(form.evaluate("selected(${flera}, 'fler-klienter')") == .bool(false))
        #expect(form.evaluate("selected(${inga}, 'annat')") == .bool(false))
        // No answer selects nothing, so a follow-up question is simply not asked.
        #expect(form.evaluate("selected(${tom}, 'annat')") == .bool(false))
        #expect(form.evaluate("not selected(${tom}, 'annat')") == .bool(true))
        #expect(form.evaluate("selected(${kompetens.*}, 'samtliga')") == .bool(true))
        #expect(form.evaluate("selected(${kompetens.*}, 'inga')") == .bool(false))
        #expect(form.evaluate("selected(${flera}, ${val})") == .bool(true))
        #expect(form.evaluate("selected(${flera}, ${tom})") == .empty)
    }

    @Test func conditional() {
        #expect(form.evaluate("if(${ja}, 1, 2)") == exprNum("1"))
        #expect(form.evaluate("if(${nej}, 1, 2)") == exprNum("2"))
        #expect(form.evaluate("if(${okant}, 1, 2)") == .empty)
        #expect(form.evaluate("if(${a} > 3, 'stor', 'liten')") == .text("stor"))
        #expect(form.evaluate("if(${x} > 3, 'stor', 'liten')") == .empty)
        #expect(form.evaluate("if(true, ${nej}, true)") == .bool(false))
        #expect(form.evaluate("if(false, 1, ${x})") == .empty)
        #expect(form.evaluate("if(true, ${start}, ${slut})") == exprDate("2020-01-01"))
        // Only the chosen branch is evaluated: no division by zero here.
        #expect(form.evaluate("if(true, 1, 1 / 0)") == exprNum("1"))
    }

    @Test func textDateAndLengthFunctions() {
        #expect(form.evaluate("length('hälsa')") == exprNum("5"))
        #expect(form.evaluate("length(${kommun})") == exprNum("8"))
        #expect(form.evaluate("length(${flera})") == exprNum("2"))
        #expect(form.evaluate("length(${klienter.kvinnor.*})") == exprNum("3"))
        #expect(form.evaluate("date('2020-12-31')") == exprDate("2020-12-31"))
        #expect(form.evaluate("year(date('2020-12-31'))") == exprNum("2020"))
        #expect(form.evaluate("year(${slut}) = 2020") == .bool(true))
        #expect(form.evaluate("'it''s'") == .text("it's"))
    }

    @Test func constantsAndSelfReference() {
        #expect(form.evaluate("${const.arsschablon} * 2") == exprNum("805276"))
        #expect(form.evaluate("${const.namn} = 'PO'") == .bool(true))
        var owned = form
        owned.selfSlot = owned.paths.firstIndex(of: "b")
        #expect(owned.evaluate(". <= ${a}") == .bool(true))
        #expect(owned.evaluate(". * 10") == exprNum("28"))
    }

    @Test func wildcardOutsideAggregateIsAList() {
        #expect(form.evaluate("${klienter.*.18-29}") == .list([exprNum("14"), exprNum("3")]))
        #expect(form.evaluate("${klienter.kvinnor.*} = ${klienter.kvinnor.*}") == .bool(true))
    }

    @Test func evaluateWrapsByResultType() {
        let values = ExpressionTestValues(values: form.values)
        let condition = try! form.compile("${a} > 1", expecting: .bool).get()
        #expect(condition.resultType == .bool)
        #expect(condition.evaluate(in: values) == .bool(true))
        #expect(condition.truth(in: values) == true)
        let amount = try! form.compile("${a} * ${b}", expecting: .number).get()
        #expect(amount.resultType == .number)
        #expect(amount.evaluate(in: values) == exprNum("14"))
        #expect(amount.truth(in: values) == nil)
        let text = try! form.compile("${kommun}").get()
        #expect(text.resultType == .text)
        #expect(text.evaluate(in: values) == .text("Botkyrka"))
    }

    @Test func evaluationFollowsChangedAnswers() {
        let compiled = try! form.compile("sum(${klienter.kvinnor.*}) = ${a}", expecting: .bool).get()
        var values = ExpressionTestValues(values: form.values)
        #expect(compiled.evaluate(in: values) == .bool(false))
        values.values[form.paths.firstIndex(of: "a")!] = exprNum("34.00")
        #expect(compiled.evaluate(in: values) == .bool(true))
        values.values[form.paths.firstIndex(of: "a")!] = .empty
        #expect(compiled.evaluate(in: values) == .empty)
    }
}
