import BlankettCore
@testable import BlankettPDF
import Testing

@Suite struct AnswerTextTests {
    @Test func numbersAreWrittenTheSwedishWay() {
        #expect(AnswerText.format(.number(ExactDecimal(1_127_386)), type: .kronor(min: nil, max: nil), unit: "kr") == "1 127 386 kr")
        #expect(AnswerText.format(.number(ExactDecimal(units: 28, scale: 1)), type: .decimal(decimals: 2, min: nil, max: nil), unit: nil) == "2,80")
        #expect(AnswerText.format(.bool(true), type: .yesNo, unit: nil) == "Ja")
        #expect(AnswerText.format(.empty, type: .text(maxLength: 200), unit: nil) == nil)
        let scale = FieldType.scale(min: 1, max: 5, minLabel: "I låg utsträckning", maxLabel: nil, cannotJudge: true)
        #expect(AnswerText.format(.text("1"), type: scale, unit: nil) == "1 – I låg utsträckning")
        #expect(AnswerText.format(.text("kan-inte-bedoma"), type: scale, unit: nil) == "Kan inte bedöma")
        #expect(AnswerText.formatRaw(.string("1127386"), type: .kronor(min: nil, max: nil), unit: nil) == "1 127 386 kr")
    }

    @Test func signingTimesAreSwedishLocalTime() {
        #expect(SwedishTime.describe("2021-01-04T09:15:00Z") == "2021-01-04 kl. 10:15 svensk tid (09:15 UTC)")
        // Summer time (CEST) from the last Sunday of March, 01:00 UTC.
        #expect(SwedishTime.describe("2021-06-01T09:15:00Z") == "2021-06-01 kl. 11:15 svensk tid (09:15 UTC)")
        #expect(SwedishTime.describe("2021-03-28T00:59:00Z") == "2021-03-28 kl. 01:59 svensk tid (00:59 UTC)")
        #expect(SwedishTime.describe("2021-03-28T01:00:00Z") == "2021-03-28 kl. 03:00 svensk tid (01:00 UTC)")
        #expect(SwedishTime.describe("2021-10-31T01:00:00Z") == "2021-10-31 kl. 02:00 svensk tid (01:00 UTC)")
        // Past midnight in Sweden.
        #expect(SwedishTime.describe("2020-12-31T23:30:00Z") == "2021-01-01 kl. 00:30 svensk tid (2020-12-31 23:30 UTC)")
        #expect(SwedishTime.describe("igår") == "igår")
    }
}
