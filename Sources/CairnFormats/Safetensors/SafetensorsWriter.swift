import CairnCore

/// Writes the safetensors format: an 8-byte little-endian header length, a JSON header naming each
/// tensor's dtype, shape and byte range, padded with spaces to a multiple of 8, then the raw
/// little-endian data. This writer covers float64 and float32 tensors (what Cairn's demo saves).
public struct SafetensorsWriter: Sendable {
    public enum DType: String, Sendable {
        case f64 = "F64"
        case f32 = "F32"
        var size: Int { self == .f64 ? 8 : 4 }
    }

    private var tensors: [(name: String, dtype: DType, shape: [Int], data: [UInt8])] = []
    /// String metadata stored under `__metadata__`.
    public var metadata: [String: String] = [:]

    public init() {}

    /// Adds a tensor from float64 values in C order.
    public mutating func add(_ name: String, shape: [Int], values: [Double], as dtype: DType = .f64) {
        var data: [UInt8] = []
        data.reserveCapacity(values.count * dtype.size)
        for value in values {
            if dtype == .f64 {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 }
            } else {
                withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { data += $0 }
            }
        }
        tensors.append((name, dtype, shape, data))
    }

    /// The file's bytes. Tensors are stored in the order added.
    public func bytes() -> [UInt8] {
        var header = "{"
        var offset = 0
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(Self.json($0.key)):\(Self.json($0.value))" }
            entries.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        for tensor in tensors {
            let end = offset + tensor.data.count
            entries.append("\(Self.json(tensor.name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":["
                           + tensor.shape.map(String.init).joined(separator: ",") + "],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        header += entries.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out += $0 }
        out += headerBytes
        for tensor in tensors { out += tensor.data }
        return out
    }

    static func json(_ text: String) -> String { ConfigJSON.string(.string(text)) }
}

