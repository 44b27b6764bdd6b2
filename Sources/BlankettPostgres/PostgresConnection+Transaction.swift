extension PostgresConnection {
    public enum IsolationLevel: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    /// BEGIN, `body`, COMMIT; ROLLBACK when `body` or COMMIT throws.
    public func transaction<T>(
        isolation: IsolationLevel = .readCommitted,
        _ body: () throws -> T
    ) throws -> T {
        try query("BEGIN ISOLATION LEVEL \(unsafeSQL: isolation.rawValue)")
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            // A broken connection cannot roll back; the pool discards it anyway.
            _ = try? query("ROLLBACK")
            throw error
        }
    }
}
