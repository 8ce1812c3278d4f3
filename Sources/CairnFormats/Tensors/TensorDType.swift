/// The element types of tensor files (npy, safetensors, PyTorch checkpoints), by one name each:
/// numpy's where numpy has the type (`float32`, `int64`, `bool`, `complex64`), PyTorch's otherwise
/// (`bfloat16`, `float8_e4m3fn`, `float8_e5m2`, …).
public enum TensorDType: String, Sendable, CaseIterable, Codable {
    case bool
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case float16, bfloat16, float32, float64
    case complex64
    case float8E4M3 = "float8_e4m3fn"
    case float8E5M2 = "float8_e5m2"
    case float8E4M3FNUZ = "float8_e4m3fnuz"
    case float8E5M2FNUZ = "float8_e5m2fnuz"
    case float8E8M0 = "float8_e8m0fnu"
    /// Packed sub-byte types (safetensors' F4, F6_E2M3, F6_E3M2): their bits are counted, not their bytes.
    case float4E2M1 = "float4_e2m1fn"
    case float6E2M3 = "float6_e2m3fn"
    case float6E3M2 = "float6_e3m2fn"

    /// Bits per element.
    public var bits: Int {
        switch self {
        case .float4E2M1: 4
        case .float6E2M3, .float6E3M2: 6
        case .bool, .int8, .uint8, .float8E4M3, .float8E5M2, .float8E4M3FNUZ, .float8E5M2FNUZ, .float8E8M0: 8
        case .int16, .uint16, .float16, .bfloat16: 16
        case .int32, .uint32, .float32: 32
        case .int64, .uint64, .float64, .complex64: 64
        }
    }

    /// Bytes per element (1 for the packed sub-byte types, whose elements share bytes: use ``bits``).
    public var itemSize: Int { max(1, bits / 8) }

    /// The bytes that change places when the byte order does: the element, or each half of a complex.
    public var byteOrderUnit: Int { self == .complex64 ? 4 : itemSize }

    /// The bytes `count` elements take, or nil when that overflows or, for the packed types, does not end
    /// on a byte boundary.
    public func byteCount(of count: Int) -> Int? {
        let (totalBits, overflow) = count.multipliedReportingOverflow(by: bits)
        guard !overflow, totalBits % 8 == 0 else { return nil }
        return totalBits / 8
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
        case .complex64: "c8"
        case .bfloat16, .float8E4M3, .float8E5M2, .float8E4M3FNUZ, .float8E5M2FNUZ, .float8E8M0, .float4E2M1, .float6E2M3, .float6E3M2: nil
        }
    }

    /// Whether its values are floating point (what averaging averages).
    public var isFloatingPoint: Bool {
        switch self {
        case .float16, .bfloat16, .float32, .float64, .float8E4M3, .float8E5M2, .float8E4M3FNUZ, .float8E5M2FNUZ, .float8E8M0,
             .float4E2M1, .float6E2M3, .float6E3M2: true
        default: false
        }
    }

    /// One element, stored little-endian at `bytes`, as a Double (exact for every type but the
    /// 64-bit integers beyond 2^53; a complex64's real part; NaN for the packed sub-byte types, whose
    /// elements do not start on a byte).
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
        case .float16: FloatBits.half(UInt16(littleEndian: bytes.loadUnaligned(as: UInt16.self)))
        case .bfloat16: Double(Float(bitPattern: UInt32(UInt16(littleEndian: bytes.loadUnaligned(as: UInt16.self))) << 16))
        case .float32: Double(Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self))))
        case .float64: Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)))
        case .float8E4M3: FloatBits.float8E4M3(bytes.load(as: UInt8.self))
        case .float8E5M2: FloatBits.float8E5M2(bytes.load(as: UInt8.self))
        case .float8E4M3FNUZ: FloatBits.float8FNUZ(bytes.load(as: UInt8.self), exponentBits: 4)
        case .float8E5M2FNUZ: FloatBits.float8FNUZ(bytes.load(as: UInt8.self), exponentBits: 5)
        case .float8E8M0: bytes.load(as: UInt8.self) == 0xFF ? .nan : Double(sign: .plus, exponent: Int(bytes.load(as: UInt8.self)) - 127, significand: 1)
        case .complex64: Double(Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self))))
        case .float4E2M1, .float6E2M3, .float6E3M2: .nan
        }
    }
}
