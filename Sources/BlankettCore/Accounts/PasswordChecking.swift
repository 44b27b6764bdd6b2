/// Where a password is checked against its stored hash. A check costs a
/// tenth of a second of CPU, so a server checks them off Swift's
/// cooperative threads and only a few at a time (BlankettPostgres'
/// `PasswordGate`); the core only asks. A checker that is full throws its
/// own error, which the web layer answers 503.
public protocol PasswordChecking: Sendable {
    func verify(password: String, encoded: String) async throws -> Bool
}

/// Checks on the calling task: for tests and the command line.
public struct InlinePasswordChecking: PasswordChecking {
    public init() {}

    public func verify(password: String, encoded: String) async throws -> Bool {
        PasswordHash.verify(password: password, encoded: encoded)
    }
}
