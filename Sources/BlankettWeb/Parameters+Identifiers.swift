import BlankettCore
import Hummingbird

extension Parameters {
    /// The id in the route, read once: a malformed id is the same 404 as an
    /// unknown one (`what` names it in the Swedish message).
    func id<ID: EntityID>(_ name: String, as type: ID.Type, what: String = "Ärendet") throws -> ID {
        guard let text = get(name), let id = ID(text) else {
            var error = CaseError.notFound(what)
            error.parameter = name
            throw error
        }
        return id
    }
}
