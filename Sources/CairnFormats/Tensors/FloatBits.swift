/// The small floating-point formats Swift has no portable type for, decoded from their bits (the one
/// place for them: the tensor codecs and TensorBoard's event reader use these).
enum FloatBits {
    /// IEEE 754 binary16, widened exactly (npy and safetensors float16, TensorBoard's `half_val`).
    static func half(_ bits: UInt16) -> Double {
        let sign: Double = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Double(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    /// OCP FP8 E4M3 "fn": no infinities, NaN only for S.1111.111, bias 7.
    static func float8E4M3(_ bits: UInt8) -> Double {
        let sign: Double = bits & 0x80 != 0 ? -1 : 1
        let exponent = Int((bits >> 3) & 0xF)
        let fraction = Double(bits & 0x7)
        if exponent == 15 && bits & 0x7 == 7 { return .nan }
        if exponent == 0 { return sign * fraction / 8 * 0x1p-6 }
        return sign * (1 + fraction / 8) * Double(sign: .plus, exponent: exponent - 7, significand: 1)
    }

    /// OCP FP8 E5M2: IEEE-like, bias 15, with infinities and NaNs.
    static func float8E5M2(_ bits: UInt8) -> Double {
        let sign: Double = bits & 0x80 != 0 ? -1 : 1
        let exponent = Int((bits >> 2) & 0x1F)
        let fraction = Double(bits & 0x3)
        switch exponent {
        case 0: return sign * fraction / 4 * 0x1p-14
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 4) * Double(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }

    /// The "FNUZ" FP8 formats (Graphcore/AMD): no infinities and no negative zero, NaN only for 0x80;
    /// E4M3 has bias 8, E5M2 bias 16.
    static func float8FNUZ(_ bits: UInt8, exponentBits: Int) -> Double {
        if bits == 0x80 { return .nan }
        let fractionBits = 7 - exponentBits
        let sign: Double = bits & 0x80 != 0 ? -1 : 1
        let exponent = Int((bits >> UInt8(fractionBits)) & UInt8((1 << exponentBits) - 1))
        let fraction = Double(Int(bits) & ((1 << fractionBits) - 1)) / Double(1 << fractionBits)
        let bias = 1 << (exponentBits - 1)
        if exponent == 0 { return sign * fraction * Double(sign: .plus, exponent: 1 - bias, significand: 1) }
        return sign * (1 + fraction) * Double(sign: .plus, exponent: exponent - bias, significand: 1)
    }
}
