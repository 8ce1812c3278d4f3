import Glibc
import CairnCore
import CairnFormats

/// A PyTorch checkpoint of a flat state dict streamed to disk through ``TorchCheckpointWriter``: the
/// archive's head, then each tensor's storage as its bytes arrive (CRC-32 computed as they pass), the
/// zip records between storages, and the directory at the end; the file appears only when complete.
final class TorchCheckpointSink: StateDictSink {
    let order: [Int]
    private let file: StreamedFile
    private var writer: TorchCheckpointWriter
    /// The tensor whose bytes come next, and the bytes it still lacks.
    private var current = 0
    private var missing = 0

    init(at path: String, tensors: [SafetensorsWriter.Planned], mode: mode_t, durable: Bool) throws(CairnError) {
        let name = Paths.lastComponent(path)
        let archiveName = name.split(separator: ".", omittingEmptySubsequences: false).dropLast().joined(separator: ".")
        writer = try TorchCheckpointWriter(archiveName: archiveName,
                                           tensors: tensors.map { .init(name: $0.name, dtype: $0.dtype, shape: $0.shape) })
        order = Array(tensors.indices)
        file = try StreamedFile(target: path, mode: mode, durable: durable)
        try write(writer.begin())
        try skipEmptyTensors()
    }

    func write(_ bytes: UnsafeRawBufferPointer, release: @escaping @Sendable () -> Void) throws(CairnError) {
        guard bytes.count <= missing else {
            release()
            file.abort()
            throw CairnError(.invalidValue, "a tensor got more bytes than its shape takes", hint: "report this as a bug")
        }
        writer.data(bytes)
        missing -= bytes.count
        try file.write(bytes, release: release)
        if missing == 0 {
            try write(writer.nextTensor())
            current += 1
            try skipEmptyTensors()
        }
    }

    func finish() throws(CairnError) -> (bytes: Int64, sha256: String) {
        guard current == writer.tensors.count else {
            file.abort()
            throw CairnError(.invalidValue, "the checkpoint got \(current) of its \(writer.tensors.count) tensors", hint: "report this as a bug")
        }
        try write(writer.finish())
        let digest = try file.finish()
        return (file.byteCount, digest)
    }

    func abort() { file.abort() }

    /// Sets up the next tensor that has bytes; tensors with none are closed at once, since no write
    /// will come for them.
    private func skipEmptyTensors() throws(CairnError) {
        while current < writer.tensors.count {
            missing = TorchCheckpointWriter.byteCount(of: writer.tensors[current]) ?? 0
            guard missing == 0 else { return }
            try write(writer.nextTensor())
            current += 1
        }
    }

    private func write(_ bytes: [UInt8]) throws(CairnError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(CairnError) in try file.write(raw) } }.get()
    }
}
