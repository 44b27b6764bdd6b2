import Testing
@testable import BlankettCore

@Suite struct ExpressionParserTests {
    func tree(_ source: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
        switch ExpressionParser.parse(source) {
        case .success(let syntax): return syntax.debugDescription
        case .failure(let diagnostic):
            Issue.record("'\(source)' did not parse: \(diagnostic)", sourceLocation: sourceLocation)
            return ""
        }
    }

    func failure(_ source: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ExpressionDiagnostic? {
        switch ExpressionParser.parse(source) {
        case .success(let syntax):
            Issue.record("'\(source)' parsed as \(syntax.debugDescription)", sourceLocation: sourceLocation)
            return nil
        case .failure(let diagnostic):
            return diagnostic
        }
    }

    // MARK: Precedence and associativity

    @Test(arguments: [
        ("1 + 2 * 3", "(1 + (2 * 3))"),
        ("1 * 2 + 3", "((1 * 2) + 3)"),
        ("1 - 2 - 3", "((1 - 2) - 3)"),
        ("1 - 2 + 3", "((1 - 2) + 3)"),
        ("8 / 4 / 2", "((8 / 4) / 2)"),
        ("8 / 4 * 2", "((8 / 4) * 2)"),
        ("(1 + 2) * 3", "((1 + 2) * 3)"),
        ("-2 * 3", "((-2) * 3)"),
        ("2 * -3", "(2 * (-3))"),
        ("- -2", "(-(-2))"),
        ("-(1 + 2)", "(-(1 + 2))"),
        ("1 + 2 = 3", "((1 + 2) = 3)"),
        ("1 + 2 * 3 >= 4 - 5 / 6", "((1 + (2 * 3)) >= (4 - (5 / 6)))"),
        ("${a} = 1 and ${b} = 2", "((${a} = 1) and (${b} = 2))"),
        ("true or false and false", "(true or (false and false))"),
        ("true and false or true", "((true and false) or true)"),
        ("true or false or true", "((true or false) or true)"),
        ("true and false and true", "((true and false) and true)"),
        ("not true and false", "((not true) and false)"),
        ("not ${a} = 1", "(not (${a} = 1))"),
        ("not not true", "(not (not true))"),
        ("not (true or false)", "(not (true or false))"),
        ("not ${a} = 1 and ${b} or ${c}", "(((not (${a} = 1)) and ${b}) or ${c})"),
        ("${a} != 1 or ${b} <= 2 and not ${c} > 3", "((${a} != 1) or ((${b} <= 2) and (not (${c} > 3))))"),
        ("sum(1, 2 * 3) < max(${a}, -1)", "(sum(1, (2 * 3)) < max(${a}, (-1)))"),
        ("if(${a} > 1, 'ja', 'nej')", "if((${a} > 1), 'ja', 'nej')"),
        (". <= ${beviljat}", "(. <= ${beviljat})"),
        ("2.80 * ${const.arsschablon}", "(2.80 * ${const.arsschablon})"),
        ("'it''s'", "'it''s'"),
        ("date('2020-12-31')", "date('2020-12-31')"),
        ("count()", "count()"),
        ("((1))", "1"),
    ])
    func precedence(source: String, expected: String) {
        #expect(tree(source) == expected)
    }

    @Test func whitespaceAndNewlinesAreIgnored() {
        #expect(tree("  sum( ${a} ,\n\t${b} )\n= 3 ") == "(sum(${a}, ${b}) = 3)")
    }

    // MARK: References

    @Test func referencesInSourceOrderWithCharacterOffsets() throws {
        let source = "sum(${klienter.nya.kvinnor.18-29}, ${anstallda.*.kvinnor}) <= . + ${const.arsschablon}"
        let syntax = try ExpressionParser.parse(source).get()
        #expect(syntax.references == [
            ReferenceSyntax(path: "klienter.nya.kvinnor.18-29", offset: 4, isSelf: false),
            ReferenceSyntax(path: "anstallda.*.kvinnor", offset: 35, isSelf: false),
            ReferenceSyntax(path: ".", offset: 62, isSelf: true),
            ReferenceSyntax(path: "const.arsschablon", offset: 66, isSelf: false),
        ])
        #expect(syntax.source == source)
        #expect(syntax.sourceOffset == 0)
    }

    @Test func offsetsCountCharactersNotBytes() throws {
        // 'åäö' is 5 characters but 8 UTF-8 bytes.
        let syntax = try ExpressionParser.parse("'åäö' = ${x}").get()
        #expect(syntax.references.map(\.offset) == [8])
        let diagnostic = try #require(failure("'åäö' = ${x"))
        #expect(diagnostic.offset == 8)
    }

    @Test func repeatedReferencesAreListedEachTime() throws {
        let syntax = try ExpressionParser.parse("${a} + ${a}").get()
        #expect(syntax.references.map(\.path) == ["a", "a"])
        #expect(syntax.references.map(\.offset) == [0, 7])
    }

    // MARK: Diagnostics

    @Test func unterminatedReference() throws {
        let diagnostic = try #require(failure("1 + ${abc"))
        #expect(diagnostic.offset == 4)
        #expect(diagnostic.length == 5)
        #expect(diagnostic.message == "unterminated reference: '${' at column 5 has no closing '}'")
    }

    @Test func referenceClosedByTheWrongCharacter() throws {
        let diagnostic = try #require(failure("sum(${a, 1)"))
        #expect(diagnostic.offset == 7)
        #expect(diagnostic.message == "expected '}' to close '${' at column 5")
        let accented = try #require(failure("${förbrukat}"))
        #expect(accented.offset == 3)
        #expect(accented.message == "unexpected 'ö' in reference '${f…'; ids use a-z, 0-9, '_' and '-'")
    }

    @Test func malformedReferences() throws {
        #expect(failure("${}")?.message == "empty reference '${}'; write ${path}")
        #expect(failure("${a..b}")?.message == "invalid reference '${a..b}': a path is ids separated by single dots")
        #expect(failure("$a")?.message == "expected '{' after '$'; a field is written ${path}")
    }

    @Test func missingClosingParenthesis() throws {
        let diagnostic = try #require(failure("(1 + 2"))
        #expect(diagnostic.offset == 6)
        #expect(diagnostic.message == "expected ')' to close '(' at column 1, found the end of the expression")
        let nested = try #require(failure("2 * (1 + (3 4)"))
        #expect(nested.offset == 12)
        #expect(nested.message == "expected ')' to close '(' at column 10, found '4'")
    }

    @Test func argumentListErrors() throws {
        let missingComma = try #require(failure("sum(1 2)"))
        #expect(missingComma.offset == 6)
        #expect(missingComma.message == "expected ',' or ')' to close '(' at column 4, found '2'")
        let trailingComma = try #require(failure("sum(1, )"))
        #expect(trailingComma.offset == 7)
        #expect(trailingComma.message == "expected a value, found ')'")
    }

    @Test func missingOperandAndTrailingInput() throws {
        let missing = try #require(failure("1 +"))
        #expect(missing.offset == 3)
        #expect(missing.message == "expected a value, found the end of the expression")
        let trailing = try #require(failure("${a} ${b}"))
        #expect(trailing.offset == 5)
        #expect(trailing.length == 4)
        #expect(trailing.message == "expected an operator or the end of the expression, found '${b}'")
        let unmatched = try #require(failure("1)"))
        #expect(unmatched.offset == 1)
        #expect(unmatched.message == "unexpected ')' without a matching '('")
        #expect(failure("")?.message == "empty expression")
        #expect(failure("   ")?.offset == 3)
    }

    @Test func chainedComparisonsAreRejected() throws {
        let diagnostic = try #require(failure("1 < ${a} < 3"))
        #expect(diagnostic.offset == 9)
        #expect(diagnostic.message == "comparisons cannot be chained; join them with 'and'")
    }

    @Test func lexicalMistakesGetAHint() throws {
        #expect(failure("1 == 1")?.message == "use '=' to compare, not '=='")
        #expect(failure("1 == 1")?.offset == 2)
        #expect(failure("1 <> 2")?.message == "use '!=' for 'not equal', not '<>'")
        #expect(failure("!true")?.message == "use 'not' to negate, not '!'")
        #expect(failure("true && false")?.message == "use 'and', not '&&'")
        #expect(failure("true || false")?.message == "use 'or', not '||'")
        #expect(failure("\"text\"")?.message == "text is written in single quotes: 'like this'")
        #expect(failure("1 % 2")?.message == "unexpected character '%'")
        #expect(failure("1 % 2")?.offset == 2)
        #expect(failure("{a}")?.message == "unexpected '{'; a field is written ${path}")
    }

    @Test func unterminatedText() throws {
        let diagnostic = try #require(failure("${a} = 'abc"))
        #expect(diagnostic.offset == 7)
        #expect(diagnostic.length == 4)
        #expect(diagnostic.message == "unterminated text: the quote at column 8 has no closing quote")
    }

    @Test func numberMistakes() throws {
        #expect(failure("12.")?.message == "expected digits after the decimal point")
        #expect(failure("12.")?.offset == 2)
        #expect(failure(".5")?.message == "a number must start with a digit: write '0.5…'")
        #expect(failure("12abc")?.message == "unexpected 'a' after the number '12'")
        #expect(failure("1000000000000000000000000000000000000000")?.message
            == "the number 1000000000000000000000000000000000000000 is too large or has more than 18 decimals")
        #expect(failure("0.1234567890123456789")?.offset == 0)
    }

    @Test func bareWordsAreExplained() throws {
        let word = try #require(failure("forbrukat > 1"))
        #expect(word.offset == 0)
        #expect(word.length == 9)
        #expect(word.message == "unknown word 'forbrukat'; write text in quotes ('forbrukat') and fields as ${forbrukat}")
        #expect(failure("true AND false")?.message == "unknown word 'AND'; did you mean 'and'?")
    }

    @Test func deepNestingIsRefused() {
        let source = String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200)
        #expect(failure(source)?.message == "the expression is nested too deeply")
        let fine = String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50)
        #expect(tree(fine) == "1")
    }

    // MARK: Rendering

    @Test func renderedPutsACaretUnderTheColumn() {
        let source = "sum(${a}, ${b}) = 'x'"
        let diagnostic = ExpressionDiagnostic(offset: 16, length: 1, message: "cannot compare number with text")
        #expect(diagnostic.rendered(source: source) == """
            sum(${a}, ${b}) = 'x'
                            ^
            """)
        #expect(diagnostic.description == "column 17: cannot compare number with text")
    }

    @Test func renderedMarksTheWholeSpan() {
        let diagnostic = ExpressionDiagnostic(offset: 0, length: 5, message: "unknown function 'summa'")
        #expect(diagnostic.rendered(source: "summa(1) > 2") == "summa(1) > 2\n^~~~~")
    }

    @Test func renderedFromAParseFailure() throws {
        let source = "1 + ${abc"
        let diagnostic = try #require(failure(source))
        #expect(diagnostic.rendered(source: source) == "1 + ${abc\n    ^~~~~")
    }

    @Test func renderedAtTheEndOfTheText() throws {
        let source = "(1 + 2"
        let diagnostic = try #require(failure(source))
        #expect(diagnostic.rendered(source: source) == "(1 + 2\n      ^")
    }

    @Test func renderedShowsOnlyTheOffendingLine() {
        let source = "${a} +\n  'x' +\n  3"
        let diagnostic = ExpressionDiagnostic(offset: 9, length: 3, message: "'+' needs numbers, got text")
        #expect(diagnostic.rendered(source: source) == "  'x' +\n  ^~~")
        // A span running past the end of its line is cut there.
        let long = ExpressionDiagnostic(offset: 9, length: 20, message: "…")
        #expect(long.rendered(source: source) == "  'x' +\n  ^~~~~")
    }

    @Test func renderedKeepsTabsAndCountsCharacters() {
        #expect(ExpressionDiagnostic(offset: 4, message: "…").rendered(source: "\t1 + 'å'") == "\t1 + 'å'\n\t   ^")
        #expect(ExpressionDiagnostic(offset: 6, message: "…").rendered(source: "'åäö' ?") == "'åäö' ?\n      ^")
    }
}
