/// What a `${…}` (or `.`) stands for, as decided by the form loader.
public enum ResolvedReference: Sendable {
    /// One answer slot holding values of the given type.
    case slot(Int, ValueType)
    /// A wildcard (`${grid.*.kvinnor}`): these slots as a list, each of the element type.
    case slots([Int], ValueType)
    /// `${list.*.field}`: one field of every item of the list in `slot`, as a
    /// list of the field's type. `field` is the field's position among the
    /// item's fields; `nil` for a list of simple values (`${list.*}`).
    case items(slot: Int, field: Int?, ValueType)
    /// `${list.N.field}`: one field of the item at `index` (0-based), empty
    /// when the list has no such item. `field` as for `items`.
    case item(slot: Int, index: Int, field: Int?, ValueType)
    /// A value fixed when the form is loaded (`${const.arsschablon}`).
    case constant(Value)
}
