import CairnCore
import CairnFormats

/// A file holding a model's weights, opened for reading whatever its format: memory-mapped, its tensors
/// views into the mapping (zero copy). The format is known by the file's first bytes, not its name:
/// safetensors (an 8-byte header length, then `{`), or a PyTorch zip checkpoint (`PK\x03\x04`).
public final class StateDictFile: Sendable {
    /// How a state dict is stored.
    public enum Format: String, Sendable {
        case safetensors
        /// `torch.save`'s zip of a pickle and its storages.
        case torch
    }

    /// The file, absolute.
    public let path: String
    public let format: Format
    /// The tensors, in the file's order.
    public let tensors: [StateDictTensor]
    /// What keeps ``tensors``' bytes mapped.
    private let owner: any Sendable

    /// A file already read: its tensors, and the object whose lifetime keeps their bytes valid (the
    /// file's ``MappedFile``).
    public init(path: String, format: Format, tensors: [StateDictTensor], keepingAlive owner: any Sendable) {
        self.path = path
        self.format = format
        self.tensors = tensors
        self.owner = owner
    }

    /// Opens a state dict file, its format known by its first bytes.
    /// - Parameter path: the file (relative paths are taken from the current folder).
    /// - Returns: the file's tensors, mapped.
    /// - Throws: `CairnError` of kind `.notFound`, `.permissionDenied` or `.io` when it cannot be read;
    ///   `.invalidValue` when it is damaged or cut short; `.unsupportedFormat` when it is neither
    ///   safetensors nor a PyTorch checkpoint.
    public static func open(_ path: String) throws(CairnError) -> StateDictFile {
        let mapped = try MappedFile(path)
        let bytes = mapped.bytes
        if bytes.count >= 4, bytes[0] == 0x50, bytes[1] == 0x4B, bytes[2] == 0x03, bytes[3] == 0x04 {
            return try openTorch(mapped)
        }
        if bytes.count >= 9, bytes[8] == UInt8(ascii: "{") {
            return try openSafetensors(mapped)
        }
        throw CairnError(.unsupportedFormat, "'\(mapped.path)' is neither a safetensors file nor a PyTorch checkpoint (by its first bytes)",
                         hint: "average .safetensors files or torch.save checkpoints (.pt, .pth)")
    }

    /// A safetensors file's tensors.
    private static func openSafetensors(_ mapped: MappedFile) throws(CairnError) -> StateDictFile {
        let file: SafetensorsFile
        do throws(CairnError) {
            file = try SafetensorsFile(mapped: mapped)
        } catch {
            throw CairnError(error.kind, "'\(mapped.path)': \(error.message)", hint: error.hint)
        }
        let tensors = file.header.tensors.map { tensor in
            file.withBytes(of: tensor) { bytes in StateDictTensor(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, bytes: bytes) }
        }
        return StateDictFile(path: mapped.path, format: .safetensors, tensors: tensors, keepingAlive: file)
    }

    // MARK: - PyTorch checkpoints

    /// A PyTorch checkpoint's model state (``TorchCheckpoint/modelState``: the `state_dict`,
    /// `model_state_dict`, `model`, `net`, … entry of a whole training state, else every tensor), nested
    /// keys flattened with dots. Tensors whose bytes lie in the file in C order are views of the mapping;
    /// the others (strided views) are gathered into copies this file keeps.
    private static func openTorch(_ mapped: MappedFile) throws(CairnError) -> StateDictFile {
        do throws(CairnError) {
            let checkpoint = try TorchCheckpointFile(mapped: mapped).checkpoint
            let copies = GatheredTensors()
            var tensors: [StateDictTensor] = []
            for (name, tensor) in checkpoint.modelState.tensors {
                guard let dtype = tensor.dtype else {
                    throw CairnError(.unsupportedFormat, "the tensor '\(name)' is of dtype \(tensor.dtypeName), which Cairn does not read",
                                     hint: "convert it in torch to a float or integer type")
                }
                let bytes: UnsafeRawBufferPointer
                if let range = try checkpoint.dataRange(of: tensor, in: mapped.bytes) {
                    bytes = UnsafeRawBufferPointer(rebasing: mapped.bytes[range])
                } else {
                    bytes = try checkpoint.withData(of: tensor, in: mapped.bytes) { copies.keep($0) }
                }
                tensors.append(StateDictTensor(name: name, dtype: dtype, shape: tensor.shape, bytes: bytes))
            }
            return StateDictFile(path: mapped.path, format: .torch, tensors: tensors, keepingAlive: TorchOwner(mapped: mapped, copies: copies))
        } catch {
            throw CairnError(error.kind, "'\(mapped.path)': \(error.message)", hint: error.hint)
        }
    }
}

/// What keeps a PyTorch checkpoint's tensors valid: its mapping and the copies of its strided views.
private struct TorchOwner: Sendable {
    let mapped: MappedFile
    let copies: GatheredTensors
}

/// Copies of tensors' bytes, freed together when the last owner goes.
private final class GatheredTensors: @unchecked Sendable {
    private var buffers: [UnsafeMutableRawBufferPointer] = []

    /// A copy of `bytes` that lives as long as this object.
    func keep(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        if let base = bytes.baseAddress { copy.baseAddress!.copyMemory(from: base, byteCount: bytes.count) }
        buffers.append(copy)
        return UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(copy)[0..<bytes.count])
    }

    deinit { for buffer in buffers { buffer.deallocate() } }
}
