import ArgumentParser
import BlankettMail
import BlankettPDF
import BlankettCore
import BlankettPostgres
import Foundation
import Logging

/// Settings read from the process environment, in one place.
struct Environment {
    let variables: [String: String]

    init(_ variables: [String: String] = ProcessInfo.processInfo.environment) {
        self.variables = variables
    }

    /// Folder holding `sql/` and `forms/`: `BLANKETT_ROOT`, default the working directory.
    var root: String { variables["BLANKETT_ROOT"] ?? FileManager.default.currentDirectoryPath }
    var sqlDirectory: String { root + "/sql" }
    var formsDirectory: String { root + "/forms" }

    /// `DATABASE_URL` or libpq's `PG*` variables; with neither, the cluster
    /// `scripts/dev` keeps in `.local/postgres`, when there is one, so that
    /// `blankett admin …` works beside a development server without setup.
    var postgres: PostgresConfiguration {
        var variables = self.variables
        let libpqVariables = ["DATABASE_URL", "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"]
        if !libpqVariables.contains(where: { variables[$0] != nil }),
           let port = try? String(contentsOfFile: root + "/.local/postgres/port", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           Int(port) != nil {
            variables["DATABASE_URL"] = "postgresql://blankett@127.0.0.1:\(port)/blankett"
        }
        return PostgresConfiguration(environment: variables)
    }

    /// `BLANKETT_LOG_LEVEL`: trace, debug, info (default), notice, warning, error, critical.
    var logLevel: Logger.Level { variables["BLANKETT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info }

    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }
}

extension Environment {
    /// `BLANKETT_SEAL_CERTIFICATE_FILE` (the organisation's seal certificate,
    /// then its chain, PEM) and `BLANKETT_SEAL_KEY_FILE` (its private key):
    /// what signs the PDFs sent to the authority. Default the development
    /// pair `blankett keys generate` writes into `seal/` beside the sealing
    /// key (`.local/seal/`), so that each test's own key has its own seal.
    var sealCertificateFile: String { variables["BLANKETT_SEAL_CERTIFICATE_FILE"] ?? developmentSealFolder + "/certificates.pem" }
    var sealKeyFile: String { variables["BLANKETT_SEAL_KEY_FILE"] ?? developmentSealFolder + "/key.pem" }
    /// The development authority's certificate, for `openssl cms -verify` and
    /// for a reader told to trust it.
    var sealAuthorityFile: String { developmentSealFolder + "/authority.pem" }
    private var developmentSealFolder: String {
        let folder = (signingKeyFile as NSString).deletingLastPathComponent
        return (folder.isEmpty ? "." : folder) + "/seal"
    }

    func pdfSeal() throws -> PDFSeal {
        guard let certificates = try? String(contentsOfFile: sealCertificateFile, encoding: .utf8),
              let key = try? String(contentsOfFile: sealKeyFile, encoding: .utf8) else {
            throw ValidationError("No seal certificate and key at \(sealCertificateFile) and \(sealKeyFile): run `blankett keys generate` "
                                  + "(or set BLANKETT_SEAL_CERTIFICATE_FILE and BLANKETT_SEAL_KEY_FILE to the kommun's e-sigill).")
        }
        do {
            return try PDFSeal(certificatesPEM: certificates, privateKeyPEM: key)
        } catch {
            throw ValidationError("The seal in \(sealCertificateFile) and \(sealKeyFile) is not usable: \(error)")
        }
    }

    /// `BLANKETT_SIGNING_KEY_FILE`: the service's Ed25519 sealing key,
    /// default `.local/signing-key` under the root (made by `blankett keys generate`).
    var signingKeyFile: String { variables["BLANKETT_SIGNING_KEY_FILE"] ?? root + "/.local/signing-key" }

    func sealingKey() throws -> SealingKey {
        guard let text = try? String(contentsOfFile: signingKeyFile, encoding: .utf8) else {
            throw ValidationError("No signing key at \(signingKeyFile): run `blankett keys generate` (or set BLANKETT_SIGNING_KEY_FILE).")
        }
        do {
            return try SealingKey(fileContents: text)
        } catch {
            throw ValidationError("The signing key file \(signingKeyFile) is not usable: \(error)")
        }
    }

    /// Public keys of earlier signing keys whose seals still count
    /// (`BLANKETT_RETIRED_PUBLIC_KEYS`: the base64 keys `blankett keys show`
    /// printed for them, separated by commas or spaces).
    func retiredPublicKeys() throws -> [[UInt8]] {
        let listed = (variables["BLANKETT_RETIRED_PUBLIC_KEYS"] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace })
        return try listed.map { text in
            guard text.count <= 64, let key = Data(base64Encoded: String(text)), key.count == 32 else {
                throw ValidationError("BLANKETT_RETIRED_PUBLIC_KEYS holds \"\(text.prefix(64))\", which is not a public key as `blankett keys show` prints it (32 bytes in base64).")
            }
            return Array(key)
        }
    }

    /// The case service over PostgreSQL with the signing key and the retired keys.
    func caseService(pool: PostgresConnectionPool, catalog: FormCatalog, dispatcher: (any CaseDispatcher)? = nil) throws -> CaseService {
        CaseService(store: PostgresCaseStore(pool: pool, dispatcher: dispatcher), catalog: catalog,
                    sealingKey: try sealingKey(), retiredPublicKeys: try retiredPublicKeys())
    }

    func formCatalog() throws -> FormCatalog {
        do {
            return try FormCatalog.load(directory: formsDirectory)
        } catch {
            throw ValidationError("The forms in \(formsDirectory) do not load:\n\(error)")
        }
    }

    /// Runs `body` with a pool on the configured database, closing it afterwards.
    func withPool<T>(_ body: (PostgresConnectionPool) async throws -> T) async throws -> T {
        let pool = PostgresConnectionPool(configuration: postgres, logger: logger("blankett.postgres"))
        do {
            let result = try await body(pool)
            await pool.close()
            return result
        } catch {
            await pool.close()
            throw error
        }
    }
}

extension Environment {
    /// SMTP when `SMTP_URL` is set, otherwise `.eml` files in `BLANKETT_MAIL_FOLDER` (default `.local/mail`).
    func mailDelivery() throws -> MailDelivery {
        do {
            return try MailDelivery(environment: variables, root: root)
        } catch {
            throw ValidationError("SMTP_URL is not usable: \(error)")
        }
    }

    /// `BLANKETT_PUBLIC_URL`: the site's address as people reach it, for
    /// links in mail (a password reset), e.g. `https://blankett.botkyrka.se`.
    /// Default `http://127.0.0.1:<port>`. A trailing slash is dropped.
    func publicURL(port: Int) throws -> String {
        guard var url = variables["BLANKETT_PUBLIC_URL"], !url.isEmpty else { return "http://127.0.0.1:\(port)" }
        while url.hasSuffix("/") { url.removeLast() }
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), !url.contains("?"), !url.contains("#"),
              !url.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " }) else {
            throw ValidationError("BLANKETT_PUBLIC_URL is not an http(s) address without query: \(url)")
        }
        return url
    }

    /// `BLANKETT_MAIL_FROM`: the sender of messages to the authorities and to people. Default blankett@localhost.
    func mailSender() throws -> MailAddress {
        let address = variables["BLANKETT_MAIL_FROM"] ?? "blankett@localhost"
        do {
            return try MailAddress(address, name: "Blankett")
        } catch {
            throw ValidationError("BLANKETT_MAIL_FROM is not an e-mail address: \(address)")
        }
    }
}
