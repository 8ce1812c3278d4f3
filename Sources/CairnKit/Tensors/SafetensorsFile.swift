import CairnCore
import CairnFormats

/// A safetensors file opened for reading: memory-mapped, its header read and checked, each tensor's
/// bytes a view into the mapping (zero copy: the kernel reads them as they are touched).
public final class SafetensorsFile: Sendable {
    /// The checked header: tensors in data order, metadata.
    public let header: SafetensorsHeader
    private let file: MappedFile

    /// Opens and checks a file.
    /// - Throws: `CairnError` when it cannot be read (``MappedFile/init(_:)``) or its header is not
    ///   valid (``SafetensorsHeader``).
    public convenience init(_ path: String) throws(CairnError) {
        try self.init(mapped: try MappedFile(path))
    }

    /// A file already mapped.
    /// - Throws: `CairnError` when its header is not valid (``SafetensorsHeader``).
    public init(mapped file: MappedFile) throws(CairnError) {
        self.file = file
        header = try SafetensorsHeader(file: file.bytes)
    }

    /// The file, absolute.
    public var path: String { file.path }

    /// Calls `body` with one tensor's bytes (little-endian, C order), valid only inside it.
    public func withBytes<R, E: Error>(of tensor: SafetensorsHeader.Tensor, _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let start = header.dataStart + tensor.begin
        return try body(UnsafeRawBufferPointer(rebasing: file.bytes[start..<start + tensor.byteCount]))
    }

    /// The tensor named `name`, or nil.
    public func tensor(named name: String) -> SafetensorsHeader.Tensor? { header.tensors.first { $0.name == name } }
}
