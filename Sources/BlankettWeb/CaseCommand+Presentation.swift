import Foundation
import BlankettCore
import BlankettPostgres

/// How the pages and the JSON API present the commands a person can ask
/// for (the "transitions"): one list, one way to name their inputs. Which
/// are open is the workflow's answer (`CaseWorkflow.availableCommands`).
extension CaseCommand.Kind {
    /// The inputs each transition reads; the API documents and checks them.
    var inputNames: [String] {
        switch self {
        case .markReady: ["acknowledgements"]
        case .recall, .sendDecision: []
        case .send: ["eservice_reference"]
        case .sign: ["password"]
        case .returnToDraft: ["comment"]
        case .register: ["diarienummer"]
        case .decide: ["meeting_date", "paragraph", "text", "outcome"]
        case .receive: ["authority_diarienummer"]
        case .recordGrant: ["authority_diarienummer", "decision_date", "values"]
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
        case .recordGrant: "Registrera myndighetens beslut"
        }
    }

    var button: String {
        switch self {
        case .decide: "Registrera beslut"
        case .send: "Skicka"
        case .receive: "Registrera"
        case .recordGrant: "Registrera beslutet"
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
        case .send: "Blanketten skickas med e-post till \(record.authorityName) (\(record.authorityEmail))." + (record.authorityEService.map { " Skicka först in den i \($0) och ange referensen du fick där." } ?? "")
        case .sendDecision: "Nämndens beslut skickas till \(record.authorityName) som komplettering."
        case .receive: "Myndighetens diarienummer från kvittensen."
        case .recordGrant: "Det som \(record.authorityName) beviljat blir omgångens värden för redovisningen, som då fylls i av sig själv."
        }
    }

    /// Whether the page asks for a ticked box before performing it.
    var needsConfirmation: Bool { self != .sign && self != .returnToDraft }

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
        case .recordGrant: "registrera \(record.authorityName)s beslut"
        }
    }
}
