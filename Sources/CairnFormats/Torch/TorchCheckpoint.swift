import CairnCore

/// A PyTorch checkpoint as `torch.save` writes it since torch 1.6: a zip archive (``ZipArchive``) whose
/// entries sit under one folder: `data.pkl`, the pickled object; `data/<key>`, each storage's raw bytes;
/// `byteorder`, `version` and a few more. Reading one runs its pickle through ``PickleMachine`` (nothing
/// is executed or imported) and checks every tensor against the storage it views, so that reading its
/// data afterwards cannot leave the archive.
public struct TorchCheckpoint: Sendable {
    /// The archive's directory.
    public let archive: ZipArchive
    /// The folder all entries sit under (the saved file's name without its extension, or `archive`).
    public let prefix: String
    /// What the pickle holds.
    public let root: TorchValue
    /// The globals the pickle names (`module.name`), sorted.
    public let globals: [String]
    /// The byte order of the storages.
    public let byteOrder: TensorByteOrder
    /// The archive's `version` (or `.data/version`) record, trimmed, if it has one.
    public let version: String?
    /// Each storage's entry, by key.
    private let storages: [String: ZipArchive.Entry]

    /// The first bytes of a zip archive, so of every torch.save file since torch 1.6.
    public static let magic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    /// What the legacy format (before torch 1.6) starts with: PROTO 2, then LONG1 of its magic number.
    static let legacyMagic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    /// Reads a checkpoint held in memory (a mapped file).
    /// - Throws: `CairnError` of kind `.unsupportedFormat` for a legacy (pre-1.6) or compressed
    ///   checkpoint, `.corrupt` when the archive, its pickle or a tensor's storage is damaged.
    public init(reading bytes: UnsafeRawBufferPointer) throws(CairnError) {
        guard bytes.starts(with: Self.magic) else {
            if bytes.starts(with: Self.legacyMagic) {
                throw CairnError(.unsupportedFormat, "this is a legacy PyTorch checkpoint (torch.save before torch 1.6)",
                                 hint: "load it with torch and save it again with torch 1.6 or later")
            }
            throw CairnError(.unsupportedFormat, "this is not a PyTorch checkpoint (no zip archive)",
                             hint: "give a file written by torch.save")
        }
        let archive = try ZipArchive(reading: bytes)
        guard let first = archive.entries.first, let slash = first.name.firstIndex(of: "/") else {
            throw Self.corrupt("its archive has no folder holding data.pkl")
        }
        let folder = String(first.name[...slash])
        func entry(_ name: String) -> ZipArchive.Entry? { archive.entry(named: folder + name) }
        func record(_ name: String) throws(CairnError) -> String? {
            guard let found = entry(name) else { return nil }
            let raw = try Self.stored(found, of: archive, in: bytes)
            return String(decoding: raw.prefix(64), as: UTF8.self).split(whereSeparator: \.isWhitespace).first.map(String.init) ?? ""
        }
        guard let pickle = entry("data.pkl") else { throw Self.corrupt("its archive has no \(folder)data.pkl") }
        let byteOrder: TensorByteOrder
        switch try record("byteorder") {
        case nil, "little": byteOrder = .little
        case "big": byteOrder = .big
        case let other?: throw Self.corrupt("its byteorder record says '\(other)', neither little nor big")
        }
        var version = try record("version")
        if version == nil { version = try record(".data/version") }
        var machine = PickleMachine(try Self.stored(pickle, of: archive, in: bytes))
        let root = try machine.run().torchValue(budget: max(1 << 20, 16 * pickle.size))
        var storages: [String: ZipArchive.Entry] = [:]
        for (name, tensor) in root.tensors where storages[tensor.storageKey] == nil {
            guard let found = entry("data/" + tensor.storageKey) else {
                throw Self.corrupt("the storage '\(tensor.storageKey)' of tensor '\(name)' is not in the archive")
            }
            guard found.method == 0 else { throw Self.compressed(found.name) }
            guard found.compressedSize == found.size else {
                throw Self.corrupt("the stored entry '\(found.name)' has \(found.compressedSize) bytes but claims \(found.size)")
            }
            let itemSize = tensor.itemSize
            let isUntyped = tensor.storageType == TorchTypes.untypedStorage
            if let itemSize {
                let (expected, overflow) = tensor.storageNumel.multipliedReportingOverflow(by: isUntyped ? 1 : itemSize)
                guard !overflow, expected == found.size else {
                    throw Self.corrupt("the storage '\(tensor.storageKey)' of tensor '\(name)' has \(found.size) bytes, not the \(tensor.storageNumel) \(isUntyped ? "bytes" : tensor.dtypeName + " elements") its pickle says")
                }
            }
            storages[tensor.storageKey] = found
        }
        self.archive = archive
        self.prefix = String(folder.dropLast())
        self.root = root
        self.globals = machine.globals.sorted()
        self.byteOrder = byteOrder
        self.version = version
        self.storages = storages
    }

