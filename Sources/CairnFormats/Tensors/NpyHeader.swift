import CairnCore

/// The header of a NumPy `.npy` file (versions 1.0, 2.0 and 3.0): magic, version, header length, and
/// the Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` that numpy
/// writes (docs: numpy's `_format_impl.py`, NEP 1). Read from the first bytes of a file only, so a
/// header is read without its data; written exactly as numpy writes it (sorted keys, the spare space
/// numpy leaves for growing the first axis, padded with spaces and a newline to a multiple of 64 bytes).
public struct NpyHeader: Sendable, Equatable {
    public var major: Int
    public var minor: Int
    public var dtype: TensorDType
    public var byteOrder: TensorByteOrder
    public var fortranOrder: Bool
    public var shape: [Int]
    /// The `descr` as written in the file (`<f4`, `|b1`).
    public var descr: String
    /// Where the data starts: the magic, the version, the length field and the header text.
    public var dataOffset: Int
    /// The number of elements (1 for shape `()`).
    public var count: Int
    /// The data's size in bytes.
    public var dataByteCount: Int

    /// The first six bytes of every npy file: `\x93NUMPY`.
    public static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
    /// The longest header text read: numpy's own reader stops at 10,000 characters unless told more; a
    /// header of structured dtypes can be longer, ours never are.
    public static let maxHeaderBytes = 1 << 20

