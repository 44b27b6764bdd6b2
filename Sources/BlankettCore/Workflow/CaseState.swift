/// Where a case is on its way from the editor's first draft to the authority.
/// The order of the cases is the usual order of the life of a case.
public enum CaseState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Being filled in; the only state in which answers can change.
    case draft
    /// No validation errors, every warning acknowledged; waiting for the signatory.
    case ready
    /// The first of two required signatures is given (e.g. the chef's, before the chair's).
    case partlySigned = "partly_signed"
    /// Every required signature given; the content is frozen.
    case signed
    /// The nämnd's secretary has given it a diarienummer (`SN 2021:1`).
    case registered
    /// The nämnd has approved it (meeting date, §, beslut text).
    case decided
    /// Expedierad: emailed to the authority.
    case sent
    /// The authority has confirmed it with its own diarienummer.
    case received

    /// What a chef or secretary reads in lists and on the case page.
    public var swedishName: String {
        switch self {
        case .draft: "Utkast"
        case .ready: "Klar för underskrift"
        case .partlySigned: "Delvis undertecknad"
        case .signed: "Undertecknad"
        case .registered: "Registrerad"
        case .decided: "Beslutad"
        case .sent: "Skickad"
        case .received: "Mottagen"
        }
    }

    /// Whether any signature of the case is still valid in this state.
    public var holdsSignatures: Bool { self != .draft && self != .ready }
}