    /// The tensors of the model's weights, named with dots: for a checkpoint of a whole training state
    /// (a dict holding `state_dict`, `model_state_dict`, `model`, `net`, … beside an optimizer's state and
    /// counters), that entry's tensors; otherwise every tensor of the file.
    public var modelState: (entry: String?, tensors: [(name: String, tensor: TorchTensor)]) {
        for key in Self.modelStateKeys {
            if let value = root[key] {
                let tensors = value.tensors
                if !tensors.isEmpty { return (key, tensors) }
            }
        }
        return (nil, root.tensors)
    }

    /// The keys a training-state checkpoint keeps its model's weights under (Lightning: `state_dict`;
    /// the PyTorch tutorials: `model_state_dict`; SuperGradients: `net`), in the order they are tried.
    public static let modelStateKeys = ["state_dict", "model_state_dict", "model_state", "model", "net", "module", "network", "weights"]

    /// Where a tensor's elements lie in the archive when they lie there little-endian and in C order (so a
    /// view of the file is the tensor), or nil when reading them needs a copy (a strided view, a
    /// big-endian archive, a dtype Cairn does not read).
    /// - Throws: `CairnError` of kind `.corrupt` when the storage's local header is damaged.
    public func dataRange(of tensor: TorchTensor, in bytes: UnsafeRawBufferPointer) throws(CairnError) -> Range<Int>? {
        guard let dtype = tensor.dtype, let count = tensor.byteCount, let entry = storages[tensor.storageKey],
              tensor.isContiguous, byteOrder == .little || dtype.itemSize == 1 else { return nil }
        let start = try archive.dataRange(of: entry, in: bytes).lowerBound + tensor.storageOffset * dtype.itemSize
        return start..<start + count
    }

    /// Calls `body` with a tensor's elements, little-endian and in C order: a view of the archive when
    /// the storage already holds them so, a copy gathered by the tensor's strides otherwise.
    /// - Parameters:
    ///   - tensor: a tensor of ``root``.
    ///   - bytes: the archive this checkpoint was read from.
    /// - Throws: `CairnError` of kind `.unsupportedFormat` when its dtype is one Cairn does not read, or
    ///   when a strided view would take more bytes than the whole file once gathered.
    public func withData<R>(of tensor: TorchTensor, in bytes: UnsafeRawBufferPointer,
                            _ body: (UnsafeRawBufferPointer) throws(CairnError) -> R) throws(CairnError) -> R {
        guard let dtype = tensor.dtype else {
            throw CairnError(.unsupportedFormat, "Cairn does not read tensors of dtype \(tensor.dtypeName)",
                             hint: "convert it in torch to a float or integer type")
        }
        guard let entry = storages[tensor.storageKey] else {
            throw CairnError(.notFound, "the storage '\(tensor.storageKey)' is not one of this checkpoint's", hint: "give a tensor of this checkpoint")
        }
        if let range = try dataRange(of: tensor, in: bytes) { return try body(UnsafeRawBufferPointer(rebasing: bytes[range])) }
        let storage = UnsafeRawBufferPointer(rebasing: bytes[try archive.dataRange(of: entry, in: bytes)])
        let start = tensor.storageOffset * dtype.itemSize
        // A view with zero strides (`expand`) may name far more elements than its storage holds: it is
        // gathered only while that stays within the file's size, so a few hostile bytes cannot ask for
        // terabytes.
        guard let count = tensor.byteCount, count <= bytes.count else {
            throw CairnError(.unsupportedFormat, "the tensor view (shape \(tensor.shape), strides \(tensor.stride)) would take \(tensor.byteCount.map(String.init) ?? "too many") bytes once gathered, more than the whole file",
                             hint: "call .contiguous() on it in torch before saving, or .clone() the expanded tensor")
        }
        var copy = TensorReordering.gather(storage, offset: start, shape: tensor.shape, stride: tensor.stride, itemSize: dtype.itemSize)
        if byteOrder == .big { TensorReordering.swapBytes(&copy, itemSize: dtype.byteOrderUnit) }
        return try copy.withUnsafeBytes { raw in Result { () throws(CairnError) in try body(raw) } }.get()
    }

    /// The bytes of an entry that must be stored, not compressed.
    private static func stored(_ entry: ZipArchive.Entry, of archive: ZipArchive, in bytes: UnsafeRawBufferPointer) throws(CairnError) -> UnsafeRawBufferPointer {
        guard entry.method == 0 else { throw compressed(entry.name) }
        guard entry.compressedSize == entry.size else {
            throw corrupt("the stored entry '\(entry.name)' has \(entry.compressedSize) bytes but claims \(entry.size)")
        }
        return UnsafeRawBufferPointer(rebasing: bytes[try archive.dataRange(of: entry, in: bytes)])
    }

    private static func compressed(_ name: String) -> CairnError {
        CairnError(.unsupportedFormat, "the checkpoint's entry '\(name)' is compressed, which torch.save never does",
                   hint: "save it again with torch.save (or unzip and zip it with no compression)")
    }

    static func corrupt(_ what: String) -> CairnError {
        CairnError(.corrupt, "the PyTorch checkpoint is damaged: \(what)", hint: "the file may be cut short; save it again")
    }
}
