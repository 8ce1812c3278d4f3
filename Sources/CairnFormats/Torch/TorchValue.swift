/// What a PyTorch checkpoint's pickle holds, as a tree Cairn can show. Nothing in it was executed or
/// imported: a global Cairn does not know is an ``object(_:_:)`` naming it, with the arguments it was
/// called with (tensors among them are still tensors).
public indirect enum TorchValue: Sendable, Equatable {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer wider than 64 bits, by its byte count.
    case bigInt(bytes: Int)
    case float(Double)
    case string(String)
    /// A bytes object, by its length.
    case bytes(count: Int)
    case list([TorchValue])
    case tuple([TorchValue])
    case set([TorchValue])
    /// A dict, its items in insertion order; `ordered` for a `collections.OrderedDict`.
    case dict([Item], ordered: Bool)
    case tensor(TorchTensor)
    /// A reference to a global (`torch.float32`), by its dotted name.
    case global(String)
    /// An object made by a global Cairn does not know: its name, then its arguments and state.
    case object(String, [TorchValue])

    /// One item of a dict.
    public struct Item: Sendable, Equatable {
        public var key: TorchValue
        public var value: TorchValue
        public init(key: TorchValue, value: TorchValue) {
            self.key = key
            self.value = value
        }
    }

    /// The name of its kind, as Python's `type(x).__name__` would give it (`dict`, `OrderedDict`,
    /// `tensor` for tensors, the global's name for objects).
    public var typeName: String {
        switch self {
        case .none: "none"
        case .bool: "bool"
        case .int, .bigInt: "int"
        case .float: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .list: "list"
        case .tuple: "tuple"
        case .set: "set"
        case .dict(_, let ordered): ordered ? "OrderedDict" : "dict"
        case .tensor: "tensor"
        case .global: "global"
        case .object(let name, _): name
        }
    }

    /// Its children with the key or index that reaches each.
    public var children: [(key: TorchPathComponent, value: TorchValue)] {
        switch self {
        case .list(let items), .tuple(let items), .set(let items), .object(_, let items):
            items.enumerated().map { (TorchPathComponent.index($0.offset), $0.element) }
        case .dict(let items, _):
            items.map { (TorchPathComponent(key: $0.key), $0.value) }
        default: []
        }
    }

    /// Every node in pre-order, each with its path from the root (the root's path is empty).
    public var entries: [(path: [TorchPathComponent], value: TorchValue)] {
        var result: [(path: [TorchPathComponent], value: TorchValue)] = []
        func visit(_ value: TorchValue, _ path: [TorchPathComponent]) {
            result.append((path, value))
            for (key, child) in value.children { visit(child, path + [key]) }
        }
        visit(self, [])
        return result
    }

    /// The tensors under it, named by their paths joined with dots (`model.0.weight`), in pre-order.
    public var tensors: [(name: String, tensor: TorchTensor)] {
        entries.compactMap { entry in
            guard case .tensor(let tensor) = entry.value else { return nil }
            return (entry.path.map(\.description).joined(separator: "."), tensor)
        }
    }

    /// The value at `key` of a dict, or nil.
    public subscript(key: String) -> TorchValue? {
        guard case .dict(let items, _) = self else { return nil }
        return items.last { $0.key == .string(key) }?.value
    }
}
