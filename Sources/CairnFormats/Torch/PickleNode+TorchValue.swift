import CairnCore

extension PickleNode {
    /// Deepest nesting a checkpoint may have.
    static let maximumDepth = 500

    /// The tree this node is the root of. A node reached again below itself (a list holding itself) is
    /// shown as an object named `<recursive reference>`; shared nodes are shown where each is reached, up
    /// to `budget` values in all, so that a few bytes of references cannot expand into an endless tree.
    /// - Throws: `CairnError` of kind `.corrupt` when the tree nests deeper than ``maximumDepth`` or
    ///   expands beyond `budget` values.
    func torchValue(budget: Int) throws(CairnError) -> TorchValue {
        var remaining = budget
        var path: Set<ObjectIdentifier> = []
        return try torchValue(depth: 0, path: &path, remaining: &remaining)
    }

    private func torchValue(depth: Int, path: inout Set<ObjectIdentifier>, remaining: inout Int) throws(CairnError) -> TorchValue {
        remaining -= 1
        guard remaining >= 0 else {
            throw CairnError(.corrupt, "the checkpoint's pickle expands into more values than its size allows",
                             hint: "the file is damaged or hostile; it is not what torch.save writes")
        }
        guard depth < Self.maximumDepth else {
            throw CairnError(.corrupt, "the checkpoint's pickle nests deeper than \(Self.maximumDepth) levels",
                             hint: "the file is damaged or hostile; it is not what torch.save writes")
        }
        let identity = ObjectIdentifier(self)
        guard path.insert(identity).inserted else { return .object("<recursive reference>", []) }
        defer { path.remove(identity) }
        func children(_ nodes: [PickleNode]) throws(CairnError) -> [TorchValue] {
            var values: [TorchValue] = []
            values.reserveCapacity(nodes.count)
            for node in nodes { values.append(try node.torchValue(depth: depth + 1, path: &path, remaining: &remaining)) }
            return values
        }
        switch kind {
        case .none: return .none
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .int(number)
        case .bigInt(let count): return .bigInt(bytes: count)
        case .float(let number): return .float(number)
        case .string(let text): return .string(text)
        case .bytes(let count): return .bytes(count: count)
        case .list: return .list(try children(items))
        case .tuple: return .tuple(try children(items))
        case .set: return .set(try children(items))
        case .dict(let ordered):
            let keyValues = try children(keys), valueValues = try children(values)
            return .dict(zip(keyValues, valueValues).map { TorchValue.Item(key: $0, value: $1) }, ordered: ordered)
        case .global(let name): return .global(name)
        case .storage(let type, let key, let location, let numel):
            return .object(type, [.string(key), .string(location), .int(numel)])
        case .tensor(let tensor): return .tensor(tensor)
        case .opaque(let name): return .object(name, try children(items))
        }
    }
}
