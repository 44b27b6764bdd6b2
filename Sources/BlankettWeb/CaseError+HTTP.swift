import BlankettCore
import Hummingbird

extension CaseError {
    /// The HTTP status of a refusal, the same for the pages and the API:
    /// who may not (or did not prove it again) gets 403, what does not exist
    /// 404, what is wrong in the request itself 422, what the case's state,
    /// its answers or someone else's change stands in the way of 409.
    var status: HTTPResponse.Status {
        switch code {
        case .notFound: .notFound
        case .conflict, .duplicate, .formUnavailable: .conflict
        case .invalidInput: .unprocessableContent
        case .workflow:
            switch workflowCode {
            // The signer's password, asked again, was not given or not right.
            case .roleRequired, .reauthenticationRequired, nil: .forbidden
            // What the request itself gets wrong.
            case .commentRequired, .wrongDiarienummer: .unprocessableContent
            // Errors and unacknowledged warnings are in the stored answers, the
            // case's own state, as a conflict is: the answers must change, not the request.
            default: .conflict
            }
        }
    }
}
