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
        // The names, shapes and sizes were checked as the tensors were added: planning cannot fail.
        guard let plan = try? Self.plan(tensors.map { Planned(name: $0.name, dtype: $0.dtype, shape: $0.shape) }, metadata: metadata) else {
            preconditionFailure("tensors added to a SafetensorsWriter were checked")
        }
        var out: [UInt8] = []
        out.reserveCapacity(plan.header.count + plan.dataByteCount)
        out += plan.header
        for index in plan.order { out += tensors[index].data }
        return out
    }

    static func json(_ text: String) -> String { ConfigJSON.string(.string(text)) }
}
