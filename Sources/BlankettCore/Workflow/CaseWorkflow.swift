/// The workflow facts of one case, as a value: its state and what the guards
/// of its transitions need to know. `apply(_:by:)` decides a transition and
/// returns the next value with the actions that complete it; the repository
/// performs them and records the event in one transaction. Nothing here does
/// I/O, so every transition × role is tested without a database.
public struct CaseWorkflow: Sendable, Hashable {
    public var state: CaseState
    /// How many sequential signatures the round asks for (1, or 2 for chef then chair).
    public var requiredSignatures: Int
    /// The user ids of the valid signatures, in signing order.
    public var signers: [PersonID]
    public var namndDiarienummer: Diarienummer?
    public var decision: NamndDecision?
    /// The form has been sent to the authority.
    public var formSent: Bool
    /// The decision has been sent to the authority (with the form or after it).
    public var decisionSent: Bool
    public var authorityDiarienummer: Diarienummer?
    /// The case is an application whose form says what the authority's
    /// decision grants and whose round names the report-back round.
    public var feedsReportBack: Bool

    public init(
        state: CaseState = .draft,
        requiredSignatures: Int = 1,
        signers: [PersonID] = [],
        namndDiarienummer: Diarienummer? = nil,
        decision: NamndDecision? = nil,
        formSent: Bool = false,
        decisionSent: Bool = false,
        authorityDiarienummer: Diarienummer? = nil,
        feedsReportBack: Bool = false
    ) {
        self.feedsReportBack = feedsReportBack
        self.state = state
        self.requiredSignatures = max(1, requiredSignatures)
        self.signers = signers
        self.namndDiarienummer = namndDiarienummer
        self.decision = decision
        self.formSent = formSent
        self.decisionSent = decisionSent
        self.authorityDiarienummer = authorityDiarienummer
    }

    public struct Transition: Sendable, Hashable {
        public let from: CaseState
        public let workflow: CaseWorkflow
        public let actions: [WorkflowAction]
        public var to: CaseState { workflow.state }
    }

    /// Who may save answers now: an editor, and only in draft.
    public func authorizeEditing(by actor: CaseActor) -> Result<Void, WorkflowError> {
        guard actor.roles.contains(.editor) else { return .failure(Self.roleRequired([.editor])) }
        guard state == .draft else {
            return .failure(WorkflowError(.answersLocked, "Svaren kan bara ändras i ett utkast. Ärendet är nu \(state.swedishName.lowercased())."))
        }
        return .success(())
    }

    /// The roles that may ask for a command (in any state).
    public static func roles(for kind: CaseCommand.Kind) -> Set<Role> {
        switch kind {
        case .markReady, .recall: [.editor]
        case .sign: [.signatory]
        case .returnToDraft: [.signatory, .secretary]
        case .register, .decide, .send, .sendDecision, .receive, .recordGrant: [.secretary]
        }
    }

    /// Whether `actor` may ask for a command of this kind now, whatever its
    /// inputs: role first, then state, then what the case's own facts forbid.
    /// The pages and the API offer exactly the kinds that pass; a refusal that
    /// only an input can cure (a comment, a password) comes from `apply`.
    public func availability(of kind: CaseCommand.Kind, by actor: CaseActor) -> Result<Void, WorkflowError> {
        let allowed = Self.roles(for: kind)
        guard !allowed.isDisjoint(with: actor.roles) else { return .failure(Self.roleRequired(allowed)) }
        let states: Set<CaseState> = switch kind {
        case .markReady: [.draft]
        case .recall: [.ready]
        case .sign: [.ready, .partlySigned]
        case .returnToDraft: [.ready, .partlySigned, .signed, .registered]
        case .register: [.signed]
        case .decide: [.registered, .sent, .received]
        case .send: [.registered, .decided]
        case .sendDecision: [.sent, .received]
        case .receive: [.sent]
        case .recordGrant: [.sent, .received]
        }
        guard states.contains(state) else {
            return .failure(WorkflowError(.illegalTransition, "Det går inte att \(Self.verb(kind)) ett ärende som är \(state.swedishName.lowercased())."))
        }
        switch kind {
        case .sign where signers.contains(actor.userID):
            return .failure(WorkflowError(.alreadySigned, "Du har redan skrivit under. Den andra underskriften ska ges av en annan behörig företrädare."))
        case .decide where decision != nil:
            return .failure(WorkflowError(.alreadyDecided, "Nämndens beslut är redan registrerat."))
        case .sendDecision where decision == nil:
            return .failure(WorkflowError(.noDecision, "Nämnden har inte fattat något beslut ännu."))
        case .recordGrant where !feedsReportBack:
            return .failure(WorkflowError(.noReportBack, "Myndighetens beslut registreras bara på en ansökan vars omgång har en redovisning att förifylla."))
        case .sendDecision where decisionSent:
            return .failure(WorkflowError(.decisionAlreadySent, "Beslutet är redan skickat till myndigheten."))
        default:
            return .success(())
        }
    }

    /// The kinds of command `actor` may ask for now, in workflow order.
    public func availableCommands(for actor: CaseActor) -> [CaseCommand.Kind] {
        CaseCommand.Kind.allCases.filter { (try? availability(of: $0, by: actor).get()) != nil }
    }

