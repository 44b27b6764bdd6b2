/// Something a person asks to do with a case. Saving answers is not a
/// command: it never changes the state (see `CaseWorkflow.authorizeEditing`).
public enum CaseCommand: Sendable, Hashable {
    /// The editor declares the form complete. `findings` are the engine's
    /// findings for the current answers; `acknowledgements` maps a warning's
    /// `WarningKey` to the editor's comment on why the figure stands.
    case markReady(findings: [Finding], acknowledgements: [WarningKey: String])
    /// The editor takes a ready case back before anyone has signed.
    case recall
    /// A signatory signs. `reauthenticated` says the signer proved who they
    /// are again just now (password), not only by an old session.
    case sign(reauthenticated: Bool)
    /// A signatory or the secretary sends the case back to the editor with a
    /// comment; every signature is voided.
    case returnToDraft(comment: String)
    /// The secretary registers the case in the nämnd's diarium.
    case register(diarienummer: Diarienummer)
    /// The secretary records the nämnd's decision.
    case decide(NamndDecision)
    /// The secretary sends (expedierar) the signed form to the authority,
    /// with the decision when there is one.
    case send
    /// The secretary sends the decision after the form (the Botkyrka order).
    case sendDecision
    /// The secretary records the authority's receipt and its diarienummer.
    case receive(authorityDiarienummer: Diarienummer)
    /// The secretary records the authority's decision on an application,
    /// which gives the report-back round its values.
    case recordGrant(AuthorityGrant)

    /// The commands without their inputs: what a person may ask for,
    /// by the stable names of the audit trail, the pages and the API.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case markReady = "mark_ready"
        case recall
        case sign
        case returnToDraft = "return"
        case register
        case decide
        case send
        case sendDecision = "send_decision"
        case receive
        case recordGrant = "record_grant"
    }

    public var kind: Kind {
        switch self {
        case .markReady: .markReady
        case .recall: .recall
        case .sign: .sign
        case .returnToDraft: .returnToDraft
        case .register: .register
        case .decide: .decide
        case .send: .send
        case .sendDecision: .sendDecision
        case .receive: .receive
        case .recordGrant: .recordGrant
        }
    }

    /// The stable name used in the audit trail.
    public var eventKind: String { kind.rawValue }
}

/// Identifies one warning of one field, e.g. `utbildning-saknas@personliga_ombud.utbildning`.
public struct WarningKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public let code: String
    public let path: String

    public init(code: String, path: String) {
        self.code = code
        self.path = path
    }

    public init(_ finding: Finding) {
        self.init(code: finding.code, path: finding.path)
    }

    /// `code@path`, the form used in JSON and HTML forms.
    public var description: String { "\(code)@\(path)" }

    public init?(_ text: String) {
        // By scalar: an "@" followed by a combining mark or a modifier
        // (U+1F3FB) is one Character with it, and would not be found.
        let scalars = text.unicodeScalars
        guard let at = scalars.firstIndex(of: "@") else { return nil }
        let code = String(scalars[..<at])
        let path = String(scalars[scalars.index(after: at)...])
        guard !code.isEmpty, !path.isEmpty else { return nil }
        self.init(code: code, path: path)
    }
}
