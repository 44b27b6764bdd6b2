import BlankettCore
import BlankettMail
import CCurl
import NIOPosix

/// The few HTTPS requests an OpenID Connect relying party makes (discovery,
/// JWKS, the token endpoint), through libcurl, which Blankett already uses for
/// mail. Each request gets its own easy handle on `NIOThreadPool.singleton`:
/// libcurl blocks, and nothing blocking runs on an event loop or on Swift's
/// cooperative threads.
public struct CurlHTTPClient: Sendable {
    public struct Response: Sendable {
        public let status: Int
        public let body: [UInt8]
        /// Where a redirect points (it is never followed).
        public let location: String?
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The most a response may hold; a provider's documents are a few KB.
    public var maximumBodyBytes = 512 * 1024
    public var timeoutMilliseconds = 10_000
    /// A PEM file of the certificate authorities to trust instead of the
    /// system's (a kommun's internal CA in front of ADFS; the test provider's
    /// own certificate). Nil: the system's CA store.
    public var caFile: String?

    public init(caFile: String? = nil) {
        SMTPTransport.initializeCurlOnce()
        self.caFile = caFile
    }

    public func get(_ url: String) async throws -> Response {
        try await perform(url: url, form: nil, basicAuth: nil)
    }

    /// A form post (`application/x-www-form-urlencoded`), with HTTP Basic
    /// authentication when `basicAuth` is given (RFC 6749 §2.3.1).
    public func postForm(_ url: String, _ fields: [(String, String)], basicAuth: (user: String, password: String)? = nil) async throws -> Response {
        let body = fields.map { "\(Self.formEncoded($0.0))=\(Self.formEncoded($0.1))" }.joined(separator: "&")
        return try await perform(url: url, form: body, basicAuth: basicAuth)
    }

    /// Whether `url` may be asked at all: https only (OpenID Connect Core §16.17).
    public func permits(_ url: String) -> Bool {
        url.hasPrefix("https://")
    }

    private func perform(url: String, form: String?, basicAuth: (user: String, password: String)?) async throws -> Response {
        guard permits(url) else { throw Failure(message: "only https is allowed: \(url.prefix(200))") }
        let maximum = maximumBodyBytes, timeout = timeoutMilliseconds, caFile = caFile
        let user = basicAuth.map { Self.formEncoded($0.user) }, password = basicAuth.map { Self.formEncoded($0.password) }
        return try await NIOThreadPool.singleton.runIfActive {
            try Self.transfer(url: url, form: form, user: user, password: password, caFile: caFile, maximumBody: maximum, timeoutMilliseconds: timeout)
        }
    }

    private static func transfer(url: String, form: String?, user: String?, password: String?, caFile: String?,
                                 maximumBody: Int, timeoutMilliseconds: Int) throws -> Response {
        guard let handle = curl_easy_init() else { throw Failure(message: "libcurl could not create an easy handle") }
        defer { curl_easy_cleanup(handle) }
        let sink = BodySink(limit: maximumBody)
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var headers: UnsafeMutablePointer<curl_slist>?
        headers = curl_slist_append(headers, "Accept: application/json")
        defer { curl_slist_free_all(headers) }

        var failed: String?
        func set(_ name: String, _ result: CURLcode) {
            if result != CURLE_OK, failed == nil { failed = name }
        }
        set("URL", blankett_curl_setopt_string(handle, CURLOPT_URL, url))
        set("PROTOCOLS_STR", blankett_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "https"))
        if let caFile { set("CAINFO", blankett_curl_setopt_string(handle, CURLOPT_CAINFO, caFile)) }
        // A provider's endpoints answer directly; a redirect is not followed.
        set("FOLLOWLOCATION", blankett_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        set("NOSIGNAL", blankett_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        set("TIMEOUT_MS", blankett_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeoutMilliseconds))
        set("CONNECTTIMEOUT_MS", blankett_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, min(timeoutMilliseconds, 5_000)))
        set("ERRORBUFFER", blankett_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        set("HTTPHEADER", blankett_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers))
        set("WRITEFUNCTION", blankett_curl_setopt_write_callback(handle, CURLOPT_WRITEFUNCTION, collectBody))
        set("WRITEDATA", blankett_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque()))
        if let form {
            // COPYPOSTFIELDS: libcurl keeps its own copy of the body.
            set("COPYPOSTFIELDS", blankett_curl_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, form))
        }
        if let user, let password {
            // libcurl sends Basic authentication by default when a user name is set.
            set("USERNAME", blankett_curl_setopt_string(handle, CURLOPT_USERNAME, user))
            set("PASSWORD", blankett_curl_setopt_string(handle, CURLOPT_PASSWORD, password))
        }
        if let failed { throw Failure(message: "libcurl refused option \(failed)") }
        let result = curl_easy_perform(handle)
        if sink.overflowed { throw Failure(message: "the response is larger than \(maximumBody) bytes") }
        guard result == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            throw Failure(message: "request to \(url.prefix(200)) failed: \(detail.isEmpty ? String(cString: curl_easy_strerror(result)) : detail)")
        }
        var status = 0
        _ = blankett_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var location: UnsafeMutablePointer<CChar>?
        _ = blankett_curl_getinfo_string(handle, CURLINFO_REDIRECT_URL, &location)
        return Response(status: status, body: sink.bytes, location: location.map { String(cString: $0) })
    }

    /// `application/x-www-form-urlencoded` for one name or value (also what
    /// RFC 6749 §2.3.1 asks of a client id and secret in Basic authentication).
    static func formEncoded(_ text: String) -> String {
        Hex.percentEncoded(text).replacingOccurrences(of: "%20", with: "+")
    }
}

/// Where libcurl writes a response body, refusing more than `limit` bytes.
private final class BodySink {
    let limit: Int
    var bytes: [UInt8] = []
    var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }
}

private func collectBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userData: UnsafeMutableRawPointer?) -> Int {
    guard let data, let userData else { return 0 }
    let sink = Unmanaged<BodySink>.fromOpaque(userData).takeUnretainedValue()
    let length = size * count
    guard sink.bytes.count + length <= sink.limit else {
        sink.overflowed = true
        return 0 // libcurl stops the transfer with CURLE_WRITE_ERROR
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) { sink.bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: length)) }
    return length
}
