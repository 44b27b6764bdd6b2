import Foundation
import NIOPosix

/// Without an SMTP server (`SMTP_URL` unset): writes each message as
/// `<Message-ID>.eml` into a folder and reports it delivered. A repeated send
/// of the same message overwrites its file with the same bytes.
///
/// Files are written on `NIOThreadPool.singleton`, to a temporary name first
/// and then renamed, so a reader never sees half a message.
public struct FolderTransport: MailTransport {
    /// Where the `.eml` files go; created when missing.
    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    /// `BLANKETT_MAIL_FOLDER`, else `.local/mail` under `root`.
    public init(environment: [String: String], root: String) {
        if let folder = environment["BLANKETT_MAIL_FOLDER"], !folder.isEmpty {
            self.init(folder: folder)
        } else {
            self.init(folder: (root.isEmpty ? "." : root) + "/.local/mail")
        }
    }

    /// The file a message with `messageID` is written to.
    public func path(for messageID: MessageID) -> String {
        folder + "/" + messageID.fileName + ".eml"
    }

    public func send(_ envelope: MailEnvelope) async throws(MailDeliveryError) -> MailDeliveryReceipt {
        let folder = self.folder
        let path = self.path(for: envelope.messageID)
        do {
            try await NIOThreadPool.singleton.runIfActive {
                let manager = FileManager.default
                try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
                let temporary = folder + "/.writing-" + UUID().uuidString
                guard manager.createFile(atPath: temporary, contents: Data(envelope.bytes)) else {
                    throw CocoaError(.fileWriteUnknown)
                }
                if rename(temporary, path) != 0 {
                    let error = errno
                    try? manager.removeItem(atPath: temporary)
                    throw POSIXError(POSIXErrorCode(rawValue: error) ?? .EIO)
                }
            }
        } catch {
            throw MailDeliveryError(kind: .temporary, message: "could not write \(path): \(error)")
        }
        return MailDeliveryReceipt(replyCode: nil, reply: "written to \(path)")
    }
}
