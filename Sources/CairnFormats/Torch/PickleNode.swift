/// A value on the stack of ``PickleMachine``. Containers are objects, as in Python: a dict put in the
/// memo and filled afterwards is the same dict when the memo gives it back.
final class PickleNode {
    enum Kind {
        case none
        case bool(Bool)
        case int(Int)
        /// An integer wider than 64 bits: its byte count only.
        case bigInt(bytes: Int)
        case float(Double)
        case string(String)
        /// A bytes object, by its length.
        case bytes(count: Int)
        case list
        case tuple
        case set
        case dict(ordered: Bool)
        /// A reference to `module.name`, never imported.
        case global(String)
        /// A storage named by a persistent id: `('storage', type, key, location, numel)`.
        case storage(type: String, key: String, location: String, numel: Int)
        case tensor(TorchTensor)
        /// What calling (or instantiating, or building) a global Cairn does not know made.
        case opaque(String)
    }

    var kind: Kind
    /// Items of a list, tuple or set; arguments (then state) of an opaque object.
    var items: [PickleNode] = []
    /// Keys of a dict, beside ``values``.
    var keys: [PickleNode] = []
    var values: [PickleNode] = []

    init(_ kind: Kind, items: [PickleNode] = []) {
        self.kind = kind
        self.items = items
    }

    var string: String? { if case .string(let s) = kind { s } else { nil } }
    var int: Int? { if case .int(let i) = kind { i } else { nil } }
    var bool: Bool? { if case .bool(let b) = kind { b } else { nil } }
    var globalName: String? { if case .global(let g) = kind { g } else { nil } }
    var isTuple: Bool { if case .tuple = kind { true } else { false } }

    /// The integers of a tuple (a shape or strides), or nil when it is not a tuple of integers.
    var intTuple: [Int]? {
        guard isTuple else { return nil }
        var result: [Int] = []
        for item in items {
            guard let value = item.int else { return nil }
            result.append(value)
        }
        return result
    }
}
