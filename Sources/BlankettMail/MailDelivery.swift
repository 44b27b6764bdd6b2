import Logging

/// Which transport the environment asks for: SMTP when `SMTP_URL` is set,
/// otherwise `.eml` files in a folder (`BLANKETT_MAIL_FOLDER`, default
/// `.local/mail` under the root).
public enum MailDelivery: Sendable, Hashable, CustomStringConvertible {
    case smtp(SMTPConfiguration)
    case folder(String)

    /// Throws `invalidConfiguration` when `SMTP_URL` is set but not usable.
    public init(environment: [String: String], root: String) throws(MailError) {
        if let smtp = try SMTPConfiguration(environment: environment) {
            self = .smtp(smtp)
        } else {
            self = .folder(FolderTransport(environment: environment, root: root).folder)
        }
    }

    public func makeTransport(concurrency: Int = 2, logger: Logger = Logger(label: "blankett.mail")) -> any MailTransport {
        switch self {
        case .smtp(let configuration): SMTPTransport(configuration: configuration, concurrency: concurrency, logger: logger)
        case .folder(let folder): FolderTransport(folder: folder)
        }
    }

    /// For logs: the SMTP URL without its password, or the folder.
    public var description: String {
        switch self {
        case .smtp(let configuration): "SMTP \(configuration)"
        case .folder(let folder): "folder \(folder)"
        }
    }
}
