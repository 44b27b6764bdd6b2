/// One `${path}` or `.` in an expression.
public struct ReferenceSyntax: Sendable, Hashable {
    /// The text inside `${…}`, e.g. `klienter.nya.18-29.kvinnor`,
    /// `const.arsschablon`, `anstallda.*.kvinnor`; `.` for the self reference.
    public let path: String
    /// Column of the `$` (or of the `.`), 0-based, in `Character`s.
    public let offset: Int
    /// `.`: the value of the field that owns the expression.
    public let isSelf: Bool

    public init(path: String, offset: Int, isSelf: Bool) {
        self.path = path
        self.offset = offset
        self.isSelf = isSelf
    }

    /// Characters the reference spans in the source (`${a}` is 4, `.` is 1).
    public var length: Int { isSelf ? 1 : path.count + 3 }
}
