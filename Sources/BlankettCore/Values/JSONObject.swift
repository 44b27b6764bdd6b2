/// The members of a JSON object: unique keys in the order they were read or
/// added, with lookup by key.
///
/// Order is kept for output (`JSONValue.serialized()` writes keys in stored
/// order) but does not take part in equality: two objects are equal when they
/// have the same keys with equal values, in any order, as JSON means it.
/// Keys compare as Swift strings, i.e. by canonical equivalence (`"é"`
/// precomposed equals `"e\u{301}"`).
public struct JSONObject: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: JSONValue)
    public typealias Index = Int

    private var storedKeys: [String] = []
    private var storedValues: [JSONValue] = []
    /// Key → position, kept only for objects of more than `indexedFrom`
    /// members: a form's answers are mostly objects of a few keys, where
    /// comparing keys in turn is cheaper than hashing each one.
    private var positions: [String: Int]?
    static let indexedFrom = 12

    public init() {}

    /// An object with these members in this order; a repeated key is a
    /// programming error (as for `Dictionary(uniqueKeysWithValues:)`).
    public init(uniqueKeysWithValues members: some Sequence<(String, JSONValue)>) {
        for (key, value) in members {
            let added = insertNew(key, value)
            precondition(added, "duplicate key in JSONObject")
        }
    }

    /// Members whose keys are known to be unique (the parser checks them as
    /// it reads), with their positions when the parser indexed them.
    init(uniqueKeys keys: [String], values: [JSONValue], positions: [String: Int]?) {
        storedKeys = keys
        storedValues = values
        if keys.count > Self.indexedFrom {
            self.positions = positions ?? Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        }
    }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(uniqueKeysWithValues: elements)
    }

    // MARK: Collection of (key, value) in order

    public var startIndex: Int { 0 }
    public var endIndex: Int { storedKeys.count }

    public subscript(position: Int) -> Element {
        (storedKeys[position], storedValues[position])
    }

    /// The keys in stored order.
    public var keys: [String] { storedKeys }

    /// The values in stored order.
    public var values: [JSONValue] { storedValues }

    // MARK: Lookup and change by key

    /// The value for `key`, or `nil`. Setting a new key appends it; setting an
    /// existing key replaces its value in place; setting `nil` removes it.
    public subscript(key: String) -> JSONValue? {
        get { index(forKey: key).map { storedValues[$0] } }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    public func index(forKey key: String) -> Int? {
        if let positions { return positions[key] }
        return storedKeys.firstIndex(of: key)
    }

    /// Replaces the value of `key` in place or appends `key`; returns the old value.
    @discardableResult
    public mutating func updateValue(_ value: JSONValue, forKey key: String) -> JSONValue? {
        if let position = index(forKey: key) {
            let old = storedValues[position]
            storedValues[position] = value
            return old
        }
        insertNew(key, value)
        return nil
    }

    /// Removes `key`, keeping the order of the others; returns the old value.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let position = index(forKey: key) else { return nil }
        storedKeys.remove(at: position)
        let old = storedValues.remove(at: position)
        if positions != nil {
            positions![key] = nil
            for index in position..<storedKeys.count { positions![storedKeys[index]] = index }
        }
        return old
    }

    /// Appends a key that is not there yet; `false` (and no change) if it is.
    @discardableResult
    mutating func insertNew(_ key: String, _ value: JSONValue) -> Bool {
        guard index(forKey: key) == nil else { return false }
        if positions != nil {
            positions![key] = storedKeys.count
        } else if storedKeys.count + 1 > Self.indexedFrom {
            positions = Dictionary(uniqueKeysWithValues: storedKeys.enumerated().map { ($1, $0) })
            positions![key] = storedKeys.count
        }
        storedKeys.append(key)
        storedValues.append(value)
        return true
    }

    // MARK: Equality regardless of order

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs {
            guard rhs[key] == value else { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        // Combine members commutatively so that order does not matter.
        var combined = 0
        for (key, value) in self {
            var memberHasher = Hasher()
            memberHasher.combine(key)
            memberHasher.combine(value)
            combined &+= memberHasher.finalize()
        }
        hasher.combine(combined)
    }
}
