import Testing
@testable import BlankettCore

@Suite struct ExpressionMessageTemplateTests {
    /// Literal parts as themselves, expression parts as `{source}`.
    func split(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [String] {
        switch MessageTemplate.parse(text) {
        case .success(let template):
            return template.parts.map { part in
                switch part {
                case .literal(let literal): literal
                case .expression(let syntax): "{\(syntax.source)}"
                }
            }
        case .failure(let diagnostic):
            Issue.record("'\(text)' did not parse: \(diagnostic)", sourceLocation: sourceLocation)
            return []
        }
    }

    func failure(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ExpressionDiagnostic? {
        switch MessageTemplate.parse(text) {
        case .success:
            Issue.record("'\(text)' parsed but should not", sourceLocation: sourceLocation)
            return nil
        case .failure(let diagnostic):
            return diagnostic
        }
    }

    @Test func splitsLiteralsAndPlaceholders() {
        #expect(split("Summan ({sum(${a}, ${b})}) ska vara {${t}}.") == [
            "Summan (", "{sum(${a}, ${b})}", ") ska vara ", "{${t}}", ".",
        ])
    }

    @Test func ruleMessageFromTheFormFormat() {
        let message = "Åldersgrupperna för kvinnor ({sum(${klienter.totalt.kvinnor.18-29}, ${klienter.totalt.kvinnor.65-})}) ska summera till totalt antal kvinnor ({${klienter.totalt.kvinnor.totalt}})."
        #expect(split(message) == [
            "Åldersgrupperna för kvinnor (",
            "{sum(${klienter.totalt.kvinnor.18-29}, ${klienter.totalt.kvinnor.65-})}",
            ") ska summera till totalt antal kvinnor (",
            "{${klienter.totalt.kvinnor.totalt}}",
            ").",
        ])
    }

    @Test func plainTextAndEdgePlaceholders() {
        #expect(split("Fyll i beloppet.") == ["Fyll i beloppet."])
        #expect(split("") == [])
        #expect(split("{${a}}") == ["{${a}}"])
        #expect(split("{${a}}{${b}}") == ["{${a}}", "{${b}}"])
        #expect(split("Förbrukat ({.}) får inte överstiga beviljat ({${beviljat_belopp}}).") == [
            "Förbrukat (", "{.}", ") får inte överstiga beviljat (", "{${beviljat_belopp}}", ").",
        ])
    }

    @Test func doubledBracesAreLiteral() {
        #expect(split("{{inte}} en platshållare") == ["{inte} en platshållare"])
        #expect(split("a {{ {${x}} }}") == ["a { ", "{${x}}", " }"])
    }

    @Test func bracesInsideQuotedTextDoNotClose() {
        #expect(split("Värde: {if(${ja}, '}', '{')}!") == ["Värde: ", "{if(${ja}, '}', '{')}", "!"])
    }

    @Test func placeholdersAreParsedWithOffsets() throws {
        let template = try MessageTemplate.parse("Summan ({sum(${a}, ${b})}) ska vara {${t}}.").get()
        let expressions = template.parts.compactMap { part -> ExpressionSyntax? in
            if case .expression(let syntax) = part { return syntax }
            return nil
        }
        #expect(expressions.map(\.sourceOffset) == [9, 37])
        #expect(expressions.map(\.debugDescription) == ["sum(${a}, ${b})", "${t}"])
        // Reference offsets count within the placeholder.
        #expect(expressions[0].references.map(\.offset) == [4, 10])
        #expect(expressions[1].references.map(\.path) == ["t"])
    }

    @Test func placeholderExpressionsCompileAndEvaluate() throws {
        let form = ExpressionTestForm([("a", .number, exprNum("14")), ("b", .number, exprNum("2.80"))])
        let template = try MessageTemplate.parse("Summan är {sum(${a}, ${b})}.").get()
        guard case .expression(let syntax) = template.parts[1] else {
            Issue.record("expected an expression part")
            return
        }
        let compiled = try ExpressionCompiler.compile(syntax, expecting: nil, resolve: form.resolve).get()
        #expect(compiled.evaluate(in: ExpressionTestValues(values: form.values)) == exprNum("16.80"))
    }

    // MARK: Errors, located in the whole message

    @Test func unterminatedPlaceholder() throws {
        let diagnostic = try #require(failure("Summa {sum(${a}"))
        #expect(diagnostic.offset == 6)
        #expect(diagnostic.message == "unterminated placeholder: '{' at column 7 has no matching '}'")
    }

    @Test func strayClosingBrace() throws {
        let diagnostic = try #require(failure("a } b"))
        #expect(diagnostic.offset == 2)
        #expect(diagnostic.message == "'}' without a matching '{'; write '}}' for a brace in the text")
    }

    @Test func emptyPlaceholder() throws {
        let diagnostic = try #require(failure("Värde: { }"))
        #expect(diagnostic.offset == 7)
        #expect(diagnostic.length == 3)
        #expect(diagnostic.message == "empty placeholder '{}'; write '{{}}' for braces in the text")
    }

    @Test func bareReferenceMustBeInBraces() throws {
        let diagnostic = try #require(failure("Värde ${a} kr"))
        #expect(diagnostic.offset == 6)
        #expect(diagnostic.length == 4)
        #expect(diagnostic.message == "a field in a message is written inside braces: {${a}}")
    }

    @Test func braceInsidePlaceholder() throws {
        let diagnostic = try #require(failure("x {1 + {2}}"))
        #expect(diagnostic.offset == 7)
        #expect(diagnostic.message == "unexpected '{' inside a placeholder; a field is written ${path}")
    }

    @Test func expressionErrorsPointIntoTheMessage() throws {
        let text = "Värde: {1 +} kr"
        let diagnostic = try #require(failure(text))
        #expect(diagnostic.offset == 11)
        #expect(diagnostic.message == "expected a value, found the end of the expression")
        #expect(diagnostic.rendered(source: text) == "Värde: {1 +} kr\n           ^")
        let unknown = try #require(failure("Summa: {sum(${a}, ${b)}}"))
        #expect(unknown.offset == 21)
        #expect(unknown.message == "expected '}' to close '${' at column 19")
    }
}
