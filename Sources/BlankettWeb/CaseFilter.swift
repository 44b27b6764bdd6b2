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
    /// `exact` (the API): a value is taken as sent, and an empty one is refused
    /// like any other that means nothing, as the OpenAPI document says; the
    /// dashboard's form sends empty values for "any" and may carry spaces.
    init(query: (String) -> String?, exact: Bool = false) throws(Invalid) {
        func value(_ name: String) throws(Invalid) -> String? {
            guard let sent = query(name) else { return nil }
            if exact {
                guard !sent.isEmpty else { throw Invalid(parameter: name, message: "Parametern \(name) är tom; utelämna den för att inte filtrera.") }
                return sent
            }
            let trimmed = sent.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        grant = try value("grant")
        // A grant is a form's `grant` key: lower-case ASCII letters, digits and hyphens.
        if let grant, grant.utf8.count > 100 || !grant.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-") }) {
            throw Invalid(parameter: "grant", message: "Okänt statsbidrag: \(grant.prefix(100)).")
        }
        if let text = try value("state") {
            guard let state = CaseState(rawValue: text) else {
                throw Invalid(parameter: "state", message: "Okänt läge \(text.prefix(40)); välj ett av \(CaseState.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            self.state = state
        }
        if let text = try value("year") {
            guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let year = Int(text), (2000...2100).contains(year) else {
                throw Invalid(parameter: "year", message: "Året ska vara ett årtal som 2020.")
            }
            self.year = year
        }
    }

    var isEmpty: Bool { grant == nil && state == nil && year == nil }

    /// The filter as query parameters (`grant=…`, `state=…`, `year=…`), for
    /// the links to a next page.
    var queryParameters: [String] {
        [("grant", grant), ("state", state?.rawValue), ("year", year.map(String.init))].compactMap { name, value in
            value.map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        }
    }

    /// The same filter as a store query over `organisationIDs`: the grant
    /// becomes the ids of its form versions in the catalog.
    func query(organisationIDs: [OrganisationID], catalog: FormCatalog, after: CaseID? = nil, limit: Int? = nil, newestFirst: Bool = false) -> CaseListQuery {
        let formIDs = grant.map { grant in catalog.entries.values.filter { $0.definition.grant == grant }.map(\.definition.id).sorted() }
        return CaseListQuery(organisationIDs: organisationIDs, states: state.map { [$0] }, periodEndYear: year, formIDs: formIDs, after: after, limit: limit,
                             newestFirst: newestFirst)
    }

    /// The grants of the published forms, for the filter's choices.
    static func grants(in catalog: FormCatalog) -> [(key: String, label: String)] {
        Set(catalog.entries.values.map(\.definition.grant)).sorted().map { key in
            let words = key.replacingOccurrences(of: "-", with: " ")
            return (key, words.prefix(1).uppercased() + words.dropFirst())
        }
    }
}
