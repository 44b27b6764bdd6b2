import BlankettCore
import BlankettPostgres
import Hummingbird

/// An RFC 9457 problem: what went wrong, as `application/problem+json`.
/// `detail` is Swedish (it may be shown to the person); `code` is stable for
/// programs; `findings` carry the engine's findings when they are the reason.
struct APIProblem: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var detail: String
    var workflowCode: String?
    /// The query parameter or body member at fault.
    var parameter: String?
    var findings: [Finding] = []
    var changes: [AnswerChange] = []
    var currentVersion: Int?

    init(_ status: HTTPResponse.Status, _ code: String, _ detail: String, parameter: String? = nil) {
        self.status = status
        self.code = code
        self.detail = detail
        self.parameter = parameter
    }

    init(_ error: CaseError) {
        self.init(error.status, error.code.rawValue, error.message, parameter: error.parameter)
        workflowCode = error.workflowCode?.rawValue
        changes = error.changes
        currentVersion = error.currentVersion
    }

    var json: JSONValue {
        var object: JSONObject = [
            "type": .string("urn:blankett:problem:\(code)"),
            "title": .string(status.reasonPhrase),
            "status": JSONValue(Int(status.code)),
            "detail": .string(detail),
            "code": .string(code),
        ]
        if let workflowCode { object["workflowCode"] = .string(workflowCode) }
        if let parameter { object["parameter"] = .string(parameter) }
        if !findings.isEmpty { object["findings"] = .array(findings.map(APIRepresentation.finding)) }
        if !changes.isEmpty { object["changes"] = AnswerDiff.json(changes) }
        if let currentVersion { object["currentVersion"] = JSONValue(currentVersion) }
        return .object(object)
    }

    var response: Response {
        var headers: HTTPFields = [.contentType: "application/problem+json; charset=utf-8", .cacheControl: "no-store"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"blankett\"" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json.serialized())))
    }
}
