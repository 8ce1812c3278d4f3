import CairnCore

/// What ``PickleMachine`` makes of calls: the few torch functions that rebuild tensors and parameters,
/// `collections.OrderedDict` and `_codecs.encode` give the values they would give in Python; every
/// other call, instantiation or build makes an opaque object naming the global, holding its arguments.
enum PickleCalls {
    static let rebuildTensor = "torch._utils._rebuild_tensor"
    static let rebuildTensorV2 = "torch._utils._rebuild_tensor_v2"
    static let rebuildTensorV3 = "torch._utils._rebuild_tensor_v3"

    /// `callable(*arguments)`, by REDUCE.
    static func call(_ callable: PickleNode, _ arguments: PickleNode, at offset: Int) throws(CairnError) -> PickleNode {
        guard let name = callable.globalName else {
            return PickleNode(.opaque("call"), items: [callable] + arguments.items)
        }
        let args = arguments.isTuple ? arguments.items : [arguments]
        switch name {
        case "collections.OrderedDict":
            return PickleNode(.dict(ordered: true))
        case rebuildTensor, rebuildTensorV2, rebuildTensorV3:
            return PickleNode(.tensor(try tensor(name, args, at: offset)))
        case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state":
            guard let first = args.first, case .tensor(var tensor) = first.kind else {
                throw PickleMachine.damaged("\(name) is called without a tensor", at: offset)
            }
            tensor.isParameter = true
            tensor.requiresGrad = args.count > 1 ? args[1].bool ?? false : false
            return PickleNode(.tensor(tensor))
        case "_codecs.encode":
            // How protocol 2 pickles bytes: encode(text, 'latin1').
            guard let text = args.first?.string else { break }
            return PickleNode(.bytes(count: text.unicodeScalars.count))
        default: break
        }
        return PickleNode(.opaque(name), items: args)
    }

    /// `type.__new__(type, *arguments)`, by NEWOBJ.
    static func instance(of type: PickleNode, _ arguments: PickleNode) -> PickleNode {
        PickleNode(.opaque(type.globalName ?? "object"), items: arguments.isTuple ? arguments.items : [arguments])
    }

    /// `object.__setstate__(state)`, by BUILD: kept as the object's last item when it is opaque; the
    /// `_metadata` torch gives state dicts and the state of a rebuilt tensor are not values to show.
    static func build(_ object: PickleNode, with state: PickleNode) {
        if case .opaque = object.kind { object.items.append(state) }
    }

    /// A persistent id: `('storage', storage class, key, location, numel)` names a storage of the
    /// archive; any other id is opaque.
    static func persistent(_ id: PickleNode, at offset: Int) throws(CairnError) -> PickleNode {
        guard id.isTuple, id.items.first?.string == "storage" else {
            return PickleNode(.opaque("persistent id"), items: id.isTuple ? id.items : [id])
        }
        let items = id.items
        guard items.count >= 5, let type = items[1].globalName, let key = items[2].string, let location = items[3].string,
              let numel = items[4].int, numel >= 0 else {
            throw PickleMachine.damaged("a storage's persistent id is not ('storage', class, key, location, numel)", at: offset)
        }
        return PickleNode(.storage(type: type, key: key, location: location, numel: numel))
    }

    /// The tensor `_rebuild_tensor[_v2|_v3](storage, storage_offset, size, stride, …)` makes; v3 names its
    /// dtype in its 7th argument (its storage is untyped).
    private static func tensor(_ function: String, _ args: [PickleNode], at offset: Int) throws(CairnError) -> TorchTensor {
        func malformed(_ what: String) -> CairnError {
            PickleMachine.damaged("a tensor's \(function.split(separator: ".").last!) call has \(what)", at: offset)
        }
        guard args.count >= 4, case .storage(let type, let key, let location, let numel) = args[0].kind else {
            throw malformed("no storage as its first argument")
        }
        guard let storageOffset = args[1].int, storageOffset >= 0 else { throw malformed("a storage offset that is not a count") }
        guard let shape = args[2].intTuple, shape.allSatisfy({ $0 >= 0 }) else { throw malformed("a size that is not a tuple of counts") }
        guard let stride = args[3].intTuple, stride.count == shape.count, stride.allSatisfy({ $0 >= 0 }) else {
            throw malformed("strides that do not match its size")
        }
        var dtypeName: String
        var itemSize: Int?
        if function == rebuildTensorV3 {
            guard args.count >= 7, let dtype = args[6].globalName, dtype.hasPrefix("torch.") else { throw malformed("no dtype") }
            dtypeName = String(dtype.dropFirst(6))
            itemSize = TorchTypes.dtypes[dtypeName]?.itemSize ?? TorchTypes.otherItemSizes[dtypeName]
        } else if let known = TorchTypes.storageClasses[type] {
            (dtypeName, itemSize) = (known.name, known.itemSize)
        } else {
            (dtypeName, itemSize) = (type, nil)
        }
        let dtype = TorchTypes.dtypes[dtypeName]
        if let dtype { dtypeName = dtype.rawValue }
        // The last element must lie inside the storage (counted in elements, or bytes when untyped).
        var elements = 1
        var last = storageOffset
        for (size, step) in zip(shape, stride) {
            let (product, overflow) = elements.multipliedReportingOverflow(by: size)
            guard !overflow else { throw malformed("a size \(shape) whose element count overflows") }
            elements = product
            if size > 0 {
                let (reach, overflowStep) = (size - 1).multipliedReportingOverflow(by: step)
                let (sum, overflowSum) = last.addingReportingOverflow(reach)
                guard !overflowStep, !overflowSum else { throw malformed("strides that reach past any storage") }
                last = sum
            }
        }
        if elements > 0, let itemSize {
            let storageElements = type == TorchTypes.untypedStorage ? numel / itemSize : numel
            guard last < storageElements else {
                throw malformed("elements up to \(last), beyond its storage '\(key)' of \(storageElements)")
            }
        }
        let requiresGrad = args.count > 4 ? args[4].bool ?? false : false
        return TorchTensor(dtype: dtype, dtypeName: dtypeName, itemSize: itemSize, shape: shape, stride: stride, storageOffset: storageOffset,
                           storageKey: key, storageType: type, location: location, storageNumel: numel,
                           requiresGrad: requiresGrad, isParameter: false, rebuild: String(function.split(separator: ".").last!))
    }
}
