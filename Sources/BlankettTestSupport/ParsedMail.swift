import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A received message as Python's `email` package reads it: an independent
/// MIME parser checks what Blankett wrote.
public struct ParsedMail: Decodable, Sendable {
    public struct Attachment: Decodable, Sendable {
        public let filename: String?
        public let contentType: String
        public let sha256: String
        public let size: Int
        /// The bytes as Python decoded them, in a file of the test's work folder.
        public let path: String

        /// The decoded bytes, e.g. a PDF to read back with poppler.
        public func bytes() throws -> [UInt8] {
            guard let data = FileManager.default.contents(atPath: path) else { throw TestSetupError("attachment file \(path) is missing") }
            return [UInt8](data)
        }
    }

    public let subject: String
    public let from: String
    public let to: String
    public let cc: String?
    public let replyTo: String?
    public let messageID: String
    public let date: String
    public let body: String
    public let attachments: [Attachment]
    /// Headers aiosmtpd adds: the envelope it saw.
    public let envelopeRecipients: String?
    public let defects: [String]

    static let script = """
        import email, email.policy, hashlib, json, os, sys
        with open(sys.argv[1], 'rb') as f:
            message = email.message_from_binary_file(f, policy=email.policy.default)
        defects = [type(d).__name__ for part in message.walk() for d in part.defects]
        body = message.get_body(preferencelist=('plain',))
        attachments = []
        for index, part in enumerate(message.iter_attachments()):
            data = part.get_content()
            if isinstance(data, str):
                data = data.encode('utf-8')
            path = os.path.join(sys.argv[3], '%d.bin' % index)
            with open(path, 'wb') as f:
                f.write(data)
            attachments.append({'filename': part.get_filename(), 'contentType': part.get_content_type(),
                                'sha256': hashlib.sha256(data).hexdigest(), 'size': len(data), 'path': path})
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

    public static func parse(file: String) throws -> ParsedMail {
        let base = (try? TestCluster.workFolder) ?? NSTemporaryDirectory()
        let scriptPath = base + "/parse-mail-\(UUID().uuidString.prefix(8)).py"
        let outputPath = scriptPath + ".json"
        defer {
            try? FileManager.default.removeItem(atPath: scriptPath)
            try? FileManager.default.removeItem(atPath: outputPath)
        }
        // Attachments stay in the work folder (scripts/test removes it) for the caller to read.
        let attachmentFolder = scriptPath + ".attachments"
        try FileManager.default.createDirectory(atPath: attachmentFolder, withIntermediateDirectories: true)
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let status = system("/usr/bin/python3 '\(scriptPath)' '\(file)' '\(outputPath)' '\(attachmentFolder)' >'\(outputPath).log' 2>&1 </dev/null")
        guard status == 0, let data = FileManager.default.contents(atPath: outputPath) else {
            let log = (try? String(contentsOfFile: outputPath + ".log", encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: outputPath + ".log")
            throw TestSetupError("python could not parse \(file): \(log)")
        }
        try? FileManager.default.removeItem(atPath: outputPath + ".log")
        return try JSONDecoder().decode(ParsedMail.self, from: data)
    }

    public static func parse(bytes: [UInt8]) throws -> ParsedMail {
        let base = (try? TestCluster.workFolder) ?? NSTemporaryDirectory()
        let path = base + "/mail-\(UUID().uuidString.prefix(8)).eml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return try parse(file: path)
    }
}

/// SHA-256 hex of `bytes` through `sha256sum`, to compare with Python's.
public func sha256Hex(_ bytes: [UInt8]) throws -> String {
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
