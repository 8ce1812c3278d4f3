import CairnCore

/// Writes the safetensors format as the reference implementation (`serialize` in huggingface/safetensors)
/// does: an 8-byte little-endian header length, a compact JSON header (`__metadata__` first, then each
/// tensor's dtype, shape and data_offsets in the order of the data), padded with spaces to a multiple of
/// 8, then the tensors' little-endian C-order bytes back to back, sorted by dtype (largest alignment
/// first, the format's own order) and then by name. Every dtype of the format.
public struct SafetensorsWriter: Sendable {
    private var tensors: [(name: String, dtype: TensorDType, shape: [Int], data: [UInt8])] = []
    /// String metadata stored under `__metadata__`.
    public var metadata: [String: String] = [:]

    public init() {}

    /// Adds a tensor from its elements' bytes: little-endian, C order.
    /// - Throws: `CairnError` of kind `.invalidValue` when the bytes are not what `shape` and `dtype`
    ///   take, or the name is empty, `__metadata__` or already added.
    public mutating func add(_ name: String, dtype: TensorDType, shape: [Int], littleEndian data: [UInt8]) throws(CairnError) {
        guard !name.isEmpty, name != "__metadata__", !tensors.contains(where: { $0.name == name }) else {
            throw CairnError(.invalidValue, "a safetensors tensor cannot be named '\(name)'" + (name.isEmpty ? "" : ": the name is taken"),
                             hint: "give each tensor its own non-empty name")
        }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow else {
                throw CairnError(.invalidValue, "the shape \(shape) of '\(name)' cannot be a tensor's", hint: "give non-negative dimensions")
            }
            count = product
        }
        guard dtype.byteCount(of: count) == data.count else {
            throw CairnError(.invalidValue, "'\(name)' has \(data.count) bytes, not what \(count) \(dtype.rawValue) elements take",
                             hint: "give every element, little-endian, in C order")
        }
        tensors.append((name, dtype, shape, data))
    }

    /// Adds a float32 or float64 tensor from Double values in C order (other types: ``add(_:dtype:shape:littleEndian:)``).
    public mutating func add(_ name: String, shape: [Int], values: [Double], as dtype: TensorDType = .float64) {
        precondition(dtype == .float32 || dtype == .float64, "values are written as float32 or float64")
        var data: [UInt8] = []
        data.reserveCapacity(values.count * dtype.itemSize)
        for value in values {
            if dtype == .float64 {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 }
            } else {
                withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { data += $0 }
            }
        }
        tensors.append((name, dtype, shape, data))
    }

    /// The file's bytes.
    public func bytes() -> [UInt8] {
        let ordered = tensors.sorted { a, b in
            let (x, y) = (SafetensorsDTypes.rank[a.dtype] ?? 0, SafetensorsDTypes.rank[b.dtype] ?? 0)
            return x != y ? x > y : a.name < b.name
        }
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(Self.json($0.key)):\(Self.json($0.value))" }
            entries.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var offset = 0
        for tensor in ordered {
            let end = offset + tensor.data.count
            entries.append("\(Self.json(tensor.name)):{\"dtype\":\"\(SafetensorsDTypes.code[tensor.dtype]!)\",\"shape\":["
                           + tensor.shape.map(String.init).joined(separator: ",") + "],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var headerBytes = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out += $0 }
        out += headerBytes
        for tensor in ordered { out += tensor.data }
        return out
    }

    static func json(_ text: String) -> String { ConfigJSON.string(.string(text)) }
}
