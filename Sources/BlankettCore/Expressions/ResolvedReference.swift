/// What a `${…}` (or `.`) stands for, as decided by the form loader.
public enum ResolvedReference: Sendable {
    /// One answer slot holding values of the given type.
    case slot(Int, ValueType)
    /// A wildcard (`${grid.*.kvinnor}`): these slots as a list, each of the element type.
    case slots([Int], ValueType)
    /// A value fixed when the form is loaded (`${const.arsschablon}`).
    case constant(Value)
}
