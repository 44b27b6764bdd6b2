import BlankettPostgres
import BlankettTestSupport
import Testing

@Suite struct QueryTests {
    @Test(arguments: [
        "O'Brien; DROP TABLE students; --",
        "\"citat\" och 'apostrof' \\ bakstreck",
        "Åsa Öberg i Älvsjö: åäö ÅÄÖ é ü",
        "emoji 🧾✅👩🏽‍💼",
        "$1 $2 ${x} %s",
        "",
        "rad ett\nrad två\r\ntabb\t",
    ])
    func textParametersRoundTripUnchanged(_ text: String) async throws {
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 1)
        try await pool.query("CREATE TABLE notes (body text NOT NULL)")
        try await pool.query("INSERT INTO notes (body) VALUES (\(text))")
        let stored = try await pool.query("SELECT body, length(body) FROM notes WHERE body = \(text)").single()
        #expect(try stored.decode(String.self, at: 0) == text)
        #expect(try stored.decode(Int.self, at: 1) == text.unicodeScalars.count)
        await pool.close()
    }

    @Test func nulInTextIsRefusedBeforeSending() async throws {
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 1)
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT \("a\u{0}b")::text") }
        #expect(error?.kind == .invalidParameter)
        await pool.close()
    }

    @Test func typedDecodingOfRowsAndNulls() async throws {
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 1)
        let row = try await pool.query("SELECT 42::bigint, 'text', true, NULL::text, \(Int?.none)::int").single()
        let (number, text, flag, missing, alsoMissing) = try row.decode((Int, String, Bool, String?, Int?).self)
        #expect(number == 42 && text == "text" && flag && missing == nil && alsoMissing == nil)
        let error = #expect(throws: PostgresError.self) { try row.decode(String.self, at: 3) }
        #expect(error?.kind == .decoding)
        #expect(try row.decode(Int.self, column: "int8") == 42)
        await pool.close()
    }

    @Test func bytesRoundTrip() async throws {
        let pool = TestCluster.pool(try await TestCluster.freshDatabase(), size: 1)
        let bytes = PostgresBytes((0...255).map { UInt8($0) })
        let stored = try await pool.query("SELECT \(bytes)::bytea").single().decode(PostgresBytes.self, at: 0)
        #expect(stored == bytes)
        await pool.close()
    }
}
