/// A Swedish telephone number (`08-530 610 00`, `073-421 85 22`,
/// `010-223 17 61`).
///
/// Accepted input: digits with spaces, dashes, parentheses, `/` or `.` between
/// them; the country code as `+46` or `0046`, after which a leading `0` or
/// `(0)` is dropped (`+46 8 530 610 00`, `+46 (0)8 530 610 00`). Letters and
/// other country codes are rejected. After normalisation the national number
/// starts with a single `0` and has 8–10 digits; a mobile number has 10.
///
/// The area code (riktnummer) decides the formatting. It is
/// - `08` (Stockholm);
/// - three digits for the common codes `010`, `011`, `013`, `016`, `018`,
///   `019`, `020`, `021`, `023`, `026`, `031`, `033`, `035`, `036`, `040`,
///   `042`, `044`, `046`, `054`, `060`, `063`, `090` and the mobile codes
///   `070`, `072`, `073`, `076`, `079`;
/// - four digits for every other code (`0520`, `0771`, …).
/// The subscriber number is grouped the usual Swedish way:
/// 5 digits `NNN NN`, 6 `NN NN NN`, 7 `NNN NN NN`, 8 `NNN NNN NN`; a
/// subscriber number shorter than 5 digits is rejected.
public struct PhoneNumber: Sendable, Hashable, CustomStringConvertible {
    /// All national digits, with the leading zero: `"0853061000"`.
    public let national: String
    /// Digits of the area code, with its leading zero (2, 3 or 4).
    public let areaCodeLength: Int

    static let threeDigitAreaCodes: Set<String> = [
        "010", "011", "013", "016", "018", "019", "020", "021", "023", "026",
        "031", "033", "035", "036", "040", "042", "044", "046", "054", "060",
        "063", "090",
        "070", "072", "073", "076", "079",
    ]
    static let mobileAreaCodes: Set<String> = ["070", "072", "073", "076", "079"]

    private init(national: String, areaCodeLength: Int) {
        self.national = national
        self.areaCodeLength = areaCodeLength
    }

    /// Errors: `invalid-phone`.
    public static func parse(_ text: some StringProtocol) -> Result<PhoneNumber, ValueError> {
        var scalars = ValueText.trimmedScalars(text)[...]
        var international = false
        if scalars.first == "+" {
            international = true
            scalars = scalars.dropFirst()
        }
        var digits: [UInt8] = []
        for scalar in scalars {
            if let digit = ValueText.digit(scalar) {
                digits.append(digit)
            } else if !(ValueText.isGroupSpace(scalar) || ValueText.isDash(scalar)
                        || scalar == "(" || scalar == ")" || scalar == "/" || scalar == ".") {
                return .failure(invalid)
            }
        }
        if !international, digits.starts(with: [0, 0]) {
            international = true
            digits.removeFirst(2)
        }
        if international {
            guard digits.starts(with: [4, 6]) else { return .failure(invalid) }
            digits.removeFirst(2)
            if digits.first == 0 { digits.removeFirst() }
            digits.insert(0, at: 0)
        }
        guard (8...10).contains(digits.count), digits[0] == 0, digits[1] != 0 else {
            return .failure(invalid)
        }
        let national = ValueText.string(digits)
        let areaCodeLength: Int
        if digits[1] == 8 {
            areaCodeLength = 2
        } else if threeDigitAreaCodes.contains(String(national.prefix(3))) {
            areaCodeLength = 3
        } else {
            areaCodeLength = 4
        }
        if mobileAreaCodes.contains(String(national.prefix(3))) {
            guard digits.count == 10 else { return .failure(invalid) }
        }
        guard digits.count - areaCodeLength >= 5 else { return .failure(invalid) }
        return .success(PhoneNumber(national: national, areaCodeLength: areaCodeLength))
    }

    /// `"08"`, `"073"`, `"0520"`.
    public var areaCode: String { String(national.prefix(areaCodeLength)) }

    /// The digits after the area code: `"53061000"`.
    public var subscriberNumber: String { String(national.dropFirst(areaCodeLength)) }

    /// Whether the number is a mobile number (070, 072, 073, 076, 079).
    public var isMobile: Bool { Self.mobileAreaCodes.contains(String(national.prefix(3))) }

    /// The Swedish way: `"08-530 610 00"`, `"073-421 85 22"`, `"010-223 17 61"`.
    public var formatted: String { areaCode + "-" + groupedSubscriberNumber }

    /// For callers abroad: `"+46 8 530 610 00"`.
    public var international: String {
        "+46 " + String(areaCode.dropFirst()) + " " + groupedSubscriberNumber
    }

    /// E.164, for machines: `"+46853061000"`.
    public var e164: String { "+46" + String(national.dropFirst()) }

    /// The stored form, the same as `formatted`.
    public var canonical: String { formatted }

    public var description: String { formatted }

    private var groupedSubscriberNumber: String {
        // ASCII digits only: grouped as bytes, not Characters.
        let digits = Array(national.utf8.dropFirst(areaCodeLength))
        let groups: [Int] = switch digits.count {
        case 5: [3, 2]
        case 6: [2, 2, 2]
        case 7: [3, 2, 2]
        default: [3, 3, 2]
        }
        var result: [UInt8] = []
        result.reserveCapacity(digits.count + groups.count)
        var start = 0
        for size in groups where start < digits.count {
            if start > 0 { result.append(UInt8(ascii: " ")) }
            let end = min(start + size, digits.count)
            result.append(contentsOf: digits[start..<end])
            start = end
        }
        if start < digits.count {
            result.append(UInt8(ascii: " "))
            result.append(contentsOf: digits[start...])
        }
        return String(decoding: result, as: UTF8.self)
    }

    static let invalid = ValueError(
        code: ValueError.Code.invalidPhone,
        message: "Ange ett svenskt telefonnummer med riktnummer, till exempel 08-530 610 00."
    )
}
