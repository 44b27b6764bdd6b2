@testable import BlankettPDF
import Testing

/// The page frame as artifacts: what is wrapped, and what only looks like an operator.
@Suite struct PDFArtifactsTests {
    static func marked(_ content: String) -> String {
        String(decoding: PDFArtifacts.markingArtifacts(Array(content.utf8)), as: UTF8.self)
    }

    @Test func textAndPathsOutsideMarkedContentBecomeArtifacts() {
        let content = """
            /P << /MCID 0 >> BDC
            BT /f-0-0 1 Tf [(Tagged)]TJ ET
            EMC
            0.6 0.6 0.6 RG 56 44 m 539 44 l S
            BT [(Sida 1 av 3)]TJ ET
            """
        #expect(Self.marked(content) == """
            /P << /MCID 0 >> BDC
            BT /f-0-0 1 Tf [(Tagged)]TJ ET
            EMC
            0.6 0.6 0.6 RG /Artifact BMC
            56 44 m 539 44 l S
            EMC
            /Artifact BMC
            BT [(Sida 1 av 3)]TJ ET
            EMC
            """)
    }

    @Test func operatorNamesInsideStringsAndDictionariesAreNotOperators() {
        // "BT", "EMC" and "re" inside a string, a hex string, a name and a
        // dictionary; a Span inside an untagged text object.
        let content = """
            /Span << /ActualText (BT EMC \\) re) /Alt <4254> >> BDC
            BT [(ET) (EMC)]TJ ET
            EMC
            BT /Span << /ActualText <feff0020> >> BDC [(x)]TJ EMC ET
            """
        #expect(Self.marked(content) == """
            /Span << /ActualText (BT EMC \\) re) /Alt <4254> >> BDC
            BT [(ET) (EMC)]TJ ET
            EMC
            /Artifact BMC
            BT /Span << /ActualText <feff0020> >> BDC [(x)]TJ EMC ET
            EMC
            """)
    }

    @Test func contentWithNothingOutsideIsLeftAsItIs() {
        let content = "/P << /MCID 0 >> BDC BT [(a)]TJ ET EMC"
        #expect(Self.marked(content) == content)
    }

    @Test func deflatedContentInflatesToTheSameBytes() throws {
        let content = Array(String(repeating: "BT [(Sida 1 av 3)]TJ ET\n", count: 500).utf8)
        #expect(try PDFArtifacts.inflate(try PDFArtifacts.deflate(content)[...]) == content)
        #expect(throws: PDFError.self) { try PDFArtifacts.inflate(Array("not zlib".utf8)[...]) }
    }
}