    /// Reads the header from the file's first bytes (at least its first 10 or 12, and the whole header
    /// text to parse it).
    /// - Parameters:
    ///   - prefix: the file's first bytes.
    ///   - fileSize: the file's size, checked against what the header says the data takes.
    /// - Throws: `CairnError` of kind `.corrupt` for a file that is not npy, cut short, or whose header
    ///   does not read; `.unsupportedFormat` for a dtype Cairn does not handle (object, complex128, strings,
    ///   structured arrays) or an unknown version.
    public init(reading prefix: UnsafeRawBufferPointer, fileSize: Int) throws(CairnError) {
        guard prefix.count >= 10, prefix.prefix(6).elementsEqual(Self.magic) else {
            throw CairnError(.corrupt, "not an npy file: it does not start with \\x93NUMPY", hint: "give a file written by numpy.save")
        }
        major = Int(prefix[6])
        minor = Int(prefix[7])
        let lengthField: Int
        switch (major, minor) {
        case (1, 0): lengthField = 2
        case (2, 0), (3, 0): lengthField = 4
        default:
            throw CairnError(.unsupportedFormat, "npy version \(major).\(minor) is not one Cairn reads (1.0, 2.0, 3.0)",
                             hint: "save the array again with numpy.save")
        }
        guard prefix.count >= 8 + lengthField else { throw Self.truncated("its header length") }
        var headerLength = 0
        for index in (0..<lengthField).reversed() { headerLength = headerLength << 8 | Int(prefix[8 + index]) }
        let start = 8 + lengthField
        guard headerLength <= Self.maxHeaderBytes else {
            throw CairnError(.corrupt, "the npy header claims \(headerLength) bytes, more than the \(Self.maxHeaderBytes) Cairn reads",
                             hint: "the file is damaged or not an array numpy wrote")
        }
        guard start + headerLength <= fileSize else {
            throw CairnError(.corrupt, "the npy header claims \(headerLength) bytes but the file has \(fileSize - start) after its start",
                             hint: "the file is cut short; save it again")
        }
        guard prefix.count >= start + headerLength else { throw Self.truncated("its header") }
        dataOffset = start + headerLength
        let textBytes = UnsafeRawBufferPointer(rebasing: prefix[start..<dataOffset])
        // Versions 1 and 2 are latin-1, version 3 UTF-8; the keys and values Cairn reads are ASCII.
        let text = major == 3 ? String(decoding: textBytes, as: UTF8.self) : String(textBytes.map { Character(Unicode.Scalar($0)) })
        let fields = try NpyHeaderLiteral.parse(text)
        descr = fields.descr
        fortranOrder = fields.fortranOrder
        shape = fields.shape
        (dtype, byteOrder) = try Self.dtype(descr)
        var elements = 1
        for dimension in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw CairnError(.corrupt, "the npy shape \(shape) has more elements than can be counted", hint: "the file is damaged") }
            elements = product
        }
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow, bytes <= fileSize - dataOffset else {
            throw CairnError(.corrupt, "the npy data of shape \(shape) (\(dtype.rawValue)) needs \(overflow ? "more than \(Int.max)" : String(bytes)) bytes, the file has \(fileSize - dataOffset)",
                             hint: "the file is cut short or its header is damaged")
        }
        count = elements
        dataByteCount = bytes
    }

    /// A header for an array, as numpy would write it.
    /// - Throws: `CairnError` of kind `.unsupportedFormat` for a dtype numpy does not have (bfloat16, the
    ///   float8 types), `.invalidValue` for a negative dimension or a size that cannot be counted.
    public init(dtype: TensorDType, byteOrder: TensorByteOrder = .little, fortranOrder: Bool = false, shape: [Int]) throws(CairnError) {
        guard let code = dtype.npyCode else {
            throw CairnError(.unsupportedFormat, "numpy has no \(dtype.rawValue) type, so an npy file cannot hold it",
                             hint: "save it as safetensors, or convert it to float32 first")
        }
        var elements = 1
        for dimension in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow, !product.multipliedReportingOverflow(by: dtype.itemSize).overflow else {
                throw CairnError(.invalidValue, "the shape \(shape) cannot be an array's", hint: "give non-negative dimensions of a size that fits in memory")
            }
            elements = product
        }
        self.dtype = dtype
        self.byteOrder = dtype.itemSize == 1 ? .notApplicable : (byteOrder == .big ? .big : .little)
        self.fortranOrder = fortranOrder
        self.shape = shape
        descr = (self.byteOrder == .big ? ">" : self.byteOrder == .little ? "<" : "|") + code
        count = elements
        dataByteCount = count * dtype.itemSize
        major = 1
        minor = 0
        dataOffset = 0
        let encoded = encoded()
        dataOffset = encoded.count
        major = Int(encoded[6])
    }

    /// The magic, version, length field and padded header text: the bytes before the data.
    public func encoded() -> [UInt8] {
        let shapeText = shape.isEmpty ? "()" : shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var text = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeText), }"
        if let growing = fortranOrder ? shape.last : shape.first {
            text += String(repeating: " ", count: max(0, 21 - String(growing).count))
        }
        var version: UInt8 = 1
        var lengthField = 2
        var padding = 64 - ((8 + lengthField + text.utf8.count + 1) % 64)
        if text.utf8.count + padding + 1 > 0xFFFF {
            version = 2
            lengthField = 4
            padding = 64 - ((8 + lengthField + text.utf8.count + 1) % 64)
        }
        let length = text.utf8.count + padding + 1
        var out = Self.magic + [version, 0]
        for index in 0..<lengthField { out.append(UInt8(truncatingIfNeeded: length >> (8 * index))) }
        out += Array(text.utf8)
        out += [UInt8](repeating: 0x20, count: padding)
        out.append(0x0A)
        return out
    }

    /// The dtype and byte order a `descr` names.
    static func dtype(_ descr: String) throws(CairnError) -> (TensorDType, TensorByteOrder) {
        var code = Substring(descr)
        var order = TensorByteOrder.little   // `=` and no prefix: native, little-endian on the machines Cairn runs on
        switch code.first {
        case "<", "=": code = code.dropFirst()
        case ">": order = .big; code = code.dropFirst()
        case "|": order = .notApplicable; code = code.dropFirst()
        default: break
        }
        let dtype: TensorDType? = switch code {
        case "b1", "?": .bool
        case "i1": .int8
        case "i2": .int16
        case "i4": .int32
        case "i8": .int64
        case "u1": .uint8
        case "u2": .uint16
        case "u4": .uint32
        case "u8": .uint64
        case "f2", "e": .float16
        case "f4": .float32
        case "f8": .float64
        case "c8": .complex64
        default: nil
        }
        guard let dtype else {
            throw CairnError(.unsupportedFormat, "the npy dtype '\(descr)' is not one Cairn reads",
                             hint: "Cairn reads bool, int8–int64, uint8–uint64, float16/32/64 and complex64 arrays; object, complex128, string and structured arrays are not supported")
        }
        return (dtype, dtype.itemSize == 1 ? .notApplicable : order)
    }

    private static func truncated(_ what: String) -> CairnError {
        CairnError(.corrupt, "the npy file is cut short inside \(what)", hint: "the file is damaged; save it again")
    }
}
