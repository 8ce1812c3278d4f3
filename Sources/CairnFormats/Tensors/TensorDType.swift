/// The element types of tensor files (npy, safetensors, PyTorch checkpoints), by one name each:
/// numpy's where numpy has the type (`float32`, `int64`, `bool`), PyTorch's otherwise (`bfloat16`,
/// `float8_e4m3fn`, `float8_e5m2`).
public enum TensorDType: String, Sendable, CaseIterable, Codable {
    case bool
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case float16, bfloat16, float32, float64
    case float8E4M3 = "float8_e4m3fn"
    case float8E5M2 = "float8_e5m2"

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .bool, .int8, .uint8, .float8E4M3, .float8E5M2: 1
        case .int16, .uint16, .float16, .bfloat16: 2
        case .int32, .uint32, .float32: 4
        case .int64, .uint64, .float64: 8
        }
    }

    /// numpy's type code without the byte order (`f4`, `i8`, `b1`); nil for the types numpy does not have.
    public var npyCode: String? {
        switch self {
        case .bool: "b1"
        case .int8: "i1"
        case .int16: "i2"
        case .int32: "i4"
        case .int64: "i8"
        case .uint8: "u1"
        case .uint16: "u2"
        case .uint32: "u4"
        case .uint64: "u8"
        case .float16: "f2"
        case .float32: "f4"
        case .float64: "f8"
        case .bfloat16, .float8E4M3, .float8E5M2: nil
        }
    }

    /// Whether its values are floating point (what averaging averages).
    public var isFloatingPoint: Bool {
        switch self {
        case .float16, .bfloat16, .float32, .float64, .float8E4M3, .float8E5M2: true
        default: false
        }
    }

    /// One element, stored little-endian at `bytes`, as a Double (exact for every type but the
    /// 64-bit integers beyond 2^53).
    public func value(littleEndian bytes: UnsafeRawPointer) -> Double {
        switch self {
        case .bool: bytes.load(as: UInt8.self) != 0 ? 1 : 0
        case .int8: Double(bytes.load(as: Int8.self))
        case .uint8: Double(bytes.load(as: UInt8.self))
        case .int16: Double(Int16(littleEndian: bytes.loadUnaligned(as: Int16.self)))
        case .uint16: Double(UInt16(littleEndian: bytes.loadUnaligned(as: UInt16.self)))
        case .int32: Double(Int32(littleEndian: bytes.loadUnaligned(as: Int32.self)))
        case .uint32: Double(UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self)))
        case .int64: Double(Int64(littleEndian: bytes.loadUnaligned(as: Int64.self)))
        case .uint64: Double(UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)))
        case .float16: Double(FloatBits.half(UInt16(littleEndian: bytes.loadUnaligned(as: UInt16.self))))
        case .bfloat16: Double(Float(bitPattern: UInt32(UInt16(littleEndian: bytes.loadUnaligned(as: UInt16.self))) << 16))
        case .float32: Double(Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self))))
        case .float64: Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)))
        case .float8E4M3: FloatBits.float8E4M3(bytes.load(as: UInt8.self))
        case .float8E5M2: FloatBits.float8E5M2(bytes.load(as: UInt8.self))
        }
    }
}
