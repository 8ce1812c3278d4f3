import CairnCore
import CairnFormats

/// A PyTorch checkpoint opened for reading: memory-mapped, its archive and pickle read and checked
/// (``TorchCheckpoint``), each tensor's bytes a view into the mapping when they lie in C order.
public final class TorchCheckpointFile: Sendable {
    /// What the file holds.
    public let checkpoint: TorchCheckpoint
    private let file: MappedFile

    /// Opens and checks a file.
    /// - Throws: `CairnError` when it cannot be read (``MappedFile/init(_:)``) or is not a valid
    ///   checkpoint (``TorchCheckpoint/init(reading:)``).
    public convenience init(_ path: String) throws(CairnError) {
        try self.init(mapped: try MappedFile(path))
    }

    /// A file already mapped.
    /// - Throws: `CairnError` when it is not a valid checkpoint (``TorchCheckpoint/init(reading:)``).
    public init(mapped file: MappedFile) throws(CairnError) {
        self.file = file
        checkpoint = try TorchCheckpoint(reading: file.bytes)
    }

    /// The file, absolute.
    public var path: String { file.path }

    /// Calls `body` with a tensor's elements (little-endian, C order), valid only inside it.
    /// - Throws: `CairnError` of kind `.unsupportedFormat` for a dtype Cairn does not read, or what
    ///   `body` throws.
    public func withBytes<R>(of tensor: TorchTensor, _ body: (UnsafeRawBufferPointer) throws(CairnError) -> R) throws(CairnError) -> R {
        if let range = try checkpoint.dataRange(of: tensor, in: file.bytes) { file.prefetch(range) }
        return try checkpoint.withData(of: tensor, in: file.bytes, body)
    }
}
