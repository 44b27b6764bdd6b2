import BlankettCore
import Testing

/// Canonical bytes, snapshots, seals and the verdict on a stored signature.
@Suite struct SigningTests {
    // MARK: Fixtures

    /// RFC 8032, test 1: a seed whose public key is known.
    static let rfcSeed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    static let rfcPublicKey = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")

    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8).map { UInt8(Int("\(UnicodeScalar($0))", radix: 16)!) }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    static func snapshot(answers: JSONValue) -> CaseSnapshot {
        CaseSnapshot(
            caseID: "case-1", organisationID: "org-botkyrka", organisationName: "Botkyrka kommun",
            organisationsnummer: "212000-2882", roundID: "po-2020", formID: "test-2020",
            formSHA256: String(repeating: "ab", count: 32),
            periodStart: LocalDate(year: 2020, month: 1, day: 1)!, periodEnd: LocalDate(year: 2020, month: 12, day: 31)!,
            answers: answers
        )
    }

    static func signedAnswers() throws -> JSONValue {
        try JSONValue.parse(AnswerDiffTests.signedAnswers)
    }

    /// A case signed by the first signer with `key`.
    static func signed(with key: SealingKey, answers: JSONValue) throws -> StoredSignature {
        let snapshot = Self.snapshot(answers: answers)
        let record = SignatureRecord(
            caseID: snapshot.caseID, sequence: 1, signerID: "user-7", signerName: "Eva Lind",
            signerTitle: "Stöd- och utvecklingschef", signedAt: "2021-01-04T09:15:00Z",
            snapshotSHA256Hex: snapshot.sha256Hex
        )
        return StoredSignature(record: record, snapshotBytes: snapshot.canonicalBytes(), seal: try key.seal(record),
                               publicKey: key.publicKey)
    }

    static func verify(_ signature: StoredSignature, current: CaseSnapshot, trusting keys: [SealingKey]) throws -> SignatureVerdict {
        SignatureVerifier.verify(signature, current: current, trustedPublicKeys: keys.map(\.publicKey),
                                 definition: try AnswerDiffTests.definition())
    }

    // MARK: Canonical JSON

    @Test func canonicalBytesDoNotDependOnKeyOrder() throws {
        let first = try JSONValue.parse(#"{"b": 1, "a": {"y": [true, null, 2.80], "x": "é\n\"q\""}}"#)
        let second = try JSONValue.parse(#"{"a": {"x": "é\n\"q\"", "y": [true, null, 2.80]}, "b": 1}"#)
        #expect(CanonicalJSON.bytes(first) == CanonicalJSON.bytes(second))
        #expect(String(decoding: CanonicalJSON.bytes(first), as: UTF8.self)
                == #"{"a":{"x":"é\n\"q\"","y":[true,null,2.80]},"b":1}"#)
    }

    @Test func keysAreSortedByTheirUTF8Bytes() {
        let value: JSONValue = ["ä": 1, "a": 2, "Z": 3, "é": 4, "aa": 5, "": 6]
        #expect(String(decoding: CanonicalJSON.bytes(value), as: UTF8.self) == #"{"":6,"Z":3,"a":2,"aa":5,"ä":1,"é":4}"#)
    }

    @Test func canonicalBytesSurviveParsingAndSerializing() throws {
        let value = try JSONValue.parse(#"{"n": [2.80, 2.8, -0, 1e400, 25E-2], "s": "tab\tctl\u0001", "o": {}, "l": []}"#)
        let bytes = CanonicalJSON.bytes(value)
        let reparsed = try JSONValue.parse(bytes)
        #expect(reparsed == value)
        #expect(CanonicalJSON.bytes(reparsed) == bytes)
        #expect(CanonicalJSON.bytes(try JSONValue.parse(value.serialized())) == bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"l":[],"n":[2.80,2.8,-0,1e400,25E-2],"o":{},"s":"tab\tctl\u0001"}"#)
    }

    // MARK: Snapshot

    @Test func snapshotBytesAreFixedAndReadBack() throws {
        let snapshot = Self.snapshot(answers: ["tjanster": .number("2.80"), "kommun": "Botkyrka"])
        let text = String(decoding: snapshot.canonicalBytes(), as: UTF8.self)
        #expect(text == """
            {"answers":{"kommun":"Botkyrka","tjanster":2.80},"caseID":"case-1","formID":"test-2020",\
            "formSHA256":"\(String(repeating: "ab", count: 32))","format":"blankett-snapshot-v1","organisationID":"org-botkyrka",\
            "organisationName":"Botkyrka kommun","organisationsnummer":"212000-2882","periodEnd":"2020-12-31",\
            "periodStart":"2020-01-01","roundID":"po-2020"}
            """)
        #expect(try CaseSnapshot(canonicalBytes: snapshot.canonicalBytes()) == snapshot)
    }

    @Test func snapshotHashIsLowercaseHexAndFollowsTheLiteralNumbers() throws {
        let twoEighty = Self.snapshot(answers: ["tjanster": .number("2.80")])
        let twoEight = Self.snapshot(answers: ["tjanster": .number("2.8")])
        #expect(twoEighty.sha256Hex.count == 64)
        #expect(twoEighty.sha256Hex.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(twoEighty.sha256Hex != twoEight.sha256Hex)
        let reordered = Self.snapshot(answers: try JSONValue.parse(#"{"b": 1, "a": 2}"#))
        #expect(reordered.sha256Hex == Self.snapshot(answers: try JSONValue.parse(#"{"a": 2, "b": 1}"#)).sha256Hex)
    }

    @Test(arguments: [
        ("not json", CaseSnapshot.ReadError.Code.notJSON),
        ("[]", .notAnObject),
        (#"{"caseID":"case-1"}"#, .unknownFormat),
        (#"{"format":"blankett-snapshot-v2"}"#, .unknownFormat),
        (#"{"format":"blankett-snapshot-v1"}"#, .missingField),
        (#"{"extra":1,"format":"blankett-snapshot-v1"}"#, .unknownField),
    ])
    func bytesThatAreNoSnapshotAreRefused(text: String, code: CaseSnapshot.ReadError.Code) {
        do {
            _ = try CaseSnapshot(canonicalBytes: Array(text.utf8))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func aSnapshotWithABadFieldOrInAnotherByteFormIsRefused() throws {
        let text = String(decoding: Self.snapshot(answers: ["kommun": "Botkyrka"]).canonicalBytes(), as: UTF8.self)
        func code(_ changed: String) -> CaseSnapshot.ReadError.Code? {
            do {
                _ = try CaseSnapshot(canonicalBytes: Array(changed.utf8))
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code(text) == nil)
        #expect(code(text.replacing(#""periodEnd":"2020-12-31""#, with: #""periodEnd":"2020-02-30""#)) == .invalidDate)
        #expect(code(text.replacing(#""caseID":"case-1""#, with: #""caseID":1"#)) == .wrongType)
        #expect(code(text.replacing(#""caseID":"case-1","#, with: "")) == .missingField)
        #expect(code(text.replacing(#"{"kommun""#, with: #"{ "kommun""#)) == .notCanonical)
    }

    // MARK: Seal and verdict

    @Test func aSignedCaseVerifiesWhileUnchanged() throws {
        let key = try SealingKey(rawRepresentation: Self.rfcSeed)
        let signature = try Self.signed(with: key, answers: try Self.signedAnswers())
        #expect(signature.seal.count == 64)
        // The same answers in another key order are the same case.
        let current = Self.snapshot(answers: try JSONValue.parse(#"""
            {"kontakter": [{"epost": "anna.berg@botkyrka.se", "namn": "Anna Berg"}], "kompetens": {"socialsekreterare": "samtliga"},
             "klienter": {"totalt": {"man": {"totalt": 30, "18-29": 9}, "kvinnor": {"18-29": 14, "totalt": 48}}},
             "ovriga_kommuner": ["Salem"], "tjanster": 2.80, "kommun": "Botkyrka", "pandemi_paverkan": null}
            """#))
        let verdict = try Self.verify(signature, current: current, trusting: [SealingKey.generate(), key])
        #expect(verdict == SignatureVerdict(sequence: 1, signerName: "Eva Lind", problems: []))
        #expect(verdict.isValid)
    }

    @Test func oneChangedAnswerIsExactlyOneProblem() throws {
        let key = SealingKey.generate()
        let signature = try Self.signed(with: key, answers: try Self.signedAnswers())
        let changed = try JSONValue.parse(AnswerDiffTests.signedAnswers.replacing(#""totalt": 48"#, with: #""totalt": 49"#))
        let verdict = try Self.verify(signature, current: Self.snapshot(answers: changed), trusting: [key])
        let change = AnswerChange(path: "klienter.totalt.kvinnor.totalt", label: "Totalt antal klienter – Kvinnor – Totalt",
                                  before: 48, after: 49)
        #expect(verdict.problems == [.answerChanged(change)])
        #expect(!verdict.isValid)
        #expect(verdict.problems.first?.description
                == #"answer klienter.totalt.kvinnor.totalt (Totalt antal klienter – Kvinnor – Totalt) changed from "48" to "49""#)
    }

    @Test func anAlteredStoredSnapshotIsReported() throws {
        let key = SealingKey.generate()
        var signature = try Self.signed(with: key, answers: try Self.signedAnswers())
        let text = String(decoding: signature.snapshotBytes, as: UTF8.self)
        signature.snapshotBytes = Array(text.replacing(#""totalt":48"#, with: #""totalt":47"#).utf8)
        #expect(signature.snapshotBytes != Self.snapshot(answers: try Self.signedAnswers()).canonicalBytes())
        let verdict = try Self.verify(signature, current: Self.snapshot(answers: try Self.signedAnswers()), trusting: [key])
        #expect(verdict.problems == [.storedSnapshotAltered])
    }

    /// A signature given through the organisation's identity provider seals
    /// what the provider asserted: changing any of it breaks the seal, and a
    /// signature without one seals the same bytes as before assertions existed.
    @Test func theProvidersAssertionIsSealedWithTheSignature() throws {
        let key = SealingKey.generate()
        let current = Self.snapshot(answers: try Self.signedAnswers())
        var signature = try Self.signed(with: key, answers: try Self.signedAnswers())
        #expect(!String(decoding: signature.record.sealMessage(), as: UTF8.self).contains("assertion"))
        let assertion = SigningAssertion(issuer: "https://login.botkyrka.se", subject: "248289761001",
                                         authenticationContext: "http://id.elegnamnden.se/loa/1.0/loa3", authenticatedAt: 1_609_751_700,
                                         idTokenSHA256Hex: String(repeating: "ab", count: 32))
        signature.record.assertion = assertion
        signature.seal = try key.seal(signature.record)
        let verdict = try Self.verify(signature, current: current, trusting: [key])
        #expect(verdict.isValid && verdict.assertion == assertion)
        #expect(SigningAssertion(json: assertion.json) == assertion)
        #expect(assertion.summary == "legitimerad på nytt via https://login.botkyrka.se (loa3), 2021-01-04 kl. 10:15")
        for change in [{ (a: inout SigningAssertion) in a.authenticationContext = "http://id.elegnamnden.se/loa/1.0/loa2" },
                       { $0.authenticatedAt = 1_609_751_701 }, { $0.subject = "someone-else" }] {
            var altered = signature
            change(&altered.record.assertion!)
            #expect(try Self.verify(altered, current: current, trusting: [key]).problems.contains(.sealInvalid))
        }
    }

    @Test func aFlippedSealByteOrAnAlteredRecordBreaksTheSeal() throws {
        let key = SealingKey.generate()
        let current = Self.snapshot(answers: try Self.signedAnswers())
        var flipped = try Self.signed(with: key, answers: try Self.signedAnswers())
        flipped.seal[17] ^= 0x01
        #expect(try Self.verify(flipped, current: current, trusting: [key]).problems == [.sealInvalid])

        var renamed = try Self.signed(with: key, answers: try Self.signedAnswers())
        renamed.record.signerName = "Eva Lindström"
        let verdict = try Self.verify(renamed, current: current, trusting: [key])
        #expect(verdict.problems == [.sealInvalid])
        #expect(verdict.signerName == "Eva Lindström")
    }

    @Test func aSealFromAnotherKeyIsUntrusted() throws {
        let trusted = SealingKey.generate()
        let other = SealingKey.generate()
        let signature = try Self.signed(with: other, answers: try Self.signedAnswers())
        let verdict = try Self.verify(signature, current: Self.snapshot(answers: try Self.signedAnswers()), trusting: [trusted])
        #expect(verdict.problems == [.untrustedKey(keyID: other.keyID)])
        #expect(verdict.problems.first?.description.contains(other.keyID) == true)
    }

    @Test func changedMetadataIsReportedPerField() throws {
        let key = SealingKey.generate()
        let signature = try Self.signed(with: key, answers: try Self.signedAnswers())
        var current = Self.snapshot(answers: try Self.signedAnswers())
        current.organisationsnummer = "212000-0142"
        #expect(try Self.verify(signature, current: current, trusting: [key]).problems
                == [.metadataChanged(field: "organisationsnummer", signed: "212000-2882", now: "212000-0142")])

        current.periodEnd = LocalDate(year: 2021, month: 6, day: 30)!
        current.formSHA256 = String(repeating: "cd", count: 32)
        let problems = try Self.verify(signature, current: current, trusting: [key]).problems
        #expect(problems == [
            .metadataChanged(field: "organisationsnummer", signed: "212000-2882", now: "212000-0142"),
            .metadataChanged(field: "formSHA256", signed: String(repeating: "ab", count: 32), now: String(repeating: "cd", count: 32)),
            .metadataChanged(field: "period", signed: "2020-01-01/2020-12-31", now: "2020-01-01/2021-06-30"),
        ])
        #expect(problems.first?.description == #"organisationsnummer changed from "212000-2882" to "212000-0142""#)
    }

    @Test func aSnapshotThatMatchesItsHashButCannotBeReadIsReported() throws {
        let key = SealingKey.generate()
        var signature = try Self.signed(with: key, answers: try Self.signedAnswers())
        // SHA-256 of {"hello":"world"}, computed outside Swift.
        signature.record.snapshotSHA256Hex = "93a23971a914e5eacbf0a8d25154cda309c3c1c72fbb9914d47c60f3cb681588"
        signature.snapshotBytes = Array(#"{"hello":"world"}"#.utf8)
        signature.seal = try key.seal(signature.record)
        let verdict = try Self.verify(signature, current: Self.snapshot(answers: try Self.signedAnswers()), trusting: [key])
        #expect(verdict.problems == [.snapshotUnreadable])
    }

    @Test func everyProblemIsReportedNotOnlyTheFirst() throws {
        let key = SealingKey.generate()
        var signature = try Self.signed(with: key, answers: try Self.signedAnswers())
        signature.seal[0] ^= 0x80
        signature.snapshotBytes.append(UInt8(ascii: " "))
        var current = Self.snapshot(answers: try Self.signedAnswers())
        current.caseID = "case-2"
        let verdict = try Self.verify(signature, current: current, trusting: [])
        #expect(verdict.problems == [
            .sealInvalid,
            .untrustedKey(keyID: key.keyID),
            .storedSnapshotAltered,
            .metadataChanged(field: "caseID", signed: "case-1", now: "case-2"),
        ])
    }

    // MARK: Key

    @Test func theKeyDerivesTheKnownPublicKeyAndID() throws {
        let key = try SealingKey(rawRepresentation: Self.rfcSeed)
        #expect(key.rawRepresentation == Self.rfcSeed)
        #expect(key.publicKey == Self.rfcPublicKey)
        // First 16 hex digits of SHA-256 of the public key, computed outside Swift.
        #expect(key.keyID == "21fe31dfa154a261")
        #expect(SealingKey.keyID(forPublicKey: Self.rfcPublicKey) == key.keyID)
        #expect(key.description == "SealingKey(21fe31dfa154a261)")
        #expect(SealingKey.generate().keyID != SealingKey.generate().keyID)
    }

    @Test(arguments: [0, 31, 33, 64])
    func aRawKeyOfTheWrongLengthIsRefused(length: Int) {
        #expect(throws: SealingKey.LoadError.self) { try SealingKey(rawRepresentation: Array(repeating: 7, count: length)) }
    }

    @Test func theKeyFileRoundTrips() throws {
        let key = try SealingKey(rawRepresentation: Self.rfcSeed)
        #expect(key.fileContents() == "blankett-ed25519-v1\nnWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=\n")
        let read = try SealingKey(fileContents: key.fileContents())
        #expect(read.rawRepresentation == key.rawRepresentation)
        #expect(read.publicKey == key.publicKey)

        let generated = SealingKey.generate()
        #expect(try SealingKey(fileContents: generated.fileContents()).keyID == generated.keyID)
    }

    static let keyLine = "nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A="

    @Test(arguments: [
        ("", SealingKey.LoadError.Code.wrongHeader),
        ("hello\n", .wrongHeader),
        ("-----BEGIN PRIVATE KEY-----\n\(keyLine)\n", .wrongHeader),
        ("blankett-ed25519-v2\n\(keyLine)\n", .wrongHeader),
        ("blankett-ed25519-v1\n", .wrongLayout),
        ("blankett-ed25519-v1\n\(keyLine)", .wrongLayout),
        ("blankett-ed25519-v1\n\(keyLine)\n\n", .wrongLayout),
        ("blankett-ed25519-v1\n\(keyLine)\nextra\n", .wrongLayout),
        ("blankett-ed25519-v1\r\n\(keyLine)\r\n", .wrongLayout),
        ("blankett-ed25519-v1\n\(keyLine)\r\n", .wrongLayout),
        ("blankett-ed25519-v1\n \(keyLine)\n", .invalidBase64),
        ("blankett-ed25519-v1\nnot base64!\n", .invalidBase64),
        ("blankett-ed25519-v1\nnWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2B=\n", .invalidBase64),
        ("blankett-ed25519-v1\nAAECAwQFBgcICQoLDA0ODw==\n", .wrongLength),
        ("blankett-ed25519-v1\n\n", .wrongLength),
    ])
    func aKeyFileThatIsNotExactlyTheFormatIsRefused(text: String, code: SealingKey.LoadError.Code) {
        do {
            _ = try SealingKey(fileContents: text)
            Issue.record("accepted \(text.debugDescription)")
        } catch {
            #expect(error.code == code, "\(error)")
            // The message must never repeat the secret.
            #expect(!error.message.contains("nWGxne"))
            #expect(!error.message.isEmpty)
        }
    }
}
