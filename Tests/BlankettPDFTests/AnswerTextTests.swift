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
}
