import BlankettCore
import BlankettPostgres
import BlankettTestSupport
@testable import BlankettWeb
import Hummingbird
import Testing

/// Every refusal of the case service and the status it gets, the same on
/// the pages (the Swedish error page) and in the API (problem+json).
@Suite struct ErrorStatusTests {
    static let table: [(CaseError, HTTPResponse.Status)] = [
        (CaseError.notFound(), .notFound),
        (CaseError(.conflict, "x"), .conflict),
        (CaseError(.duplicate, "x"), .conflict),
        (CaseError(.formUnavailable, "x"), .conflict),
        (CaseError(.invalidInput, "x"), .unprocessableContent),
        (CaseError(.workflow, "Bara en handläggare kan starta ett ärende."), .forbidden),
        (CaseError(WorkflowError(.roleRequired, "x")), .forbidden),
        (CaseError(WorkflowError(.illegalTransition, "x")), .conflict),
        // In the stored answers, the case's own state: the answers must change, not the request.
        (CaseError(WorkflowError(.validationErrors, "x")), .conflict),
        (CaseError(WorkflowError(.warningNotAcknowledged, "x")), .conflict),
        (CaseError(WorkflowError(.reauthenticationRequired, "x")), .forbidden),
        (CaseError(WorkflowError(.alreadySigned, "x")), .conflict),
        (CaseError(WorkflowError(.commentRequired, "x")), .unprocessableContent),
        (CaseError(WorkflowError(.wrongDiarienummer, "x")), .unprocessableContent),
        (CaseError(WorkflowError(.alreadyDecided, "x")), .conflict),
        (CaseError(WorkflowError(.noDecision, "x")), .conflict),
        (CaseError(WorkflowError(.decisionAlreadySent, "x")), .conflict),
        (CaseError(WorkflowError(.answersLocked, "x")), .conflict),
        (CaseError(WorkflowError(.noReportBack, "x")), .conflict),
    ]

    @Test func everyErrorHasOneStatusOnPagesAndInTheAPI() throws {
        // No request reaches the database: the pool is never used.
        let pool = TestCluster.pool("postgresql://blankett@127.0.0.1:1/blankett")
        let services = try WebServices(directory: Directory(pool: pool),
                                       cases: CaseService(store: PostgresCaseStore(pool: pool), catalog: FormCatalog(), sealingKey: SealingKey.generate()),
                                       sessions: SessionStore(pool: pool))
        let pages = WebController(services: services)
        for (error, status) in Self.table {
            #expect(pages.errorPage(error, user: nil).status == status, "page: \(error)")
            #expect(APIProblem(error).response.status == status, "API: \(error)")
        }
        let workflowCodes = Set(Self.table.compactMap(\.0.workflowCode))
        #expect(workflowCodes.count == WorkflowErrorCode.allCases.count, "every workflow refusal is in the table")
    }
}
