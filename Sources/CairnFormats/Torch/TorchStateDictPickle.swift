/// The pickle (`data.pkl`) of a flat state dict, as `torch.save` writes one with protocol 2: an
/// `OrderedDict` whose values are `_rebuild_tensor_v2(storage, 0, size, stride, False, OrderedDict())`
/// calls on typed storages (`_rebuild_tensor_v3` on an untyped storage, with the dtype after, for the
/// types torch saves that way), the storage `i` of tensor `i` named by a persistent id
/// `('storage', class, 'i', 'cpu', numel)`.
enum TorchStateDictPickle {
    /// The pickle's bytes.
    /// - Parameter tensors: names, dtypes (each with a torch name) and shapes, in order.
    static func bytes(_ tensors: [(name: String, dtype: TensorDType, shape: [Int])]) -> [UInt8] {
        var out: [UInt8] = [0x80, 0x02]
        var memo: [String: Int] = [:]
        func global(_ module: String, _ name: String) {
            let key = module + "\n" + name
            if let index = memo[key] {
                get(index, into: &out)
                return
            }
            out.append(UInt8(ascii: "c"))
            out += Array(key.utf8) + [0x0A]
            memo[key] = memo.count
            put(memo.count - 1, into: &out)
        }
        global("collections", "OrderedDict")
        out += [UInt8(ascii: ")"), UInt8(ascii: "R")]
        out.append(UInt8(ascii: "("))                                // MARK for SETITEMS
        for (index, tensor) in tensors.enumerated() {
            let count = tensor.shape.reduce(1, *)
            let storageClass = TorchTypes.storageClass(of: tensor.dtype)
            unicode(tensor.name, into: &out)
            global("torch._utils", storageClass == nil ? "_rebuild_tensor_v3" : "_rebuild_tensor_v2")
            out.append(UInt8(ascii: "("))                            // MARK for the arguments
            // The persistent id of the tensor's storage.
            out.append(UInt8(ascii: "("))
            unicode("storage", into: &out)
            if let storageClass {
                let parts = storageClass.split(separator: ".")
                global(String(parts[0]), String(parts[1]))
            } else {
                global("torch.storage", "UntypedStorage")
            }
            unicode(String(index), into: &out)
            unicode("cpu", into: &out)
            integer(storageClass == nil ? tensor.dtype.byteCount(of: count) ?? 0 : count, into: &out)
            out += [UInt8(ascii: "t"), UInt8(ascii: "Q")]            // TUPLE, BINPERSID
            integer(0, into: &out)                                   // storage offset
            tuple(tensor.shape, into: &out)
            tuple(contiguousStride(tensor.shape), into: &out)
            out.append(0x89)                                         // requires_grad = False
            global("collections", "OrderedDict")
            out += [UInt8(ascii: ")"), UInt8(ascii: "R")]            // backward hooks
            if storageClass == nil {
                global("torch", TorchTypes.torchName(of: tensor.dtype) ?? tensor.dtype.rawValue)
            }
            out += [UInt8(ascii: "t"), UInt8(ascii: "R")]
        }
        out.append(UInt8(ascii: "u"))                                // SETITEMS
        out.append(UInt8(ascii: "."))
        return out
    }

    /// C-order strides of a shape, in elements.
    static func contiguousStride(_ shape: [Int]) -> [Int] {
        var stride = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in shape.indices.reversed() {
            stride[axis] = step
            step *= max(shape[axis], 1)
        }
        return stride
    }

    private static func put(_ index: Int, into out: inout [UInt8]) {
        if index < 256 {
            out += [UInt8(ascii: "q"), UInt8(index)]
        } else {
            out.append(UInt8(ascii: "r"))
            out.appendLittleEndian(UInt32(index))
        }
    }

    private static func get(_ index: Int, into out: inout [UInt8]) {
        if index < 256 {
            out += [UInt8(ascii: "h"), UInt8(index)]
        } else {
            out.append(UInt8(ascii: "j"))
            out.appendLittleEndian(UInt32(index))
        }
    }

    private static func unicode(_ text: String, into out: inout [UInt8]) {
        let utf8 = Array(text.utf8)
        out.append(UInt8(ascii: "X"))
        out.appendLittleEndian(UInt32(utf8.count))
        out += utf8
    }

    /// The smallest integer opcode that holds `value`, as pickle chooses it.
    private static func integer(_ value: Int, into out: inout [UInt8]) {
        if value >= 0 && value < 256 {
            out += [UInt8(ascii: "K"), UInt8(value)]
        } else if value >= 0 && value < 65536 {
            out.append(UInt8(ascii: "M"))
            out.appendLittleEndian(UInt16(value))
        } else if value >= Int(Int32.min) && value <= Int(Int32.max) {
            out.append(UInt8(ascii: "J"))
            out.appendLittleEndian(Int32(value))
        } else {
            // LONG1: the fewest little-endian two's-complement bytes.
            var bytes: [UInt8] = []
            withUnsafeBytes(of: Int64(value).littleEndian) { bytes += $0 }
            while bytes.count > 1, (bytes[bytes.count - 1] == 0 && bytes[bytes.count - 2] & 0x80 == 0)
                    || (bytes[bytes.count - 1] == 0xFF && bytes[bytes.count - 2] & 0x80 != 0) {
                bytes.removeLast()
            }
            out += [0x8A, UInt8(bytes.count)] + bytes
        }
    }

    private static func tuple(_ values: [Int], into out: inout [UInt8]) {
        switch values.count {
        case 0: out.append(UInt8(ascii: ")"))
        case 1...3:
            for value in values { integer(value, into: &out) }
            out.append(0x84 + UInt8(values.count))
        default:
            out.append(UInt8(ascii: "("))
            for value in values { integer(value, into: &out) }
            out.append(UInt8(ascii: "t"))
        }
    }
}
