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

    var postgres: PostgresConfiguration { PostgresConfiguration(environment: variables) }

    /// `BLANKETT_LOG_LEVEL`: trace, debug, info (default), notice, warning, error, critical.
    var logLevel: Logger.Level { variables["BLANKETT_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info }

    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }
}
