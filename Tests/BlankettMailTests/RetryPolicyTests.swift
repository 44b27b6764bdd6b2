import BlankettMail
import Testing

@Suite struct RetryPolicyTests {
    @Test func backoffDoublesUpToTheMaximumWithJitterAround() {
        let policy = RetryPolicy(maximumAttempts: 10, initialDelay: .seconds(60), maximumDelay: .seconds(3600), jitter: 0.2)
        #expect(policy.delay(afterAttempt: 1, random: 0.5) == .seconds(60))
        #expect(policy.delay(afterAttempt: 2, random: 0.5) == .seconds(120))
        #expect(policy.delay(afterAttempt: 5, random: 0.5) == .seconds(960))
        #expect(policy.delay(afterAttempt: 7, random: 0.5) == .seconds(3600))
        #expect(policy.delay(afterAttempt: 60, random: 0.5) == .seconds(3600))
        #expect(policy.delay(afterAttempt: 1, random: 0) == .seconds(48))
        #expect(policy.delay(afterAttempt: 1, random: 1) == .seconds(72))
    }

    @Test func attemptsRunOut() {
        let policy = RetryPolicy(maximumAttempts: 3)
        #expect(policy.allowsRetry(afterAttempts: 1))
        #expect(policy.allowsRetry(afterAttempts: 2))
        #expect(!policy.allowsRetry(afterAttempts: 3))
    }
}
