import BlankettCore
import Hummingbird

extension CaseError {
    /// The HTTP status of a refusal, the same for the pages and the API:
    /// who may not gets 403, what does not exist 404, what the person can
    /// correct 422, what the case's state or someone else's change stands in
    /// the way of 409.
    var status: HTTPResponse.Status {
        switch code {
        case .notFound: .notFound
        case .conflict, .duplicate, .formUnavailable: .conflict
        case .invalidInput: .unprocessableContent
        case .workflow:
            switch workflowCode {
            case .roleRequired, nil: .forbidden
            case .validationErrors, .warningNotAcknowledged, .reauthenticationRequired, .commentRequired, .wrongDiarienummer: .unprocessableContent
            default: .conflict
            }
        }
    }
}
