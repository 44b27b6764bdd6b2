import BlankettMail
import Testing

@Suite struct SMTPConfigurationTests {
    @Test func plainURLWithoutCredentialsUpgradesWhenOffered() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mail.botkyrka.se:587")
        #expect(configuration.host == "mail.botkyrka.se")
        #expect(configuration.port == 587)
        #expect(configuration.username == nil && configuration.password == nil)
        #expect(configuration.security == .startTLSOptional)
    }

    @Test func credentialsArePercentDecodedAndRequireSTARTTLS() throws {
        let configuration = try SMTPConfiguration(url: "smtp://blankett%40botkyrka.se:p%40ss%3Aw%C3%B6rd@mail.botkyrka.se:587")
        #expect(configuration.username == "blankett@botkyrka.se")
        #expect(configuration.password == "p@ss:wörd")
        #expect(configuration.security == .startTLSRequired)
        #expect(!configuration.description.contains("p@ss"))
        #expect(!configuration.description.contains("p%40ss"))
        #expect(configuration.description == "smtp://blankett@botkyrka.se:***@mail.botkyrka.se:587?starttls=required")
    }

    @Test func defaultPortsAndImplicitTLS() throws {
        #expect(try SMTPConfiguration(url: "smtp://localhost").port == 25)
        let tls = try SMTPConfiguration(url: "smtps://u:pw@smtp.example.se")
        #expect(tls.port == 465)
        #expect(tls.security == .implicitTLS)
        #expect(tls.description == "smtps://u:***@smtp.example.se:465")
    }

    @Test func starttlsParameter() throws {
        #expect(try SMTPConfiguration(url: "smtp://localhost:1025?starttls=off").security == .plain)
        #expect(try SMTPConfiguration(url: "smtp://u:p@localhost:1025?starttls=optional").security == .startTLSOptional)
        #expect(try SMTPConfiguration(url: "smtp://localhost:1025?starttls=required").security == .startTLSRequired)
        #expect(try SMTPConfiguration(url: "SMTP://[::1]:2525?starttls=OFF").host == "[::1]")
        #expect(try SMTPConfiguration(url: "smtp://mail.example.se/blankett.botkyrka.se").heloName == "blankett.botkyrka.se")
    }

    @Test(arguments: [
        "http://mail.example.se",
        "mail.example.se:25",
        "smtp://",
        "smtp://:25",
        "smtp://mail.example.se:0",
        "smtp://mail.example.se:99999",
        "smtp://mail.example.se:2a",
        "smtp://mail.example.se?starttls=sometimes",
        "smtp://mail.example.se?tls=on",
        "smtp://mail.example.se?starttls=off&starttls=off",
        "smtps://mail.example.se?starttls=required",
        "smtp://u:p%zz@mail.example.se",
        "smtp://mail.example.se/a/b",
        "smtp://mail example.se",
        "smtp://mail.example.se#x",
    ])
    func malformedURLsAreRefusedClearly(url: String) {
        let error = #expect(throws: MailError.self) { try SMTPConfiguration(url: url) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.hasPrefix("SMTP_URL is not usable:") == true)
    }

    @Test func thePasswordNeverAppearsInErrors() {
        let error = #expect(throws: MailError.self) { try SMTPConfiguration(url: "smtp://user:hemligt@mail.example.se:bad") }
        #expect(error?.message.contains("hemligt") == false)
    }

    @Test func environmentChoosesSMTPOrFolder() throws {
        #expect(try SMTPConfiguration(environment: [:]) == nil)
        #expect(try SMTPConfiguration(environment: ["SMTP_URL": ""]) == nil)
        #expect(try MailDelivery(environment: [:], root: "/srv/blankett") == .folder("/srv/blankett/.local/mail"))
        #expect(try MailDelivery(environment: ["BLANKETT_MAIL_FOLDER": "/tmp/post"], root: "/srv") == .folder("/tmp/post"))
        let smtp = try MailDelivery(environment: ["SMTP_URL": "smtp://u:secret@mail.example.se:587"], root: "/srv")
        #expect(smtp == .smtp(try SMTPConfiguration(url: "smtp://u:secret@mail.example.se:587")))
        #expect(!smtp.description.contains("secret"))
        #expect(throws: MailError.self) { try MailDelivery(environment: ["SMTP_URL": "smtp://"], root: "/srv") }
    }
}
