import BlankettCore
import Testing

/// The one hex encoder: two digits a byte, high nibble first, lowercase by default.
@Suite struct HexTests {
    @Test func encodesEachByteAsTwoLowercaseDigits() {
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
    }

    @Test func encodesNothingAsEmptyText() {
        #expect(Hex.encode([UInt8]()) == "")
    }

    @Test func encodesEveryByteValue() {
        let expected = (0...255).map { value in (value < 16 ? "0" : "") + String(value, radix: 16) }.joined()
        #expect(Hex.encode((0...255).map { UInt8($0) }) == expected)
    }

    @Test func encodesUppercaseWhenAsked() {
        #expect(Hex.encode([0x3d, 0xab], uppercase: true) == "3DAB")
    }

    @Test func appendsDigitsToBytes() {
        var output = Array("=".utf8)
        Hex.append(0xe5, to: &output, uppercase: true)
        Hex.append(0x0a, to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "=E50a")
    }

    @Test func writesTheSHA256OfABC() {
        // FIPS 180-2, appendix B.1.
        #expect(Digest.sha256Hex("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
