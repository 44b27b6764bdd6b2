/// Small helpers shared by the value parsers in this folder: what counts as a
/// space, a dash or a digit when people type, paste from Word or copy from a PDF,
/// and the Luhn (mod 10) check digit.
enum ValueText {
    /// The input as Unicode scalars without surrounding white space (any kind:
    /// space, tab, line breaks, no-break spaces).
    static func trimmedScalars(_ text: some StringProtocol) -> [Unicode.Scalar] {
        let scalars = Array(text.unicodeScalars)
        var start = 0
        var end = scalars.count
        while start < end, isWhitespace(scalars[start]) { start += 1 }
        while end > start, isWhitespace(scalars[end - 1]) { end -= 1 }
        return Array(scalars[start..<end])
    }

    /// Unicode's White_Space, answered without the property tables for ASCII
    /// (which nearly every answer is).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar.value == 0x20 || (0x09...0x0D).contains(scalar.value) : scalar.properties.isWhitespace
    }

    /// Unicode's Alphabetic, without the property tables for ASCII.
    static func isAlphabetic(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? isASCIILetter(scalar) : scalar.properties.isAlphabetic
    }

    /// Spaces that may separate digit groups: space, no-break space U+00A0,
    /// narrow no-break space U+202F and thin space U+2009.
    static func isGroupSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0xA0, 0x202F, 0x2009: return true
        default: return false
        }
    }

    /// Hyphen-minus and the dashes word processors substitute for it
    /// (hyphen U+2010, non-breaking hyphen U+2011, en dash U+2013, minus U+2212).
    static func isDash(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2D, 0x2010, 0x2011, 0x2013, 0x2212: return true
        default: return false
        }
    }

    /// The value 0…9 of an ASCII digit, else `nil`.
    static func digit(_ scalar: Unicode.Scalar) -> UInt8? {
        scalar.value >= 0x30 && scalar.value <= 0x39 ? UInt8(scalar.value - 0x30) : nil
    }

    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value >= 0x41 && scalar.value <= 0x5A) || (scalar.value >= 0x61 && scalar.value <= 0x7A)
    }

    /// Lower-cases ASCII letters only (for comparing suffixes and prefixes).
    static func asciiLowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        scalar.value >= 0x41 && scalar.value <= 0x5A ? Unicode.Scalar(UInt8(scalar.value + 0x20)) : scalar
    }

    /// Whether `scalars` starts with `prefix`, ASCII case-insensitively.
    static func hasPrefix(_ scalars: ArraySlice<Unicode.Scalar>, caseInsensitive prefix: String) -> Bool {
        let wanted = Array(prefix.unicodeScalars)
        guard scalars.count >= wanted.count else { return false }
        return zip(scalars, wanted).allSatisfy { asciiLowercased($0) == asciiLowercased($1) }
    }

    /// Whether `scalars` ends with `suffix`, ASCII case-insensitively.
    static func hasSuffix(_ scalars: ArraySlice<Unicode.Scalar>, caseInsensitive suffix: String) -> Bool {
        let wanted = Array(suffix.unicodeScalars)
        guard scalars.count >= wanted.count else { return false }
        return zip(scalars.suffix(wanted.count), wanted).allSatisfy { asciiLowercased($0) == asciiLowercased($1) }
    }

    /// Digits with at most one dash among them, spaces anywhere ignored
    /// (`"212000-2882"`, `"212000 2882"`, `"4 12 34-5"`): the digits and how
    /// many of them come before the dash, or `nil` for any other character,
    /// a second dash or no digits.
    static func digitsWithDash(_ scalars: some Collection<Unicode.Scalar>) -> (digits: [UInt8], digitsBeforeDash: Int?)? {
        var digits: [UInt8] = []
        var dash: Int?
        for scalar in scalars {
            if let digit = digit(scalar) {
                digits.append(digit)
            } else if isDash(scalar) {
                guard dash == nil else { return nil }
                dash = digits.count
            } else if !isGroupSpace(scalar) {
                return nil
            }
        }
        return digits.isEmpty ? nil : (digits, dash)
    }

    /// Digits 0…9 as a string ("2120002882").
    static func string(_ digits: some Sequence<UInt8>) -> String {
        String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
    }
}

/// The Luhn (mod 10) check used by organisationsnummer, personnummer, bankgiro
/// and plusgiro numbers: from the right, every second digit is doubled (digits
/// of the product added), and the sum must be divisible by 10.
enum Luhn {
    /// Whether `digits` (each 0…9, check digit last) pass the check.
    static func isValid(_ digits: some BidirectionalCollection<UInt8>) -> Bool {
        guard !digits.isEmpty else { return false }
        return sum(digits.reversed(), doubleFirst: false) % 10 == 0
    }

    /// The check digit to append to `digits`.
    static func checkDigit(for digits: some BidirectionalCollection<UInt8>) -> UInt8 {
        UInt8((10 - sum(digits.reversed(), doubleFirst: true) % 10) % 10)
    }

    private static func sum(_ reversedDigits: some Sequence<UInt8>, doubleFirst: Bool) -> Int {
        var total = 0
        var double = doubleFirst
        for digit in reversedDigits {
            var value = Int(digit)
            if double {
                value *= 2
                if value > 9 { value -= 9 }
            }
            total += value
            double.toggle()
        }
        return total
    }
}
