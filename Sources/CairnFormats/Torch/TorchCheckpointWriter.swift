import CairnCore

/// Writes a PyTorch checkpoint of a flat state dict (`name → tensor`) that `torch.load(path,
/// weights_only=True)` accepts, laid out as `torch.save` lays it out: a zip archive (``ZipWriter``: stored
/// entries, data on 64-byte boundaries, ZIP64 end records) holding `data.pkl` (``TorchStateDictPickle``),
/// `.format_version`, `.storage_alignment`, `byteorder`, one storage `data/<i>` per tensor, `version` and
/// `.data/serialization_id`. It streams: it returns the bytes to write, and the caller writes each
/// tensor's data itself between ``begin()``/``nextTensor()`` and ``finish()``, passing it through
/// ``data(_:)``.
///
///     var writer = try TorchCheckpointWriter(archiveName: "average_model", tensors: specs)
///     write(writer.begin())
///     for tensor in tensors { writer.data(tensor.bytes); write(tensor.bytes); write(writer.nextTensor()) }
///     write(writer.finish())
public struct TorchCheckpointWriter: Sendable {
    /// One tensor to write: its data is little-endian, C order.
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var dtype: TensorDType
        public var shape: [Int]
        public init(name: String, dtype: TensorDType, shape: [Int]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
        }
    }

    public let tensors: [Tensor]
    private let folder: String
    private var zip = ZipWriter(alignment: 64)
    private var next = 0
    private var pickle: [UInt8]

    /// - Parameters:
    ///   - archiveName: the folder the entries sit under (torch uses the file name without its
    ///     extension; `archive` when that is not plain ASCII).
    ///   - tensors: the tensors, in order.
    /// - Throws: `CairnError` of kind `.invalidValue` for a dtype torch has no type for, a negative
    ///   dimension or an element count that overflows, or two tensors of one name.
    public init(archiveName: String, tensors: [Tensor]) throws(CairnError) {
        var names: Set<String> = []
        for tensor in tensors {
            guard TorchTypes.torchName(of: tensor.dtype) != nil else {
                throw CairnError(.invalidValue, "PyTorch has no dtype for '\(tensor.name)' (\(tensor.dtype.rawValue))",
                                 hint: "write it as safetensors instead")
            }
            guard Self.byteCount(of: tensor) != nil else {
                throw CairnError(.invalidValue, "the shape \(tensor.shape) of '\(tensor.name)' cannot be a tensor's", hint: "give non-negative dimensions")
            }
            guard names.insert(tensor.name).inserted else {
                throw CairnError(.invalidValue, "two tensors are named '\(tensor.name)'", hint: "give each tensor its own name")
            }
        }
        let plain = !archiveName.isEmpty && archiveName.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }
        folder = (plain ? archiveName : "archive") + "/"
        self.tensors = tensors
        pickle = TorchStateDictPickle.bytes(tensors.map { ($0.name, $0.dtype, $0.shape) })
    }

    /// The bytes a tensor's data takes.
    public static func byteCount(of tensor: Tensor) -> Int? {
        var count = 1
        for dimension in tensor.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow else { return nil }
            count = product
        }
        return tensor.dtype.byteCount(of: count)
    }

    /// The archive's first bytes: everything before the first tensor's data (or the whole archive's
    /// head when there are no tensors: then call ``finish()`` next).
    public mutating func begin() -> [UInt8] {
        var out = zip.entry(folder + "data.pkl", pickle)
        pickle = []
        out += zip.entry(folder + ".format_version", Array("1".utf8))
        out += zip.entry(folder + ".storage_alignment", Array("64".utf8))
        out += zip.entry(folder + "byteorder", Array("little".utf8))
        if let first = tensors.first { out += zip.begin(folder + "data/0", size: Self.byteCount(of: first)!) }
        return out
    }

    /// Counts and checksums a piece of the current tensor's data (which the caller writes).
    public mutating func data(_ bytes: UnsafeRawBufferPointer) { zip.data(bytes) }

    /// Ends the current tensor's storage and starts the next one's.
    /// - Returns: the bytes to write between the two.
    public mutating func nextTensor() -> [UInt8] {
        var out = zip.end()
        next += 1
        if next < tensors.count { out += zip.begin(folder + "data/\(next)", size: Self.byteCount(of: tensors[next])!) }
        return out
    }

    /// Ends the archive, after the last tensor's ``nextTensor()``.
    /// - Returns: its last bytes.
    public mutating func finish() -> [UInt8] {
        precondition(next == tensors.count, "write every tensor before finishing")
        var out = zip.entry(folder + "version", Array("3\n".utf8))
        out += zip.entry(folder + ".data/serialization_id", Array(serializationID().utf8))
        out += zip.finish()
        return out
    }

    /// The archive's size once finished.
    public var bytesWritten: Int { zip.offset }

    /// A whole checkpoint in memory (small files, tests).
    /// - Throws: as ``init(archiveName:tensors:)``, or `.invalidValue` when some data is not what its
    ///   tensor takes.
    public static func bytes(archiveName: String, tensors: [(Tensor, [UInt8])]) throws(CairnError) -> [UInt8] {
        var writer = try TorchCheckpointWriter(archiveName: archiveName, tensors: tensors.map(\.0))
        var out = writer.begin()
        for (tensor, data) in tensors {
            guard data.count == byteCount(of: tensor) else {
                throw CairnError(.invalidValue, "'\(tensor.name)' has \(data.count) bytes, not what its shape and dtype take",
                                 hint: "give every element, little-endian, in C order")
            }
            data.withUnsafeBytes { writer.data($0) }
            out += data
            out += writer.nextTensor()
        }
        return out + writer.finish()
    }

    /// 40 decimal digits, as torch writes: here a pseudo-random sequence seeded by the archive's size and
    /// tensor count (not random), so that equal checkpoints are equal files.
    private func serializationID() -> String {
        let seed = UInt64(zip.offset) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(tensors.count)
        var digits = ""
        var state = seed
        while digits.count < 40 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            digits += String((state >> 33) % 10)
        }
        return digits
    }
}
