import CairnFormats

/// One tensor of a model's state dict as a file holds it: its flattened name, element type, shape, and
/// its bytes (C-contiguous, little-endian), a view into the file's mapping that lives as long as the
/// ``StateDictFile`` that made it.
public struct StateDictTensor: @unchecked Sendable {
    /// The name, nested keys flattened with dots (`encoder.layers.0.weight`).
    public var name: String
    public var dtype: TensorDType
    public var shape: [Int]
    /// The elements' bytes, little-endian, C order; valid while the owning ``StateDictFile`` lives.
    public var bytes: UnsafeRawBufferPointer

    public init(name: String, dtype: TensorDType, shape: [Int], bytes: UnsafeRawBufferPointer) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }
}
