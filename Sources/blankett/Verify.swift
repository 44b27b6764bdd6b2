import ArgumentParser
import BlankettCore
import BlankettPostgres

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every signature of a case against the case as stored now.",
        discussion: "Prints `valid` per signature, or exactly what differs. Exit 0 when every signature is valid, 1 when any is not, 2 when the case has no valid signature."
    )

    @Argument(help: "The case id (a UUID).")
    var caseID: String

    func run() async throws {
        let environment = Environment()
        let catalog = try environment.formCatalog()
        guard let caseID = CaseID(caseID) else { throw ValidationError(CaseError.notFound().message) }
        let verdicts: [SignatureVerdict]
        do {
            verdicts = try await environment.withPool { pool in
                try await environment.caseService(pool: pool, catalog: catalog).verifySignatures(caseID: caseID)
            }
        } catch let error as CaseError {
            throw ValidationError(error.message)
        }
        guard !verdicts.isEmpty else {
            print("Case \(caseID) has no valid signature.")
            throw ExitCode(2)
        }
        for verdict in verdicts {
            if verdict.isValid {
                print("signature \(verdict.sequence) by \(verdict.signerName): valid")
                if let assertion = verdict.assertion {
                    print("  identity provider \(assertion.issuer), subject \(assertion.subject), acr \(assertion.authenticationContext ?? "-"), "
                          + "auth_time \(assertion.authenticatedAt.map { String($0) } ?? "-"), ID token SHA-256 \(assertion.idTokenSHA256Hex)")
                }
            } else {
                print("signature \(verdict.sequence) by \(verdict.signerName): INVALID")
                for problem in verdict.problems { print("  - \(problem)") }
            }
        }
        if !verdicts.allSatisfy(\.isValid) { throw ExitCode(1) }
    }
}
