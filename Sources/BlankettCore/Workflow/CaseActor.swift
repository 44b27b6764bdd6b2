/// The person asking for a transition, with the roles they hold in the
/// case's organisation (not in any other).
public struct CaseActor: Sendable, Hashable {
    public let userID: PersonID
    public let name: String
    public let roles: Set<Role>

    public init(userID: PersonID, name: String, roles: Set<Role>) {
        self.userID = userID
        self.name = name
        self.roles = roles
    }
}
