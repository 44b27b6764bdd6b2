import Foundation
import BlankettCore
import BlankettPostgres

/// Which cases to list: by grant (the form's `grant`, e.g. `personligt-ombud`),
/// state and year (the year the reporting period ends). The dashboard's filter
/// form and the API's query use the same names: `grant`, `state`, `year`.
struct CaseFilter: Sendable, Equatable {
    var grant: String?
    var state: CaseState?
    var year: Int?

    struct Invalid: Error {
        let parameter: String
        let message: String
    }

    init(grant: String? = nil, state: CaseState? = nil, year: Int? = nil) {
        self.grant = grant
        self.state = state
        self.year = year
    }

    /// Reads the query; an empty value means "any", a value that cannot mean
    /// anything is refused rather than ignored (a typo would otherwise show everything).
    init(query: (String) -> String?) throws(Invalid) {
        func value(_ name: String) -> String? {
            query(name).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        grant = value("grant")
        if let grant, grant.count > 100 || !grant.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
            throw Invalid(parameter: "grant", message: "Okänt statsbidrag: \(grant.prefix(100)).")
        }
        if let text = value("state") {
            guard let state = CaseState(rawValue: text) else {
                throw Invalid(parameter: "state", message: "Okänt läge \(text.prefix(40)); välj ett av \(CaseState.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            self.state = state
        }
        if let text = value("year") {
            guard let year = Int(text), (2000...2100).contains(year) else {
                throw Invalid(parameter: "year", message: "Året ska vara ett årtal som 2020.")
            }
            self.year = year
        }
    }

    var isEmpty: Bool { grant == nil && state == nil && year == nil }

    func matches(_ record: CaseRecord, catalog: FormCatalog) -> Bool {
        if let state, record.state != state { return false }
        if let year, record.periodEnd.year != year { return false }
        if let grant, catalog[record.formID]?.definition.grant != grant { return false }
        return true
    }

    /// The grants of the published forms, for the filter's choices.
    static func grants(in catalog: FormCatalog) -> [(key: String, label: String)] {
        Set(catalog.entries.values.map(\.definition.grant)).sorted().map { key in
            let words = key.replacingOccurrences(of: "-", with: " ")
            return (key, words.prefix(1).uppercased() + words.dropFirst())
        }
    }
}
