/// What validation needs besides the answers: the case's period and the grant
/// round's prefilled values. Passed in, never read from a clock.
public struct ValidationContext: Sendable {
    public var periodStart: LocalDate?
    public var periodEnd: LocalDate?
    /// Round input values by id (`beviljat_belopp`), as JSON numbers or strings.
    public var roundInputs: [String: JSONValue]
    /// The round's last day for the form, `${round.deadline}`.
    public var deadline: LocalDate?

    public init(periodStart: LocalDate? = nil, periodEnd: LocalDate? = nil, roundInputs: [String: JSONValue] = [:], deadline: LocalDate? = nil) {
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.roundInputs = roundInputs
        self.deadline = deadline
    }

    /// A round as a JSON file describes it (the fixtures, the benchmarks):
    /// `{"inputs": {…}, "period": {"start", "end"}, "deadline"}`, each optional.
    public init(round: JSONValue) {
        func date(_ value: JSONValue?) -> LocalDate? { value?.stringValue.flatMap { LocalDate(iso: $0) } }
        self.init(periodStart: date(round["period"]?["start"]), periodEnd: date(round["period"]?["end"]),
                  roundInputs: Dictionary(uniqueKeysWithValues: (round["inputs"]?.objectValue ?? JSONObject()).map { ($0.key, $0.value) }),
                  deadline: date(round["deadline"]))
    }

    /// The calendar year `year`.
    public static func calendarYear(_ year: Int, roundInputs: [String: JSONValue] = [:]) -> ValidationContext {
        ValidationContext(periodStart: LocalDate(year: year, month: 1, day: 1),
                          periodEnd: LocalDate(year: year, month: 12, day: 31), roundInputs: roundInputs)
    }
}
