import BlankettTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A received message as Python's `email` package reads it: an independent
/// MIME parser checks what Blankett wrote.
struct ParsedMail: Decodable {
    struct Attachment: Decodable {
        let filename: String?
        let contentType: String
        let sha256: String
        let size: Int
    }

    let subject: String
    let from: String
    let to: String
    let cc: String?
    let replyTo: String?
    let messageID: String
    let date: String
    let body: String
    let attachments: [Attachment]
    /// Headers aiosmtpd adds: the envelope it saw.
    let envelopeRecipients: String?
    let defects: [String]

    static let script = """
        import email, email.policy, hashlib, json, sys
        with open(sys.argv[1], 'rb') as f:
            message = email.message_from_binary_file(f, policy=email.policy.default)
        defects = [type(d).__name__ for part in message.walk() for d in part.defects]
        body = message.get_body(preferencelist=('plain',))
        attachments = []
        for part in message.iter_attachments():
            data = part.get_content()
            if isinstance(data, str):
                data = data.encode('utf-8')
            attachments.append({'filename': part.get_filename(), 'contentType': part.get_content_type(),
                                'sha256': hashlib.sha256(data).hexdigest(), 'size': len(data)})
        result = {'subject': str(message['Subject']), 'from': str(message['From']), 'to': str(message['To']),
                  'cc': None if message['Cc'] is None else str(message['Cc']),
                  'replyTo': None if message['Reply-To'] is None else str(message['Reply-To']),
                  'messageID': str(message['Message-ID']), 'date': str(message['Date']),
                  'body': body.get_content(), 'attachments': attachments,
                  'envelopeRecipients': None if message['X-RcptTo'] is None else str(message['X-RcptTo']),
                  'defects': defects}
        with open(sys.argv[2], 'w', encoding='utf-8') as f:
            json.dump(result, f)
        """

    static func parse(file: String) throws -> ParsedMail {
        let base = (try? TestCluster.workFolder) ?? NSTemporaryDirectory()
        let scriptPath = base + "/parse-mail-\(UUID().uuidString.prefix(8)).py"
        let outputPath = scriptPath + ".json"
        defer {
            try? FileManager.default.removeItem(atPath: scriptPath)
            try? FileManager.default.removeItem(atPath: outputPath)
        }
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let status = system("/usr/bin/python3 '\(scriptPath)' '\(file)' '\(outputPath)' >'\(outputPath).log' 2>&1 </dev/null")
        guard status == 0, let data = FileManager.default.contents(atPath: outputPath) else {
            let log = (try? String(contentsOfFile: outputPath + ".log", encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: outputPath + ".log")
            throw TestSetupError("python could not parse \(file): \(log)")
        }
        try? FileManager.default.removeItem(atPath: outputPath + ".log")
        return try JSONDecoder().decode(ParsedMail.self, from: data)
    }

    static func parse(bytes: [UInt8]) throws -> ParsedMail {
        let base = (try? TestCluster.workFolder) ?? NSTemporaryDirectory()
        let path = base + "/mail-\(UUID().uuidString.prefix(8)).eml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return try parse(file: path)
    }
}

/// SHA-256 hex of `bytes` through `sha256sum`, to compare with Python's.
func sha256Hex(_ bytes: [UInt8]) throws -> String {
    let base = (try? TestCluster.workFolder) ?? NSTemporaryDirectory()
    let path = base + "/hash-\(UUID().uuidString.prefix(8))"
    defer {
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: path + ".out")
    }
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    guard system("sha256sum '\(path)' >'\(path).out' </dev/null") == 0,
          let output = try? String(contentsOfFile: path + ".out", encoding: .utf8) else {
        throw TestSetupError("sha256sum failed")
    }
    return String(output.prefix(64))
}
