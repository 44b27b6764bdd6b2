extension MailMessage {
    /// The complete RFC 5322 message with MIME parts, lines ending in CRLF:
    /// headers, then a text/plain UTF-8 body, or a multipart/mixed whose first
    /// part is the body and whose other parts are the base64 attachments.
    /// Byte-deterministic: the multipart boundary derives from the Message-ID.
    public func rendered() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(estimatedSize)
        header("Date", [MailDate.format(date, utcOffsetMinutes: utcOffsetMinutes)], into: &output)
        addressHeader("From", [from], into: &output)
        addressHeader("To", to, into: &output)
        if !cc.isEmpty { addressHeader("Cc", cc, into: &output) }
        if !replyTo.isEmpty { addressHeader("Reply-To", replyTo, into: &output) }
        header("Message-ID", [messageID.bracketed], into: &output)
        if MIMEEncoding.isPlainHeaderText(subject) {
            header("Subject", subject.split(separator: " ", omittingEmptySubsequences: false).map(String.init), into: &output)
        } else {
            header("Subject", MIMEEncoding.encodedWords(subject), into: &output)
        }
        header("MIME-Version", ["1.0"], into: &output)
        if attachments.isEmpty {
            textPart(into: &output)
            return output
        }
        let boundary = "=_blankett_" + String(MIMEEncoding.fnv1a(messageID.value.utf8), radix: 16)
        header("Content-Type", ["multipart/mixed;", "boundary=\"\(boundary)\""], into: &output)
        output.append(contentsOf: MIMEEncoding.crlf)
        let delimiter = Array("--\(boundary)".utf8)
        output.append(contentsOf: delimiter)
        output.append(contentsOf: MIMEEncoding.crlf)
        textPart(into: &output)
        // The CRLF before a delimiter belongs to the delimiter: keep the text's last line break.
        output.append(contentsOf: MIMEEncoding.crlf)
        for attachment in attachments {
            output.append(contentsOf: delimiter)
            output.append(contentsOf: MIMEEncoding.crlf)
            header("Content-Type", ["\(attachment.contentType);"] + MIMEEncoding.parameter("name", attachment.filename), into: &output)
            header("Content-Disposition", ["attachment;"] + MIMEEncoding.parameter("filename", attachment.filename), into: &output)
            header("Content-Transfer-Encoding", ["base64"], into: &output)
            output.append(contentsOf: MIMEEncoding.crlf)
            MIMEEncoding.base64(attachment.bytes, into: &output)
        }
        output.append(contentsOf: delimiter)
        output.append(contentsOf: Array("--".utf8))
        output.append(contentsOf: MIMEEncoding.crlf)
        return output
    }

    /// The body's own headers, a blank line and the encoded text.
    private func textPart(into output: inout [UInt8]) {
        header("Content-Type", ["text/plain;", "charset=UTF-8"], into: &output)
        header("Content-Transfer-Encoding", [bodyEncoding.rawValue], into: &output)
        output.append(contentsOf: MIMEEncoding.crlf)
        let text = MIMEEncoding.crlfLines(body)
        switch bodyEncoding {
        case .quotedPrintable: MIMEEncoding.quotedPrintable(crlfText: text, into: &output)
        case .base64: MIMEEncoding.base64(text, into: &output)
        }
    }

    private func addressHeader(_ name: String, _ addresses: [MailAddress], into output: inout [UInt8]) {
        var pieces: [String] = []
        for (index, address) in addresses.enumerated() {
            if let displayName = address.name {
                pieces += MIMEEncoding.phrase(displayName)
            }
            let angle = address.name == nil ? address.email : "<\(address.email)>"
            pieces.append(index == addresses.count - 1 ? angle : angle + ",")
        }
        header(name, pieces, into: &output)
    }

    /// `Name: piece piece …` folded before a piece that would pass column 78.
    private func header(_ name: String, _ pieces: [String], into output: inout [UInt8]) {
        output.append(contentsOf: name.utf8)
        output.append(UInt8(ascii: ":"))
        var column = name.utf8.count + 1
        for piece in pieces {
            let width = piece.utf8.count
            if column + 1 + width > 78 && column > name.utf8.count + 1 && width > 0 {
                output.append(contentsOf: MIMEEncoding.crlf)
                column = 0
            }
            output.append(UInt8(ascii: " "))
            output.append(contentsOf: piece.utf8)
            column += 1 + width
        }
        output.append(contentsOf: MIMEEncoding.crlf)
    }
}
