import CairnCore
import CairnFormats

/// Reads what a tensor or event file holds, for `cairn inspect`: the format is recognised by the file's
/// first bytes (npy's `\x93NUMPY`; safetensors' length then `{`; a TensorBoard event file's first
/// record), not by its name. The file is mapped, so only the header of an npy or safetensors file is read,
/// not its data.
public enum TensorFileInspector {
    /// Inspects one file.
    /// - Parameter path: the file, absolute or relative to the current folder.
    /// - Returns: its format, entries, metadata and totals.
    /// - Throws: `CairnError` of kind `.notFound` or `.io` when it cannot be read, `.unsupportedFormat`
    ///   when it is none of the formats Cairn reads, `.corrupt` when it is damaged.
    public static func inspect(_ path: String) throws(CairnError) -> CairnAPI.FileInspection {
        let file = Paths.absolute(path)
        guard !FileSystem.isDirectory(file) else {
            throw CairnError(.invalidValue, "'\(path)' is a folder", hint: "give a file: an .npy, .safetensors, PyTorch or TensorBoard event file")
        }
        guard FileSystem.fileSize(file) != nil else {
            throw CairnError(.notFound, "no file at '\(path)'", hint: "check the path")
        }
        // Mapped, so that reading a header touches only its pages, however large the file.
        let mapped = try MappedFile(file)
        let bytes = mapped.bytes
        if bytes.starts(with: NpyHeader.magic) { return try npy(file, bytes) }
        if bytes.starts(with: TorchCheckpoint.magic) { return try torch(mapped) }
        if bytes.count > 8, bytes[8] == UInt8(ascii: "{") { return try safetensors(mapped) }
        if TFRecordReader.startsWithRecord(Array(bytes.prefix(64 << 10))) { return events(file, bytes) }
        throw CairnError(.unsupportedFormat, "'\(path)' is not a file Cairn reads",
                         hint: "cairn inspect reads NumPy .npy, safetensors, PyTorch (.pt, .pth, .ckpt) and TensorBoard event files")
    }

    private static func safetensors(_ mapped: MappedFile) throws(CairnError) -> CairnAPI.FileInspection {
        let header = try SafetensorsFile(mapped: mapped).header
        let entries = header.tensors.map {
            CairnAPI.FileInspection.Entry(name: $0.name, dtype: $0.dtype.rawValue, shape: $0.shape, bytes: $0.byteCount)
        }
        return CairnAPI.FileInspection(file: mapped.path, format: "safetensors", bytes: mapped.bytes.count, entries: entries,
                                       metadata: header.metadata ?? [:])
    }

    /// Tensors by their dotted paths; numbers, strings and flags beside them as metadata (the first
    /// ``maximumScalars``), objects of globals Cairn does not know by the global's name.
    private static func torch(_ mapped: MappedFile) throws(CairnError) -> CairnAPI.FileInspection {
        let checkpoint = try TorchCheckpointFile(mapped: mapped).checkpoint
        var entries: [CairnAPI.FileInspection.Entry] = []
        var metadata = ["archive": checkpoint.prefix, "byte_order": checkpoint.byteOrder.rawValue]
        if let version = checkpoint.version { metadata["version"] = version }
        let model = checkpoint.modelState
        if let key = model.entry { metadata["model_state"] = key }
        var scalars = 0
        for (path, value) in checkpoint.root.entries where !path.isEmpty {
            let name = path.map(\.description).joined(separator: ".")
            switch value {
            case .tensor(let tensor):
                entries.append(.init(name: name, dtype: tensor.dtypeName, shape: tensor.shape, bytes: tensor.byteCount ?? 0))
            case .object(let global, _):
                metadata["object " + name] = global
            case .int, .float, .string, .bool, .none, .bigInt, .bytes, .global:
                scalars += 1
                if scalars <= maximumScalars { metadata[name] = scalarText(value) }
            case .list, .tuple, .set, .dict: break
            }
        }
        if scalars > maximumScalars { metadata["more values"] = String(scalars - maximumScalars) }
        return CairnAPI.FileInspection(file: mapped.path, format: "torch", bytes: mapped.bytes.count, entries: entries, metadata: metadata)
    }

    /// Values of a checkpoint shown beside its tensors, at most.
    static let maximumScalars = 50

    private static func scalarText(_ value: TorchValue) -> String {
        switch value {
        case .int(let number): String(number)
        case .float(let number): String(number)
        case .string(let text): text.count > 200 ? String(text.prefix(200)) + "…" : text
        case .bool(let flag): flag ? "True" : "False"
        case .none: "None"
        case .bigInt(let count): "an integer of \(count) bytes"
        case .bytes(let count): "\(count) bytes"
        case .global(let name): name
        default: value.typeName
        }
    }

    private static func npy(_ file: String, _ bytes: UnsafeRawBufferPointer) throws(CairnError) -> CairnAPI.FileInspection {
        let size = bytes.count
        let header = try NpyHeader(reading: bytes, fileSize: size)
        let entry = CairnAPI.FileInspection.Entry(name: "array", dtype: header.dtype.rawValue, shape: header.shape, bytes: header.dataByteCount)
        var metadata = ["version": "\(header.major).\(header.minor)", "descr": header.descr,
                        "byte_order": header.byteOrder.rawValue, "fortran_order": header.fortranOrder ? "true" : "false",
                        "data_offset": String(header.dataOffset)]
        if size > header.dataOffset + header.dataByteCount {
            metadata["trailing_bytes"] = String(size - header.dataOffset - header.dataByteCount)
        }
        return CairnAPI.FileInspection(file: file, format: "npy", bytes: size, entries: [entry], metadata: metadata)
    }

    private static func events(_ file: String, _ bytes: UnsafeRawBufferPointer) -> CairnAPI.FileInspection {
        let read = EventFileReader.read(buffer: bytes)
        let entries = read.tags.map { tag in
            CairnAPI.FileInspection.Entry(name: tag, dtype: "float32", shape: [read.scalars[tag]?.count ?? 0],
                                          bytes: (read.scalars[tag]?.count ?? 0) * 4)
        }
        var metadata = ["records": String(read.records)]
        if let version = read.fileVersion { metadata["file_version"] = version }
        let steps = read.scalars.values.flatMap { $0.map(\.step) }
        if let first = steps.min(), let last = steps.max() { metadata["steps"] = "\(first)–\(last)" }
        for (tag, count) in read.skipped { metadata["skipped \(tag)"] = "\(count) non-scalar summaries" }
        if let damage = read.damage { metadata["damage"] = damage.description }
        return CairnAPI.FileInspection(file: file, format: "tfevents", bytes: bytes.count, entries: entries, metadata: metadata)
    }
}
