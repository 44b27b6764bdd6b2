import BlankettCore
import BlankettPostgres
import BlankettTestSupport
@testable import BlankettWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Sign-in limits that hold under concurrency and cannot be turned against
/// the owner; constant work for unknown addresses; the hashing bounded and
/// off the request executor; the throttle table bounded and free of addresses.
@Suite struct LoginThrottleTests {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// The test site, trusting `X-Forwarded-For` so that tests can be several clients.
    static func site() async throws -> WebPageTests.Site {
        var site = try await WebPageTests.site()
        site.services.trustForwardedFor = true
        return site
    }

    static func logIn(_ client: any TestClientProtocol, _ email: String, _ password: String, from address: String) async throws -> HTTPResponse.Status {
        let body = "email=\(WebPageTests.Browser.encode(email))&password=\(WebPageTests.Browser.encode(password))"
        return try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", forwardedFor: "10.0.0.9, \(address)"],
                                        body: ByteBuffer(string: body)).status
    }

    @Test func twentyParallelWrongPasswordsGet429AfterFive() async throws {
        let site = try await Self.site()
        let email = site.emails[.editor]!
        try await site.application().test(.router) { client async throws in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<20 { group.addTask { try await LoginThrottleTests.logIn(client, email, "fel lösenord", from: "203.0.113.1") } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 5, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 15, "\(statuses)")
        }
    }

    @Test func theOwnerStillGetsInFromAnotherClient() async throws {
        let site = try await Self.site()
        let email = site.emails[.editor]!
        try await site.application().test(.router) { client async throws in
            for _ in 0..<5 { #expect(try await LoginThrottleTests.logIn(client, email, "fel", from: "203.0.113.66") == .unauthorized) }
            #expect(try await LoginThrottleTests.logIn(client, email, WebPageTests.password, from: "203.0.113.66") == .tooManyRequests, "the guessing client is stopped")
            #expect(try await LoginThrottleTests.logIn(client, email, WebPageTests.password, from: "198.51.100.7") == .seeOther, "the owner, elsewhere, gets in")
        }
    }

    @Test func oneClientIsLimitedOverAllAddresses() async throws {
        let site = try await Self.site()
        try await site.application().test(.router) { client async throws in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<35 { statuses.append(try await LoginThrottleTests.logIn(client, "okand\(index)@example.se", "fel", from: "203.0.113.5")) }
            #expect(statuses.prefix(30).allSatisfy { $0 == .unauthorized }, "\(statuses)")
            #expect(statuses.suffix(5).allSatisfy { $0 == .tooManyRequests }, "\(statuses)")
            #expect(try await LoginThrottleTests.logIn(client, site.emails[.editor]!, WebPageTests.password, from: "203.0.113.6") == .seeOther, "another client is not affected")
        }
    }

    @Test func manyClientsGuessingOneAddressAreSlowedNotLockedOut() async throws {
        var site = try await Self.site()
        // A spacing far longer than any test's requests take, so "at once" holds on a loaded machine.
        var sessions = SessionStore(pool: site.pool)
        sessions.throttle.spacingSeconds = 600
        sessions.throttle.maximumSpacingSeconds = 3_600
        site.services = try WebServices(directory: site.services.directory, cases: site.services.cases, sessions: sessions)
        site.services.trustForwardedFor = true
        let email = site.emails[.editor]!
        let pool = site.pool
        try await site.application().test(.router) { client async throws in
            // Ten clients, one guess each: the address's limit of 10.
            for index in 0..<10 { #expect(try await LoginThrottleTests.logIn(client, email, "fel", from: "192.0.2.\(index)") == .unauthorized) }
            // Past it, attempts are spaced: one is admitted, the next within the spacing is not, whoever sends it.
            #expect(try await LoginThrottleTests.logIn(client, email, "fel", from: "192.0.2.100") == .unauthorized)
            #expect(try await LoginThrottleTests.logIn(client, email, WebPageTests.password, from: "192.0.2.101") == .tooManyRequests)
            let spacing = try await pool.query("""
                SELECT extract(epoch FROM next_allowed_at - now())::int FROM login_throttle WHERE scope = 'address'
                """).single().decode(Int.self, at: 0)
            #expect((590...600).contains(spacing), "\(spacing) s until the next attempt")
            // After the spacing (here: moved to now) the owner gets in.
            try await pool.query("UPDATE login_throttle SET next_allowed_at = now() WHERE scope = 'address'")
            #expect(try await LoginThrottleTests.logIn(client, email, WebPageTests.password, from: "192.0.2.101") == .seeOther)
        }
    }

    /// Seconds `body` takes.
    static func seconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    @Test func overlongAndControlCharacterFieldsAre422AndNothingIsStored() async throws {
        let site = try await Self.site()
        try await site.application().test(.router) { client async throws in
            for body in ["email=" + String(repeating: "a", count: 2_800) + "%40example.se&password=x", "email=a%00b&password=x",
                         "email=a%40b.se&password=a%00b", "email=a%40b.se&password=" + String(repeating: "x", count: 2_000)] {
                let response = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                        body: ByteBuffer(string: body))
                #expect(response.status == .unprocessableContent, "\(body.prefix(40))")
                #expect(String(buffer: response.body).contains("<html lang=\"sv\">"), "\(body.prefix(40)): the Swedish page")
            }
            #expect(try await site.pool.query("SELECT count(*) FROM login_throttle").single().decode(Int.self, at: 0) == 0)
        }
    }

    @Test func theThrottleTableHoldsNoAddressAndForgetsExpiredRows() async throws {
        let site = try await Self.site()
        let stale = String(repeating: "0", count: 64)
        try await site.pool.query("""
            INSERT INTO login_throttle (scope, key, attempts, window_start, expires_at) VALUES ('client', \(stale), 3, now() - interval '1 hour', now() - interval '30 minutes')
            """)
        try await site.application().test(.router) { client async throws in
            #expect(try await LoginThrottleTests.logIn(client, site.emails[.editor]!, "fel", from: "203.0.113.9") == .unauthorized)
            let keys = try await site.pool.query("SELECT key FROM login_throttle").map { try $0.decode(String.self, at: 0) }
            #expect(!keys.contains(stale), "the expired row is gone")
            #expect(keys.count == 3)
            #expect(keys.allSatisfy { !$0.contains("@") && !$0.contains("203.0") }, "digests only")
        }
    }

    @Test func theGateRefusesAtOnceWhenFullAndLetsTheWaitingIn() async throws {
        let (gate, release) = await Self.heldGate(queueLimit: 1)
        let waiting = Task { try await gate.run { true } }
        for _ in 0..<500 where gate.waitingCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
        guard gate.waitingCount == 1 else {
            release()
            Issue.record("the second call did not wait for the held place")
            return
        }
        var refused = false
        do {
            _ = try await gate.run { true }
        } catch is PasswordGate.Busy {
            refused = true
        }
        #expect(refused, "a full gate with a full queue refuses at once")
        release()
        #expect(try await waiting.value, "the waiting one runs when the place is free")
        #expect(try await gate.run { true }, "and so do later ones")
    }

    @Test func hashesRunOnNIOsBlockingPoolNotTheRequestExecutor() async throws {
        let thread = try await PasswordGate().run { Thread.current.name ?? "" }
        #expect(thread.contains("TP-#"), "\(thread)")
    }

    /// A gate whose one place is held until `release` is called, and which lets nobody wait.
    static func heldGate(queueLimit: Int = 0) async -> (gate: PasswordGate, release: @Sendable () -> Void) {
        let gate = PasswordGate(concurrency: 1, queueLimit: queueLimit)
        let entered = DispatchSemaphore(value: 0), held = DispatchSemaphore(value: 0)
        Task { try await gate.run { entered.signal(); held.wait() } }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { entered.wait(); continuation.resume() }
        }
        return (gate, { held.signal() })
    }

    /// Every sign-in, known address or not, costs one hash through the gate:
    /// with the gate full both are 503 (before, an unknown address answered
    /// 401 at once without hashing, 50 times faster than a real one).
    @Test func knownAndUnknownAddressesBothHashThroughTheGate() async throws {
        var site = try await Self.site()
        let (gate, release) = await Self.heldGate()
        defer { release() }
        site.services = try WebServices(directory: site.services.directory, cases: site.services.cases, sessions: SessionStore(pool: site.pool, gate: gate))
        site.services.trustForwardedFor = true
        let email = site.emails[.editor]!
        try await site.application().test(.router) { client async throws in
            #expect(try await LoginThrottleTests.logIn(client, email, WebPageTests.password, from: "203.0.113.77") == .serviceUnavailable, "a known address")
            #expect(try await LoginThrottleTests.logIn(client, "finns-inte@botkyrka.example", "fel", from: "203.0.113.78") == .serviceUnavailable, "an unknown address")
        }
    }

    @Test func readinessAnswersWhileTwentySignInsHash() async throws {
        let site = try await Self.site()
        _ = try await site.services.directory.createUser(email: "kostsam@botkyrka.example", name: "Kostsam", title: "",
                                                         passwordHash: try PasswordHash.make(password: WebPageTests.password, salt: PasswordHash.randomSalt()))
        try await site.application().test(.router) { client async throws in
            // 20 sign-ins of the production cost; /readyz meanwhile answers
            // before they are done (the figures are in the closing note of the change).
            var readiness = 0.0
            let total = try await Self.seconds { () async throws in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<20 {
                        group.addTask { _ = try await LoginThrottleTests.logIn(client, "kostsam@botkyrka.example", "fel", from: "203.0.113.\(index)") }
                    }
                    try await Task.sleep(for: .milliseconds(50))
                    readiness = try await Self.seconds { () async throws in
                        #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
                    }
                    try await group.waitForAll()
                }
            }
            #expect(readiness < total, "/readyz took \(readiness) s while the sign-ins took \(total) s")
            print("readiness \(readiness) s during 20 sign-ins of \(total) s")
        }
    }

    /// A password checker that is always full.
    struct FullChecker: PasswordChecking {
        func verify(password: String, encoded: String) async throws -> Bool { throw PasswordGate.Busy() }
    }

    @Test func aSignatureWhileThePasswordChecksAreFullIs503AndChangesNothing() async throws {
        var site = try await WebPageTests.site()
        let editorID = try await APITests.userID(site, .editor)
        let record = try await site.services.cases.create(roundID: site.roundID, organisationID: site.botkyrka, by: editorID)
        _ = try await site.services.cases.saveAnswers(record.id, step: nil, answers: try APITests.fixtureAnswers(), baseVersion: record.answersVersion, by: editorID)
        let warnings = try await site.services.cases.validate(record.id, for: editorID).warnings
        _ = try await site.services.cases.markReady(record.id, acknowledgements: Dictionary(warnings.map { (WarningKey($0), "Kontrollerat.") }, uniquingKeysWith: { $1 }), by: editorID)
        var cases = site.services.cases
        cases.passwordChecker = FullChecker()
        site.services = try WebServices(directory: site.services.directory, cases: cases, sessions: site.services.sessions)
        let token = try await APITests.token(site, .signatory)
        let service = site.services.cases
        try await site.application().test(.router) { client async throws in
            let reply = try await APITests.Caller.token(token, client: client).call(.post, "/api/v1/cases/\(record.id)/transitions/sign",
                                                                                   json: .object(["password": .string(WebPageTests.password)]))
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.code == "busy")
            #expect(reply.headers[HTTPField.Name("Retry-After")!] != nil)
            #expect(try await service.find(record.id, for: editorID).state == .ready)
        }
    }
}
