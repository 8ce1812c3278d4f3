/// safetensors' dtype names and Cairn's types, in the format's own order (by alignment, as its `Dtype`
/// enum declares them): the writer sorts tensors by it, largest first.
enum SafetensorsDTypes {
    static let order: [(String, TensorDType)] = [
        ("BOOL", .bool), ("F4", .float4E2M1), ("F6_E2M3", .float6E2M3), ("F6_E3M2", .float6E3M2), ("U8", .uint8), ("I8", .int8),
        ("F8_E5M2", .float8E5M2), ("F8_E4M3", .float8E4M3), ("F8_E8M0", .float8E8M0), ("F8_E4M3FNUZ", .float8E4M3FNUZ),
        ("F8_E5M2FNUZ", .float8E5M2FNUZ), ("I16", .int16), ("U16", .uint16), ("F16", .float16), ("BF16", .bfloat16), ("I32", .int32),
        ("U32", .uint32), ("F32", .float32), ("C64", .complex64), ("F64", .float64), ("I64", .int64), ("U64", .uint64),
    ]
    static let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($0.element.1, $0.offset) })
    static let code = Dictionary(uniqueKeysWithValues: order.map { ($0.1, $0.0) })
    /// Names to types.
    static let dtypes = Dictionary(uniqueKeysWithValues: order.map { ($0.0, $0.1) })
}
