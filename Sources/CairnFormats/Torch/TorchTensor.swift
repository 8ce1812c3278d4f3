/// A tensor of a PyTorch checkpoint, as its pickle rebuilds it: the storage it views (a file
/// `data/<key>` of the archive) and where in it, by storage offset and strides counted in elements.
public struct TorchTensor: Sendable, Equatable {
    /// The element type, or nil for the types Cairn does not read (complex128, quantized types, …).
    public var dtype: TensorDType?
    /// The element type's name: ``TensorDType``'s for the types Cairn reads, torch's otherwise.
    public var dtypeName: String
    /// Bytes per element, when torch's type is known (also for the types Cairn does not read).
    public var itemSize: Int?
    public var shape: [Int]
    /// Elements to step over per index of each dimension.
    public var stride: [Int]
    /// The first element's index in the storage.
    public var storageOffset: Int
    /// The storage's name in the archive (`data/<key>`); views of one storage share it.
    public var storageKey: String
    /// The storage class the pickle names (`torch.FloatStorage`, `torch.storage.UntypedStorage`).
    public var storageType: String
    /// Where the tensor lived when saved (`cpu`, `cuda:0`).
    public var location: String
    /// The storage's size in its own elements (bytes for an untyped storage).
    public var storageNumel: Int
    public var requiresGrad: Bool
    /// Whether it was saved as an `nn.Parameter`.
    public var isParameter: Bool
    /// The torch function the pickle calls to rebuild it (`_rebuild_tensor_v2`).
    public var rebuild: String

    /// Elements (1 for a 0-d tensor).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Bytes of its elements, or nil when torch's type is not known.
    public var byteCount: Int? { dtype?.byteCount(of: elementCount) ?? itemSize.map { $0 * elementCount } }

    /// Whether its elements lie back to back in C order (dimensions of size 1 may have any stride; an
    /// empty tensor always does).
    public var isContiguous: Bool {
        guard elementCount > 0 else { return true }
        var expected = 1
        for axis in shape.indices.reversed() where shape[axis] != 1 {
            guard stride[axis] == expected else { return false }
            expected *= shape[axis]
        }
        return true
    }
}
