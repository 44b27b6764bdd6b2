import CCurl
import Logging
import NIOPosix
import Synchronization

/// Sends rendered messages over SMTP with libcurl.
///
/// Every libcurl call runs on the transport's own `NIOThreadPool` (one thread
/// per concurrent send), never on Swift's cooperative pool. Each send borrows
/// an easy handle and gives it back, so a handle — and its open SMTP
/// connection — is reused from message to message; there are at most
/// `concurrency` handles. Call `shutdown()` when done.
public final class SMTPTransport: MailTransport {
    public let configuration: SMTPConfiguration
    /// Most messages sent at once: threads and easy handles. Default 2.
    public let concurrency: Int
    private let threadPool: NIOThreadPool
    private let idleHandles = Mutex<[CurlSMTPHandle]>([])
    private let logger: Logger

    public init(configuration: SMTPConfiguration, concurrency: Int = 2, logger: Logger = Logger(label: "blankett.mail.smtp")) {
        Self.initializeCurlOnce()
        self.configuration = configuration
        self.concurrency = max(1, concurrency)
        self.logger = logger
        threadPool = NIOThreadPool(numberOfThreads: self.concurrency)
        threadPool.start()
        logger.debug("SMTP transport ready", metadata: ["server": "\(configuration)"])
    }

    public func send(_ envelope: MailEnvelope) async throws(MailDeliveryError) -> MailDeliveryReceipt {
        guard !envelope.recipients.isEmpty else {
            throw MailDeliveryError(kind: .permanent, message: "the message has no recipients")
        }
        let result: Result<MailDeliveryReceipt, MailDeliveryError>
        do {
            result = try await threadPool.runIfActive { [self] in
                let handle: CurlSMTPHandle
                if let idle = idleHandles.withLock({ $0.popLast() }) {
                    handle = idle
                } else {
                    do throws(MailDeliveryError) {
                        handle = try CurlSMTPHandle(configuration: configuration)
                    } catch {
                        return .failure(error)
                    }
                }
                let result = handle.send(envelope)
                idleHandles.withLock { $0.append(handle) }
                return result
            }
        } catch {
            throw MailDeliveryError(kind: .temporary, message: "the SMTP transport is shut down or the send was cancelled")
        }
        return try result.get()
    }

    /// Closes the handles (QUIT on their connections) and stops the threads.
    public func shutdown() async {
        // The box holds the only references, so the handles' cleanup runs on a pool thread.
        let box = HandleBox(idleHandles.withLock { handles in
            defer { handles = [] }
            return handles
        })
        _ = try? await threadPool.runIfActive { box.release() }
        try? await threadPool.shutdownGracefully()
    }

    /// `curl_global_init`, once per process. Call it at start-up, before
    /// other threads run (libcurl asks for that); the transport calls it too,
    /// as a fallback.
    public static func initializeCurlOnce() {
        _ = curlInitialized
    }

    private static let curlInitialized: Bool = {
        curl_global_init(blankett_curl_global_default()) == CURLE_OK
    }()
}

/// Moves the last references to handles onto a pool thread, where their
/// cleanup (which may send QUIT and wait) is allowed to block.
private final class HandleBox: @unchecked Sendable {
    private var handles: [CurlSMTPHandle]
    init(_ handles: [CurlSMTPHandle]) { self.handles = handles }
    func release() { handles.removeAll() }
}
