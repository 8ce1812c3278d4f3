import Glibc
import CairnCore
import CairnFormats

/// Reads what a tensor or event file holds, for `cairn inspect`: the format is recognised by the file's
/// first bytes (npy's `\x93NUMPY`; safetensors' length then `{`; a TensorBoard event file's first
/// record), not by its name. Only the header of an npy or safetensors file is read, not its data.
public enum TensorFileInspector {
    /// Inspects one file.
    /// - Parameter path: the file, absolute or relative to the current folder.
    /// - Returns: its format, entries, metadata and totals.
    /// - Throws: `CairnError` of kind `.notFound` or `.io` when it cannot be read, `.unsupportedFormat`
    ///   when it is none of the formats Cairn reads, `.corrupt` when it is damaged.
    public static func inspect(_ path: String) throws(CairnError) -> CairnAPI.FileInspection {
        let file = Paths.absolute(path)
        guard !FileSystem.isDirectory(file) else {
            throw CairnError(.invalidValue, "'\(path)' is a folder", hint: "give a file: an .npy, .safetensors, .pt or event file")
        }
        guard let size = FileSystem.fileSize(file) else {
            throw CairnError(.notFound, "no file at '\(path)'", hint: "check the path")
        }
        let head = try FileSystem.readRange(file, from: 0, count: Int(min(size, 64 << 10)))
        if head.starts(with: NpyHeader.magic) { return try npy(file, size: Int(size), head: head) }
        if head.count > 8, head[8] == UInt8(ascii: "{") { return try safetensors(file, size: Int(size), head: head) }
        if TFRecordReader.startsWithRecord(head) { return try events(file, size: Int(size)) }
        throw CairnError(.unsupportedFormat, "'\(path)' is not a file Cairn reads",
                         hint: "cairn inspect reads NumPy .npy, safetensors and TensorBoard event files")
    }

    private static func safetensors(_ file: String, size: Int, head: [UInt8]) throws(CairnError) -> CairnAPI.FileInspection {
        let length = try head.withUnsafeBytes { bytes in
            Result { () throws(CairnError) in try SafetensorsHeader.headerLength(bytes, fileSize: size) }
        }.get()
        let json = 8 + length <= head.count ? Array(head[8..<8 + length]) : try FileSystem.readRange(file, from: 8, count: length)
        let header = try json.withUnsafeBytes { bytes in
            Result { () throws(CairnError) in try SafetensorsHeader(json: bytes, headerLength: length, fileSize: size) }
        }.get()
        let entries = header.tensors.map {
            CairnAPI.FileInspection.Entry(name: $0.name, dtype: $0.dtype.rawValue, shape: $0.shape, bytes: $0.byteCount)
        }
        return CairnAPI.FileInspection(file: file, format: "safetensors", bytes: size, entries: entries, metadata: header.metadata ?? [:])
    }

    private static func npy(_ file: String, size: Int, head: [UInt8]) throws(CairnError) -> CairnAPI.FileInspection {
        func read(_ prefix: [UInt8]) throws(CairnError) -> NpyHeader {
            try prefix.withUnsafeBytes { bytes in Result { () throws(CairnError) in try NpyHeader(reading: bytes, fileSize: size) } }.get()
        }
        let header: NpyHeader
        do throws(CairnError) {
            header = try read(head)
        } catch {
            // A header longer than the first read: read up to the longest header there can be, once.
            guard head.count < size, head.count < NpyHeader.maxHeaderBytes + 12 else { throw error }
            header = try read(try FileSystem.readRange(file, from: 0, count: min(size, NpyHeader.maxHeaderBytes + 12)))
        }
        let entry = CairnAPI.FileInspection.Entry(name: "array", dtype: header.dtype.rawValue, shape: header.shape, bytes: header.dataByteCount)
        var metadata = ["version": "\(header.major).\(header.minor)", "descr": header.descr,
                        "byte_order": header.byteOrder.rawValue, "fortran_order": header.fortranOrder ? "true" : "false",
                        "data_offset": String(header.dataOffset)]
        if size > header.dataOffset + header.dataByteCount {
            metadata["trailing_bytes"] = String(size - header.dataOffset - header.dataByteCount)
        }
        return CairnAPI.FileInspection(file: file, format: "npy", bytes: size, entries: [entry], metadata: metadata)
    }

    private static func events(_ file: String, size: Int) throws(CairnError) -> CairnAPI.FileInspection {
        let read = EventFileReader.read(bytes: try FileSystem.read(file))
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
        return CairnAPI.FileInspection(file: file, format: "tfevents", bytes: size, entries: entries, metadata: metadata)
    }
}
