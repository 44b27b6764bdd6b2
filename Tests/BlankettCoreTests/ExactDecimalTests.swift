import Testing
@testable import BlankettCore

@Suite struct ExactDecimalTests {
    private func d(_ text: String) -> ExactDecimal { ExactDecimal(canonical: text)! }

    @Test func postsTimesAmountIsExact() {
        let product = d("2.80").multiplying(by: d("402638"))!
        #expect(product == d("1127386.4"))
        #expect(product.description == "1127386.4")
        #expect(product.floor == d("1127386"))
        #expect(product.floor.description == "1127386")
        #expect(Kronor(exactly: product.floor) == Kronor(1_127_386))
    }

    @Test func additionAndSubtraction() {
        #expect(d("0.1").adding(d("0.2")) == d("0.3"))
        #expect(d("2.80").adding(d("1")) == d("3.8"))
        #expect(d("1").subtracting(d("2.5")) == d("-1.5"))
        #expect(d("1127386").subtracting(d("1127386")) == .zero)
    }

    @Test func division() {
        #expect(d("1").dividing(by: d("3")) == d("0.3333333333"))
        #expect(d("10").dividing(by: d("4")) == d("2.5"))
        #expect(d("-10").dividing(by: d("3")) == d("-3.3333333333"))
        #expect(d("1127386.4").dividing(by: d("2.80")) == d("402638"))
        #expect(d("1").dividing(by: .zero) == nil)
    }

    @Test func comparisons() {
        #expect(d("2.8") == d("2.80"))
        #expect(d("2.8").hashValue == d("2.80").hashValue)
        #expect(Set([d("2.8"), d("2.80"), d("2.800")]).count == 1)
        #expect(d("2.79") < d("2.8"))
        #expect(d("-3") < d("-2.5"))
        #expect(d("10") > d("9.99"))
        #expect(max(d("1.5"), d("1.50"), d("1.49")) == d("1.5"))
    }

    @Test func overflowReturnsNil() {
        let huge = ExactDecimal(units: Int128.max, scale: 0)
        #expect(huge.adding(ExactDecimal(1)) == nil)
        #expect(huge.negated.subtracting(ExactDecimal(2)) == nil)
        #expect(huge.multiplying(by: ExactDecimal(2)) == nil)
        #expect(ExactDecimal(units: Int128.max, scale: 0).rescaled(to: 2) == nil)
        #expect(huge.dividing(by: d("0.5")) == nil)
        #expect(ExactDecimal(canonical: String(repeating: "9", count: 40)) == nil)
    }

    @Test func roundingAndFloor() {
        #expect(d("2.805").rounded(toDecimals: 2) == d("2.81"))
        #expect(d("-2.805").rounded(toDecimals: 2) == d("-2.81"))
        #expect(d("2.804").rounded(toDecimals: 2) == d("2.80"))
        #expect(d("-1.5").floor == d("-2"))
        #expect(d("1.99").floor == d("1"))
    }

    @Test func canonicalParsing() {
        #expect(ExactDecimal(canonical: "-2.80")?.scale == 2)
        #expect(ExactDecimal(canonical: "1,5") == nil)
        #expect(ExactDecimal(canonical: "1.") == nil)
        #expect(ExactDecimal(canonical: "") == nil)
        #expect(ExactDecimal(canonical: "-") == nil)
        #expect(d("2.80").significantScale == 1)
        #expect(d("3.00").integerValue == 3)
        #expect(d("2.80").normalized.description == "2.8")
    }
}
