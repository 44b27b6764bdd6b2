import BlankettCore
import BlankettPostgres
import BlankettTestSupport
import BlankettWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The database out of reach: 503 with Retry-After, problem+json
/// `code: unavailable` in the API, a Swedish page for the pages, and a
/// readiness answer that names no host or port.
@Suite struct DatabaseOutageTests {
    /// Nothing listens on port 1: every connection attempt is refused at once.
    static let unreachable = "postgresql://blankett@127.0.0.1:1/blankett?connect_timeout=2"

    static func application() throws -> some ApplicationProtocol {
        let pool = TestCluster.pool(unreachable)
        let services = try WebServices(directory: Directory(pool: pool),
                                       cases: CaseService(store: PostgresCaseStore(pool: pool), catalog: FormCatalog(), sealingKey: SealingKey.generate()),
                                       sessions: SessionStore(pool: pool))
        let migrator = Migrator(migrations: [], pool: pool)
        return buildApplication(configuration: WebConfiguration(port: 0), pool: pool, migrator: migrator, services: services, logger: Logger(label: "test"))
    }

    static let retryAfter = HTTPField.Name("Retry-After")!

    @Test func anAPISaveAnswers503Unavailable() async throws {
        try await Self.application().test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/cases/\(UUID().uuidString.lowercased())/steps/ekonomi", method: .put,
                                                    headers: [.authorization: "Bearer blk_\(String(repeating: "a", count: 43))", .contentType: "application/json"],
                                                    body: ByteBuffer(string: "{\"answersVersion\":1,\"answers\":{}}"))
            let problem = try JSONValue.parse(Array(String(buffer: response.body).utf8))
            #expect(response.status == .serviceUnavailable)
            #expect(problem.value(atPath: "code")?.stringValue == "unavailable")
            #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            #expect(response.headers[Self.retryAfter] != nil)
        }
    }

    @Test func aPageAnswersA503PageInSwedish() async throws {
        try await Self.application().test(.router) { client in
            for (uri, method) in [("/", HTTPRequest.Method.get), ("/cases/\(UUID().uuidString.lowercased())/steps/ekonomi", .post)] {
                let response = try await client.execute(uri: uri, method: method, headers: [.cookie: "blankett_session=abc", .contentType: "application/x-www-form-urlencoded"],
                                                        body: ByteBuffer(string: "csrf=x&kommun=y"))
                let page = String(buffer: response.body)
                #expect(response.status == .serviceUnavailable, "\(method) \(uri)")
                #expect(page.contains("<html lang=\"sv\">") && page.contains("Databasen kan inte nås"), "\(method) \(uri): \(page.prefix(200))")
                #expect(response.headers[Self.retryAfter] != nil, "\(method) \(uri)")
            }
            let login = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                 body: ByteBuffer(string: "email=a%40b.se&password=x"))
            #expect(login.status == .serviceUnavailable, "login")
        }
    }

    @Test func readinessNamesNoHostOrPort() async throws {
        try await Self.application().test(.router) { client in
            let response = try await client.execute(uri: "/readyz", method: .get)
            let text = String(buffer: response.body)
            #expect(response.status == .serviceUnavailable)
            #expect(!text.contains("127.0.0.1") && !text.contains("port") && !text.contains("\"1\""), "\(text)")
        }
    }
}
