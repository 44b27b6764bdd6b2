/// The authority's decision on an application (Länsstyrelsen's beslut on a
/// PO ansökan, Socialstyrelsen's on a rekvisition): its diarienummer, date
/// and what it grants, as the values the report-back round then gives the
/// organisation, so that nobody types the granted amount twice.
public struct AuthorityGrant: Sendable, Hashable {
    public let diarienummer: Diarienummer
    public let date: LocalDate
    /// By round input id of the report-back form, stored as a round stores them.
    public let values: JSONObject

    public init(diarienummer: Diarienummer, date: LocalDate, values: JSONObject) {
        self.diarienummer = diarienummer
        self.date = date
        self.values = values
    }

    /// The stored form: `{"diarienummer","date","values"}`.
    public var json: JSONValue {
        .object(["diarienummer": .string(diarienummer.formatted), "date": .string(date.description), "values": .object(values)])
    }

    public init?(json: JSONValue) {
        guard let number = json["diarienummer"]?.stringValue.flatMap({ try? Diarienummer.parse($0).get() }),
              let date = json["date"]?.stringValue.flatMap({ LocalDate(iso: $0) }),
              let values = json["values"]?.objectValue else { return nil }
        self.init(diarienummer: number, date: date, values: values)
    }

    /// The round values it gives the report-back: the granted values, and
    /// the diarienummer where the form asks for it.
    public func roundValues(_ spec: AuthorityDecisionSpec) -> JSONObject {
        var result = values
        if let input = spec.diarienummerInput { result[input] = .string(diarienummer.formatted) }
        return result
    }
}
