import CairnCore

/// The header of a safetensors file: an 8-byte little-endian length N, N bytes of JSON naming each
/// tensor's dtype, shape and byte range in the data that follows, and `__metadata__` (strings). Read
/// with the checks of the reference implementation (`read_metadata`, `Metadata::validate` in
/// huggingface/safetensors): N at most 100,000,000 and within the file, valid UTF-8 JSON, a known dtype
/// per tensor, ranges that start at 0 and follow each other without gap or overlap, each as long as its
/// shape and dtype say (no overflow, whole bytes), and the last ending at the file's end.
///
/// Where Cairn differs: a key given twice in the JSON is refused (the reference keeps the last).
public struct SafetensorsHeader: Sendable, Equatable {
    /// One tensor's entry.
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var dtype: TensorDType
        public var shape: [Int]
        /// Its byte range in the data (after the header), `[begin, end)`.
        public var begin: Int
        public var end: Int

        public var byteCount: Int { end - begin }
        public var count: Int { shape.reduce(1, *) }
    }

    /// The tensors, in the order of their data.
    public var tensors: [Tensor]
    /// `__metadata__`, or nil when the file has none.
    public var metadata: [String: String]?
    /// N: the JSON's length, padding included.
    public var headerLength: Int
    /// Where the data starts: 8 + N.
    public var dataStart: Int { 8 + headerLength }

    /// The largest header the reference reads.
    public static let maxHeaderLength = 100_000_000

    /// The length N from a file's first 8 bytes, checked against the file's size: how many bytes to
    /// read for ``init(json:headerLength:fileSize:)``.
    /// - Throws: `CairnError` of kind `.corrupt` for a file shorter than 8 bytes or an N too large.
    public static func headerLength(_ first: UnsafeRawBufferPointer, fileSize: Int) throws(CairnError) -> Int {
        guard first.count >= 8, fileSize >= 8 else {
            throw CairnError(.corrupt, "the safetensors file has \(fileSize) bytes, fewer than its 8-byte header length", hint: "the file is cut short")
        }
        var length: UInt64 = 0
        for index in (0..<8).reversed() { length = length << 8 | UInt64(first[index]) }
        guard length <= UInt64(maxHeaderLength) else {
            throw CairnError(.corrupt, "the safetensors header claims \(length) bytes, more than the \(maxHeaderLength) the format allows",
                             hint: "the file is damaged or not a safetensors file")
        }
        guard 8 + Int(length) <= fileSize else {
            throw CairnError(.corrupt, "the safetensors header claims \(length) bytes but the file has \(fileSize - 8) after the length",
                             hint: "the file is cut short; save it again")
        }
        return Int(length)
    }

    /// Reads and checks the header.
    /// - Parameters:
    ///   - json: the N bytes after the length.
    ///   - headerLength: N.
    ///   - fileSize: the whole file's size.
    /// - Throws: `CairnError` of kind `.corrupt` for anything the reference refuses, `.unsupportedFormat`
    ///   for a dtype it does not know.
    public init(json: UnsafeRawBufferPointer, headerLength: Int, fileSize: Int) throws(CairnError) {
        self.headerLength = headerLength
        guard let text = String(validating: json, as: UTF8.self) else {
            throw Self.corrupt("its header is not valid UTF-8")
        }
        let root: ConfigValue
        do { root = try ConfigJSON.parse(text, fileName: "safetensors header") } catch { throw Self.corrupt("its header is not valid JSON: \(error.message)") }
        guard case .mapping(let entries) = root else { throw Self.corrupt("its header is not a JSON object") }
        var tensors: [Tensor] = []
        for (name, value) in entries.entries {
            if name == "__metadata__" {
                guard case .mapping(let pairs) = value else { throw Self.corrupt("__metadata__ is not an object") }
                var metadata: [String: String] = [:]
                for (key, item) in pairs.entries {
                    guard case .string(let text) = item else { throw Self.corrupt("__metadata__ '\(key)' is not a string") }
                    metadata[key] = text
                }
                self.metadata = metadata
                continue
            }
            tensors.append(try Self.tensor(name, value))
        }
        tensors.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        var end = 0
        for tensor in tensors {
            guard tensor.begin == end else {
                throw Self.corrupt("the data of '\(tensor.name)' starts at \(tensor.begin), not where the previous tensor's ends (\(end)): a gap or an overlap")
            }
            guard let bytes = tensor.dtype.byteCount(of: try Self.elements(tensor)), bytes == tensor.end - tensor.begin else {
                throw Self.corrupt("'\(tensor.name)' (\(tensor.dtype.rawValue), shape \(tensor.shape)) does not take the \(tensor.end - tensor.begin) bytes its offsets give")
            }
            end = tensor.end
        }
        guard end + 8 + headerLength == fileSize else {
            throw Self.corrupt("its tensors end at byte \(8 + headerLength + end) of the data but the file has \(fileSize) bytes")
        }
        self.tensors = tensors
    }

    /// Reads and checks the header of a whole file's bytes (a mapping: only the header is touched).
    /// - Throws: what ``headerLength(_:fileSize:)`` and ``init(json:headerLength:fileSize:)`` throw.
    public init(file bytes: UnsafeRawBufferPointer) throws(CairnError) {
        let length = try Self.headerLength(bytes, fileSize: bytes.count)
        try self.init(json: UnsafeRawBufferPointer(rebasing: bytes[8..<8 + length]), headerLength: length, fileSize: bytes.count)
    }

    private static func tensor(_ name: String, _ value: ConfigValue) throws(CairnError) -> Tensor {
        guard case .mapping(let fields) = value else { throw corrupt("the entry '\(name)' is not an object") }
        guard case .string(let code)? = fields["dtype"] else { throw corrupt("the entry '\(name)' has no dtype") }
        guard let dtype = SafetensorsDTypes.dtypes[code] else {
            throw CairnError(.unsupportedFormat, "the safetensors dtype '\(code)' of '\(name)' is not one Cairn knows",
                             hint: "Cairn reads every dtype of the format: " + SafetensorsDTypes.order.map(\.0).joined(separator: ", "))
        }
        guard case .list(let dimensions)? = fields["shape"] else { throw corrupt("the entry '\(name)' has no shape") }
        var shape: [Int] = []
        for dimension in dimensions {
            guard case .int(let size) = dimension, size >= 0 else { throw corrupt("the shape of '\(name)' is not a list of non-negative integers") }
            shape.append(Int(size))
        }
        guard case .list(let offsets)? = fields["data_offsets"], offsets.count == 2,
              case .int(let begin) = offsets[0], case .int(let end) = offsets[1], begin >= 0, end >= begin else {
            throw corrupt("the data_offsets of '\(name)' are not two integers [begin, end] with begin ≤ end")
        }
        return Tensor(name: name, dtype: dtype, shape: shape, begin: Int(begin), end: Int(end))
    }

    private static func elements(_ tensor: Tensor) throws(CairnError) -> Int {
        var count = 1
        for dimension in tensor.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw corrupt("the shape \(tensor.shape) of '\(tensor.name)' has more elements than can be counted") }
            count = product
        }
        return count
    }

    private static func corrupt(_ why: String) -> CairnError {
        CairnError(.corrupt, "the safetensors file does not read: \(why)", hint: "the file is damaged or was not written by a safetensors writer")
    }
}
