/// Read access to what validation decided, for renderers (PDF, print views)
/// that show the form as asked: which questions are asked and the values after
/// prefill, relevance and calculation.
extension ValidationResult {
    /// Whether the answer slot at `path` (a field, a grid cell
    /// `<grid>.<row>.<column>` or a matrix row `<matrix>.<row>`) is asked.
    /// `nil` when the form has no such slot (groups, info fields, list items).
    public func isAsked(_ path: String, in definition: FormDefinition) -> Bool? {
        guard let slot = definition.slot(forPath: path), relevant.indices.contains(slot) else { return nil }
        return relevant[slot]
    }

    /// The value at `path` after prefill, relevance and calculation: typed
    /// answers, prefilled round values and computed values; `.empty` when not
    /// answered or not asked. `nil` when the form has no such slot.
    public func value(atPath path: String, in definition: FormDefinition) -> Value? {
        guard let slot = definition.slot(forPath: path), values.indices.contains(slot) else { return nil }
        return values[slot]
    }

    /// Whether `expression` (a step's or an info field's `relevant`) holds for
    /// these values; unknown counts as false, as in validation.
    public func holds(_ expression: CompiledExpression) -> Bool {
        expression.truth(in: SlotValues(values: values)) == true
    }
}
