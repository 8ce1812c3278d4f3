/// A config mapping: string keys, each once, in insertion order.
///
/// Order is kept because a config is written back in the order it was read (and params are listed in
/// that order). Setting an existing key replaces its value in place, as a Python `dict` does. Keys are
/// compared exactly, by their Unicode scalars, as Python compares them: `"é"` (U+00E9) and `"e\u{301}"`
/// are two keys, although Swift's `==` calls the strings equal.
public struct ConfigMapping: Sendable, Equatable {
    private var storage: [(key: String, value: ConfigValue)] = []
    private var index: [ExactKey: Int] = [:]

    /// An empty mapping.
    public init() {}

    /// A mapping of the given entries, in order; a repeated key replaces the earlier value in place.
    public init(_ entries: [(key: String, value: ConfigValue)]) {
        for entry in entries { set(entry.key, entry.value) }
    }

    /// The keys, in order.
    public var keys: [String] { storage.map(\.key) }

    /// The entries, in order.
    public var entries: [(key: String, value: ConfigValue)] { storage }

    /// The number of entries.
    public var count: Int { storage.count }

    /// True when there are no entries.
    public var isEmpty: Bool { storage.isEmpty }

    /// The value for a key; setting nil removes the key.
    public subscript(key: String) -> ConfigValue? {
        get { index[ExactKey(key)].map { storage[$0].value } }
        set {
            if let newValue { set(key, newValue) } else { removeValue(forKey: key) }
        }
    }

    /// Sets a key's value: replaces it in place if the key exists, else appends it.
    public mutating func set(_ key: String, _ value: ConfigValue) {
        if let position = index[ExactKey(key)] {
            storage[position].value = value
        } else {
            index[ExactKey(key)] = storage.count
            storage.append((key: key, value: value))
        }
    }

    /// Removes a key, returning its value if it was there.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> ConfigValue? {
        guard let position = index.removeValue(forKey: ExactKey(key)) else { return nil }
        let removed = storage.remove(at: position).value
        for later in position..<storage.count { index[ExactKey(storage[later].key)] = later }
        return removed
    }

    /// Equal when the same keys (compared exactly) hold equal values in the same order.
    public static func == (lhs: ConfigMapping, rhs: ConfigMapping) -> Bool {
        lhs.storage.count == rhs.storage.count
            && zip(lhs.storage, rhs.storage).allSatisfy { $0.key.utf8.elementsEqual($1.key.utf8) && $0.value == $1.value }
    }
}

/// A key compared and hashed by its UTF-8 bytes rather than by Unicode canonical equivalence.
private struct ExactKey: Hashable {
    let bytes: [UInt8]
    init(_ key: String) { bytes = Array(key.utf8) }
}

extension ConfigMapping: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }
}
