import Glibc
import CairnCore
import CairnFormats

/// A state dict file being written, tensor by tensor, without holding it in memory: made by
/// ``StateDictOutput/create(at:tensors:metadata:mode:durable:)`` with every tensor's name, type and
/// shape known upfront; then each tensor's bytes are written whole, in ``order``, and ``finish()``
/// makes the file visible at its path (atomically: until then nothing is there).
public protocol StateDictSink: AnyObject {
    /// Indices into the tensors given at creation, in the order their bytes must be written.
    var order: [Int] { get }
    /// Appends the next bytes of the current tensor (tensors follow each other in ``order``, each
    /// written whole before the next). `release` is called once the bytes are no longer needed
    /// (possibly later, on another thread): the caller may reuse their memory only then.
    /// - Throws: `CairnError` when the write fails; the file is then abandoned.
    func write(_ bytes: UnsafeRawBufferPointer, release: @escaping @Sendable () -> Void) throws(CairnError)
    /// Completes the file and makes it visible at its path.
    /// - Returns: the file's size and SHA-256 (lowercase hex).
    /// - Throws: `CairnError` when it cannot be completed (the path is then untouched).
    func finish() throws(CairnError) -> (bytes: Int64, sha256: String)
    /// Abandons the file: nothing appears at its path.
    func abort()
}

/// The state dict file formats Cairn writes, chosen by the output's extension.
public enum StateDictOutput {
    /// The format a path's extension asks for: `.safetensors`, or `.pt`/`.pth` (a PyTorch zip checkpoint
    /// of a flat state dict).
    /// - Throws: `CairnError` of kind `.unsupportedFormat` for any other extension.
    public static func format(of path: String) throws(CairnError) -> StateDictFile.Format {
        let name = Paths.lastComponent(path).lowercased()
        if name.hasSuffix(".safetensors") { return .safetensors }
        if name.hasSuffix(".pt") || name.hasSuffix(".pth") { return .torch }
        throw CairnError(.unsupportedFormat, "'\(path)' names no format Cairn writes a state dict in",
                         hint: "end the name with .safetensors, .pt or .pth")
    }

    /// Starts writing a state dict file, its format chosen by its extension.
    /// - Parameters:
    ///   - path: where the file is to appear, absolute; its folder must exist.
    ///   - tensors: every tensor's name, type and shape, in any order.
    ///   - metadata: text to store with the tensors (safetensors' `__metadata__`; a PyTorch checkpoint of a
    ///     flat state dict has no place for it).
    ///   - mode: the file's permission bits.
    ///   - durable: whether ``StateDictSink/finish()`` waits for the bytes to reach the disk.
    /// - Returns: the sink to write the tensors' bytes to.
    /// - Throws: `CairnError` when the extension names no format Cairn writes, the tensors cannot be
    ///   stored in it, or the file cannot be created.
    public static func create(at path: String, tensors: [SafetensorsWriter.Planned], metadata: [String: String] = [:],
                              mode: mode_t = 0o644, durable: Bool = true) throws(CairnError) -> any StateDictSink {
        switch try format(of: path) {
        case .safetensors:
            return try SafetensorsSink(at: path, tensors: tensors, metadata: metadata, mode: mode, durable: durable)
        case .torch:
            return try TorchCheckpointSink(at: path, tensors: tensors, mode: mode, durable: durable)
        }
    }
}

/// A safetensors file streamed to disk: its header (known from the tensors' shapes) first, then each
/// tensor's bytes in the format's order.
final class SafetensorsSink: StateDictSink {
    let order: [Int]
    private let file: StreamedFile

    init(at path: String, tensors: [SafetensorsWriter.Planned], metadata: [String: String], mode: mode_t, durable: Bool) throws(CairnError) {
        let plan = try SafetensorsWriter.plan(tensors, metadata: metadata)
        order = plan.order
        file = try StreamedFile(target: path, mode: mode, durable: durable)
        try plan.header.withUnsafeBytes { header in Result { () throws(CairnError) in try file.write(header) } }.get()
    }

    func write(_ bytes: UnsafeRawBufferPointer, release: @escaping @Sendable () -> Void) throws(CairnError) {
        try file.write(bytes, release: release)
    }

    func finish() throws(CairnError) -> (bytes: Int64, sha256: String) {
        let digest = try file.finish()
        return (file.byteCount, digest)
    }

    func abort() { file.abort() }
}