    /// Decides `command` by `actor`: the next workflow and the actions that
    /// complete it, or why it is refused. Role first, then state, then guards,
    /// so the refusal names the first thing the person can do something about.
    public func apply(_ command: CaseCommand, by actor: CaseActor) -> Result<Transition, WorkflowError> {
        if case .failure(let refusal) = availability(of: command.kind, by: actor) { return .failure(refusal) }
        var next = self
        var actions: [WorkflowAction] = []

        switch command {
        case .markReady(let findings, let acknowledgements):
            let errors = findings.errors
            if !errors.isEmpty {
                return .failure(WorkflowError(.validationErrors, "Blanketten har \(errors.count) fel som måste rättas innan den kan skickas till underskrift."))
            }
            let unacknowledged = findings.warnings.filter {
                (acknowledgements[WarningKey($0)] ?? "").allSatisfy(\.isWhitespace)
            }
            if let first = unacknowledged.first {
                return .failure(WorkflowError(.warningNotAcknowledged, "Varningen \"\(first.message)\" (\(first.path)) måste kommenteras innan blanketten är klar\(unacknowledged.count > 1 ? ", liksom \(unacknowledged.count - 1) till" : "")."))
            }
            next.state = .ready

        case .recall:
            next.state = .draft

        case .sign(let reauthenticated):
            guard reauthenticated else {
                return .failure(WorkflowError(.reauthenticationRequired, "Ange ditt lösenord igen för att skriva under."))
            }
            next.signers.append(actor.userID)
            next.state = next.signers.count >= requiredSignatures ? .signed : .partlySigned
            actions.append(.recordSignature(sequence: next.signers.count))

        case .returnToDraft(let comment):
            guard !comment.allSatisfy(\.isWhitespace) else {
                return .failure(WorkflowError(.commentRequired, "Skriv en kommentar om varför blanketten skickas tillbaka."))
            }
            next.returnToDraft(voiding: &actions)
            actions.append(.notifyReturned(comment: comment, voidedSignatures: signers.count))

        case .register(let diarienummer):
            guard diarienummer.dialect == .namnd else {
                return .failure(WorkflowError(.wrongDiarienummer, "\(diarienummer) är inte ett diarienummer i nämndens diarium (till exempel SN 2021:1)."))
            }
            next.namndDiarienummer = diarienummer
            next.state = .registered
            actions.append(.storeNamndDiarienummer(diarienummer))

        case .decide(let decision):
            if decision.outcome == .rejected {
                guard state == .registered else {
                    return .failure(WorkflowError(.illegalTransition, "Blanketten är redan skickad till myndigheten. Ett avslag måste meddelas myndigheten som ett beslut."))
                }
                actions.append(.storeDecision(decision))
                next.returnToDraft(voiding: &actions)
                next.decision = nil
                // The editors hear of an återremiss as of any return: the decision is the comment.
                actions.append(.notifyReturned(comment: "Nämndens beslut \(decision.meetingDate) \(decision.paragraph): \(decision.text)", voidedSignatures: signers.count))
            } else {
                next.decision = decision
                actions.append(.storeDecision(decision))
                if state == .registered { next.state = .decided }
            }

        case .send:
            next.formSent = true
            next.state = .sent
            if state == .decided {
                next.decisionSent = true
                actions.append(.dispatch(.formWithDecision))
            } else {
                actions.append(.dispatch(.formBeforeDecision))
            }

        case .sendDecision:
            next.decisionSent = true
            actions.append(.dispatch(.decisionFollowUp))

        case .receive(let number):
            guard number.dialect != .namnd else {
                return .failure(WorkflowError(.wrongDiarienummer, "\(number) ser ut som nämndens eget diarienummer. Ange myndighetens, till exempel 821-12345-2020 eller 16570/2020."))
            }
            next.authorityDiarienummer = number
            next.state = .received
            actions.append(.storeAuthorityDiarienummer(number))

        case .recordGrant(let grant):
            guard grant.diarienummer.dialect != .namnd else {
                return .failure(WorkflowError(.wrongDiarienummer, "\(grant.diarienummer) ser ut som nämndens eget diarienummer. Ange myndighetens, till exempel 821-12345-2020 eller 16570/2020."))
            }
            // A decision can be recorded again to correct it; each is its own event.
            actions.append(.storeAuthorityGrant(grant))
        }
        return .success(Transition(from: state, workflow: next, actions: actions))
    }

    private mutating func returnToDraft(voiding actions: inout [WorkflowAction]) {
        if !signers.isEmpty { actions.append(.voidSignatures) }
        signers = []
        state = .draft
    }

    private static func roleRequired(_ roles: Set<Role>) -> WorkflowError {
        let names = roles.sorted().map(\.swedishName)
        return WorkflowError(.roleRequired, "Det här får bara en \(names.joined(separator: " eller en ")) göra.")
    }

    private static func verb(_ kind: CaseCommand.Kind) -> String {
        switch kind {
        case .markReady: "markera som klart"
        case .recall: "ta tillbaka"
        case .sign: "skriva under"
        case .returnToDraft: "skicka tillbaka"
        case .register: "registrera"
        case .decide: "registrera beslut för"
        case .send: "skicka"
        case .sendDecision: "skicka beslutet för"
        case .receive: "registrera mottagning av"
        case .recordGrant: "registrera myndighetens beslut för"
        }
    }
}
