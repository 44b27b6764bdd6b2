import Foundation
import BlankettCore
import BlankettPostgres

/// The transitions a person can ask for, as the pages and the JSON API both
/// offer and perform them: one list, one way to read the inputs.
enum CaseTransition: String, CaseIterable, Sendable {
    case markReady = "mark_ready"
    case recall
    case sign
    case returnToDraft = "return"
    case register
    case decide
    case send
    case sendDecision = "send_decision"
    case receive

    /// What a transition may need besides the case, by the names the HTML
    /// forms and the API's JSON bodies use.
    struct Inputs: Sendable {
        var comment: String?
        var password: String?
        /// The nämnd's diarienummer; empty or nil: the next number of the nämnd's series.
        var diarienummer: String?
        var meetingDate: String?
        var paragraph: String?
        var text: String?
        var outcome: String?
        var authorityDiarienummer: String?
        var acknowledgements: [WarningKey: String] = [:]
    }

    /// The inputs each transition reads; the API documents and checks them.
    var inputNames: [String] {
        switch self {
        case .markReady: ["acknowledgements"]
        case .recall, .send, .sendDecision: []
        case .sign: ["password"]
        case .returnToDraft: ["comment"]
        case .register: ["diarienummer"]
        case .decide: ["meeting_date", "paragraph", "text", "outcome"]
        case .receive: ["authority_diarienummer"]
        }
    }

    var title: String {
        switch self {
        case .markReady: "Skicka till underskrift"
        case .recall: "Ta tillbaka"
        case .sign: "Skriv under"
        case .returnToDraft: "Skicka tillbaka"
        case .register: "Registrera"
        case .decide: "Registrera nämndens beslut"
        case .send: "Skicka till myndigheten"
        case .sendDecision: "Skicka beslutet"
        case .receive: "Registrera mottagning"
        }
    }

    var button: String {
        switch self {
        case .decide: "Registrera beslut"
        case .send: "Skicka"
        case .receive: "Registrera"
        default: title
        }
    }

    func explanation(for record: CaseRecord) -> String {
        switch self {
        case .markReady: "Blanketten låses för ändringar och behörig företrädare kan skriva under."
        case .recall: "Blanketten blir ett utkast igen så att du kan ändra den."
        case .sign: "Din underskrift binder kommunen. Innehållet fryses; en senare ändring gör underskriften ogiltig."
        case .returnToDraft: "Blanketten går tillbaka till handläggaren och underskrifterna upphör att gälla."
        case .register: "Ge ärendet nämndens diarienummer."
        case .decide: "Sammanträdesdatum, paragraf och beslut."
        case .send: "Blanketten skickas med e-post till \(record.authorityName) (\(record.authorityEmail))."
        case .sendDecision: "Nämndens beslut skickas till \(record.authorityName) som komplettering."
        case .receive: "Myndighetens diarienummer från kvittensen."
        }
    }

    /// What the person confirms by ticking the box before the button, for
    /// the transitions that take no password or comment (those are their own
    /// confirmation). Pages only: a program calling the API has decided already.
    func confirmation(for record: CaseRecord) -> String? {
        switch self {
        case .markReady: "blanketten är färdig och kan skrivas under"
        case .recall: "ta tillbaka blanketten till utkast"
        case .sign, .returnToDraft: nil
        case .register: "registrera ärendet i nämndens diarium"
        case .decide: "registrera nämndens beslut"
        case .send: "skicka blanketten till \(record.authorityName) nu"
        case .sendDecision: "skicka beslutet till \(record.authorityName) nu"
        case .receive: "\(record.authorityName) har tagit emot blanketten"
        }
    }

    /// A stand-in command for asking the workflow whether the transition is
    /// open at all; the real inputs are checked when it is performed.
    private func representative(for record: CaseRecord) -> CaseCommand {
        switch self {
        case .markReady: .markReady(findings: [], acknowledgements: [:])
        case .recall: .recall
        case .sign: .sign(reauthenticated: true)
        case .returnToDraft: .returnToDraft(comment: "x")
        case .register: .register(diarienummer: Self.sampleNamndDiarienummer)
        case .decide: .decide(NamndDecision(meetingDate: record.periodEnd, paragraph: "§", text: "x", outcome: .approved))
        case .send: .send
        case .sendDecision: .sendDecision
        case .receive: .receive(authorityDiarienummer: Self.sampleAuthorityDiarienummer)
        }
    }

    private static let sampleNamndDiarienummer = try! Diarienummer.parse("SN 2000:1").get()
    private static let sampleAuthorityDiarienummer = try! Diarienummer.parse("821-1-2000").get()

    /// The transitions open to this person now. Refusals that only an input
    /// can cure (an unacknowledged warning, a missing comment) keep the
    /// transition offered, so the person learns what is missing.
    static func offered(for record: CaseRecord, actor: CaseActor) -> [CaseTransition] {
        let closed: Set<WorkflowError.Code> = [.roleRequired, .illegalTransition, .alreadySigned, .noDecision, .decisionAlreadySent, .alreadyDecided, .wrongDiarienummer]
        return allCases.filter { transition in
            if case .failure(let error) = record.workflow.apply(transition.representative(for: record), by: actor), closed.contains(error.code) { return false }
            return true
        }
    }

    /// Performs the transition through the repository, which checks the
    /// workflow again inside its transaction.
    func perform(on caseID: String, inputs: Inputs, by userID: String, year: Int, cases: CaseRepository) async throws -> CaseRecord {
        switch self {
        case .markReady: return try await cases.markReady(caseID, acknowledgements: inputs.acknowledgements, by: userID)
        case .recall: return try await cases.recall(caseID, by: userID)
        case .sign: return try await cases.sign(caseID, password: inputs.password ?? "", by: userID)
        case .returnToDraft: return try await cases.returnToDraft(caseID, comment: inputs.comment ?? "", by: userID)
        case .register:
            let typed = (inputs.diarienummer ?? "").trimmingCharacters(in: .whitespaces)
            return try await cases.register(caseID, diarienummer: typed.isEmpty ? nil : typed, year: year, by: userID)
        case .decide:
            guard let date = inputs.meetingDate.flatMap({ LocalDate(iso: $0.trimmingCharacters(in: .whitespaces)) }) else {
                throw CaseError(.invalidInput, "Ange sammanträdesdatum som ÅÅÅÅ-MM-DD.")
            }
            guard let outcome = NamndDecision.Outcome(rawValue: inputs.outcome ?? NamndDecision.Outcome.approved.rawValue) else {
                throw CaseError(.invalidInput, "Beslutet ska vara approved (godkänt) eller rejected (återremitterat).")
            }
            let decision = NamndDecision(meetingDate: date, paragraph: inputs.paragraph ?? "", text: inputs.text ?? "", outcome: outcome)
            return try await cases.decide(caseID, decision, by: userID)
        case .send: return try await cases.send(caseID, by: userID)
        case .sendDecision: return try await cases.sendDecision(caseID, by: userID)
        case .receive: return try await cases.receive(caseID, authorityDiarienummer: inputs.authorityDiarienummer ?? "", by: userID)
        }
    }
}
