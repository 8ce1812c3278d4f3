/// The names torch's pickles use for element types: storage classes (`torch.FloatStorage`, what
/// `_rebuild_tensor_v2` tensors are typed by) and dtypes (`torch.float32`, the last argument of
/// `_rebuild_tensor_v3`), as in `torch/storage.py` and `torch/_utils.py`.
enum TorchTypes {
    /// The class of storages that hold bytes, typed by the tensor that views them.
    static let untypedStorage = "torch.storage.UntypedStorage"

    /// Storage classes, with the dtype of their elements (by torch's name) and the element size.
    static let storageClasses: [String: (name: String, itemSize: Int)] = [
        "torch.DoubleStorage": ("float64", 8), "torch.FloatStorage": ("float32", 4),
        "torch.HalfStorage": ("float16", 2), "torch.BFloat16Storage": ("bfloat16", 2),
        "torch.LongStorage": ("int64", 8), "torch.IntStorage": ("int32", 4), "torch.ShortStorage": ("int16", 2),
        "torch.CharStorage": ("int8", 1), "torch.ByteStorage": ("uint8", 1), "torch.BoolStorage": ("bool", 1),
        "torch.ComplexFloatStorage": ("complex64", 8), "torch.ComplexDoubleStorage": ("complex128", 16),
        "torch.QInt8Storage": ("qint8", 1), "torch.QUInt8Storage": ("quint8", 1), "torch.QInt32Storage": ("qint32", 4),
        "torch.QUInt4x2Storage": ("quint4x2", 1), "torch.QUInt2x4Storage": ("quint2x4", 1),
    ]

    /// torch's dtype names (and their aliases) for the types Cairn reads.
    static let dtypes: [String: TensorDType] = [
        "float64": .float64, "double": .float64, "float32": .float32, "float": .float32,
        "float16": .float16, "half": .float16, "bfloat16": .bfloat16,
        "int64": .int64, "long": .int64, "int32": .int32, "int": .int32, "int16": .int16, "short": .int16,
        "int8": .int8, "uint8": .uint8, "uint16": .uint16, "uint32": .uint32, "uint64": .uint64, "bool": .bool,
        "complex64": .complex64, "cfloat": .complex64,
        "float8_e4m3fn": .float8E4M3, "float8_e5m2": .float8E5M2, "float8_e4m3fnuz": .float8E4M3FNUZ,
        "float8_e5m2fnuz": .float8E5M2FNUZ, "float8_e8m0fnu": .float8E8M0,
    ]

    /// Element sizes of the dtypes torch has and Cairn does not read, so their storages can still be
    /// checked against the archive.
    static let otherItemSizes: [String: Int] = [
        "complex128": 16, "cdouble": 16, "complex32": 4, "chalf": 4, "qint8": 1, "quint8": 1, "qint32": 4,
        "quint4x2": 1, "quint2x4": 1, "bits8": 1, "bits16": 2, "bits1x8": 1, "bits2x4": 1, "bits4x2": 1,
    ]

    /// The storage class `_rebuild_tensor_v2` tensors of a dtype are saved with, or nil for the dtypes
    /// torch saves through `_rebuild_tensor_v3` on an untyped storage.
    static func storageClass(of dtype: TensorDType) -> String? {
        storageClasses.first { TorchTypes.dtypes[$0.value.name] == dtype }?.key
    }

    /// torch's name of a dtype (`torch.<name>`).
    static func torchName(of dtype: TensorDType) -> String? {
        switch dtype {
        case .float4E2M1, .float6E2M3, .float6E3M2: nil
        default: dtype.rawValue
        }
    }
}
