/// Where answers live and what validation does with them, worked out once
/// when a form loads so that reading and validating answers (on every save)
/// never build path strings, split them or walk the form's steps.
struct SlotLayout: Sendable {
    /// Paths that hold answers below them (groups, grids, grid rows), for
    /// telling nested objects from unknown keys.
    var containerPaths: Set<String> = []
    /// Each slot's path split into its segments.
    var segments: [[String]] = []
    /// The steps, fields and rules flattened for validation.
    var validationPlan = ValidationPlan()

    init() {}

    init(_ definition: FormDefinition) {
        for slot in definition.slots {
            var parts = slot.path.split(separator: ".").map(String.init)
            segments.append(parts)
            parts.removeLast()
            while !parts.isEmpty {
                containerPaths.insert(parts.joined(separator: "."))
                parts.removeLast()
            }
        }
        validationPlan = ValidationPlan(definition)
    }
}
