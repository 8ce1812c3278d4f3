import CairnCore

extension SafetensorsWriter {
    /// A tensor to be written, known before its bytes are: what the header needs.
    public struct Planned: Sendable, Equatable {
        public var name: String
        public var dtype: TensorDType
        public var shape: [Int]

        public init(name: String, dtype: TensorDType, shape: [Int]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
        }
    }

    /// A file planned before its data is written: the header, and the order of the tensors' bytes after
    /// it, so that a writer can stream a large file (header first, then each tensor as it is computed)
    /// without holding it in memory. ``bytes()`` builds its files from the same plan.
    public struct Plan: Sendable, Equatable {
        /// The 8-byte length and the padded JSON header: the file's first bytes.
        public var header: [UInt8]
        /// Indices into the planned tensors, in the order their bytes follow the header.
        public var order: [Int]
        /// The size of each planned tensor's bytes, by the planned tensor's index.
        public var byteCounts: [Int]
        /// The bytes after the header.
        public var dataByteCount: Int { byteCounts.reduce(0, +) }
        /// The whole file's size.
        public var fileByteCount: Int { header.count + dataByteCount }
    }

    /// Plans a file: the header for these tensors, data in the format's order (dtype alignment, largest
    /// first, then name), as the reference implementation writes it.
    /// - Parameters:
    ///   - tensors: the tensors, in any order.
    ///   - metadata: string metadata for `__metadata__` (left out when empty).
    /// - Returns: the header bytes and the order in which the tensors' bytes must follow.
    /// - Throws: `CairnError` of kind `.invalidValue` when a name is empty, `__metadata__` or given twice,
    ///   or a shape has a negative dimension or too many elements.
    public static func plan(_ tensors: [Planned], metadata: [String: String] = [:]) throws(CairnError) -> Plan {
        var names = Set<String>()
        var byteCounts: [Int] = []
        byteCounts.reserveCapacity(tensors.count)
        for tensor in tensors {
            guard !tensor.name.isEmpty, tensor.name != "__metadata__", names.insert(tensor.name).inserted else {
                throw CairnError(.invalidValue, "a safetensors tensor cannot be named '\(tensor.name)'" + (tensor.name.isEmpty ? "" : ": the name is taken"),
                                 hint: "give each tensor its own non-empty name")
            }
            var count = 1
            for dimension in tensor.shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                guard dimension >= 0, !overflow else {
                    throw CairnError(.invalidValue, "the shape \(tensor.shape) of '\(tensor.name)' cannot be a tensor's", hint: "give non-negative dimensions")
                }
                count = product
            }
            guard let byteCount = tensor.dtype.byteCount(of: count) else {
                throw CairnError(.invalidValue, "'\(tensor.name)' has \(count) \(tensor.dtype.rawValue) elements, which do not fill whole bytes",
                                 hint: "give a shape whose elements fill whole bytes")
            }
            byteCounts.append(byteCount)
        }
        let order = tensors.indices.sorted { a, b in
            let (x, y) = (SafetensorsDTypes.rank[tensors[a].dtype] ?? 0, SafetensorsDTypes.rank[tensors[b].dtype] ?? 0)
            return x != y ? x > y : tensors[a].name < tensors[b].name
        }
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(json($0.key)):\(json($0.value))" }
            entries.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for index in order {
            let tensor = tensors[index]
            let end = offset + byteCounts[index]
            entries.append("\(json(tensor.name)):{\"dtype\":\"\(SafetensorsDTypes.code[tensor.dtype]!)\",\"shape\":["
                           + tensor.shape.map(String.init).joined(separator: ",") + "],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var headerBytes = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var header: [UInt8] = []
        header.reserveCapacity(8 + headerBytes.count)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { header += $0 }
        header += headerBytes
        return Plan(header: header, order: order, byteCounts: byteCounts)
    }
}
