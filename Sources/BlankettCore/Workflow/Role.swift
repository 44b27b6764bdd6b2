/// What a person may do in one organisation; a person may hold several roles.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Fills in the form (handläggare, verksamhetsutvecklare, enhetschef).
    case editor
    /// Signs for the municipality (behörig företrädare).
    case signatory
    /// Registers, records the nämnd's decision, sends and tracks (nämndsekreterare).
    case secretary
    /// Organisations, users, roles, recipients and rounds.
    case admin

    public var swedishName: String {
        switch self {
        case .editor: "handläggare"
        case .signatory: "behörig företrädare"
        case .secretary: "nämndsekreterare"
        case .admin: "administratör"
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
