extension LocalDate {
    /// Reads a typed date: `2021-01-04`, `2021-1-4` (one or two digits for month
    /// and day) or `20210104`, with surrounding white space; en dashes count as
    /// hyphens. Other forms (`4/1 2021`, `21-01-04`, `4 januari 2021`) are
    /// rejected rather than guessed. Errors: `invalid-date`, also for dates
    /// that do not exist (`2021-02-30`).
    public static func parse(_ text: some StringProtocol) -> Result<LocalDate, ValueError> {
        let scalars = ValueText.trimmedScalars(text)
        var fields: [[UInt8]] = [[]]
        for scalar in scalars {
            if let digit = ValueText.digit(scalar) {
                fields[fields.count - 1].append(digit)
            } else if ValueText.isDash(scalar), fields.count < 3 {
                fields.append([])
            } else {
                return .failure(invalidDate)
            }
        }
        let year: [UInt8], month: [UInt8], day: [UInt8]
        switch fields.count {
        case 1 where fields[0].count == 8:
            year = Array(fields[0][0..<4])
            month = Array(fields[0][4..<6])
            day = Array(fields[0][6..<8])
        case 3 where fields[0].count == 4 && (1...2).contains(fields[1].count) && (1...2).contains(fields[2].count):
            (year, month, day) = (fields[0], fields[1], fields[2])
        default:
            return .failure(invalidDate)
        }
        func number(_ digits: [UInt8]) -> Int { digits.reduce(0) { $0 * 10 + Int($1) } }
        guard let date = LocalDate(year: number(year), month: number(month), day: number(day)) else {
            return .failure(nonexistentDate)
        }
        return .success(date)
    }

    /// Swedish month names, lower-case as Swedish writes them.
    public static let swedishMonthNames = [
        "januari", "februari", "mars", "april", "maj", "juni",
        "juli", "augusti", "september", "oktober", "november", "december",
    ]

    /// `"4 januari 2021"`.
    public var swedishLongFormat: String {
        "\(day) \(Self.swedishMonthNames[month - 1]) \(year)"
    }

    static let invalidDate = ValueError(
        code: ValueError.Code.invalidDate,
        message: "Ange datum som ÅÅÅÅ-MM-DD, till exempel 2021-01-04."
    )
    static let nonexistentDate = ValueError(
        code: ValueError.Code.invalidDate,
        message: "Datumet finns inte. Ange datum som ÅÅÅÅ-MM-DD, till exempel 2021-01-04."
    )
}
