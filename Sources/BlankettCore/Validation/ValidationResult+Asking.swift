extension ValidationResult {
    /// Whether the question at `path` is asked with these answers (its own
    /// relevance and its parents'); paths without an answer slot count as asked.
    public func asks(_ path: String, in definition: FormDefinition) -> Bool {
        guard let slot = definition.slot(forPath: path) else { return true }
        return relevant[slot]
    }

    /// The engine's value at `path` after prefill and calculation (what a
    /// read-only field shows).
    public func engineValue(atPath path: String, in definition: FormDefinition) -> Value? {
        definition.slot(forPath: path).map { values[$0] }
    }
}
