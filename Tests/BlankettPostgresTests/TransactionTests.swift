import BlankettPostgres
import BlankettTestSupport
import Testing

@Suite struct TransactionTests {
    struct Abort: Error {}

    @Test func aThrownErrorRollsBackEveryRow() async throws {
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 2)
        try await pool.query("CREATE TABLE items (id int PRIMARY KEY)")
        await #expect(throws: Abort.self) {
            try await pool.withTransaction { connection in
                for id in 1...5 { try connection.query("INSERT INTO items VALUES (\(id))") }
                throw Abort()
            }
        }
        #expect(try await pool.query("SELECT count(*) FROM items").single().decode(Int.self, at: 0) == 0)

        try await pool.withTransaction { connection in
            _ = try connection.query("INSERT INTO items VALUES (1)")
        }
        #expect(try await pool.query("SELECT count(*) FROM items").single().decode(Int.self, at: 0) == 1)
        await pool.close()
    }

    @Test func uniqueViolationCarriesSQLStateButNotTheValue() async throws {
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 1)
        try await pool.query("CREATE TABLE users (email text CONSTRAINT users_email_key UNIQUE)")
        let email = "anna.andersson@botkyrka.se"
        try await pool.query("INSERT INTO users VALUES (\(email))")
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                try connection.query("INSERT INTO users VALUES (\(email))")
            }
        }
        #expect(error?.sqlState == "23505")
        #expect(error?.isUniqueViolation == true)
        #expect(error?.constraintName == "users_email_key")
        #expect(error.map { !$0.description.contains(email) } == true)
        #expect(try await pool.query("SELECT count(*) FROM users").single().decode(Int.self, at: 0) == 1)
        await pool.close()
    }

    @Test func aFailedStatementInsideATransactionRollsBackTheEarlierOnes() async throws {
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 1)
        try await pool.query("CREATE TABLE items (id int PRIMARY KEY)")
        await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                try connection.query("INSERT INTO items VALUES (1)")
                try connection.query("INSERT INTO items VALUES (1)")
            }
        }
        #expect(try await pool.query("SELECT count(*) FROM items").single().decode(Int.self, at: 0) == 0)
        await pool.close()
    }
}
