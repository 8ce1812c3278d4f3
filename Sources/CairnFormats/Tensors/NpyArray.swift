import CairnCore

/// A NumPy `.npy` array: its header and its data bytes as the file stores them (in the file's byte
/// order, in C or Fortran order). Read from a whole file's bytes, or made from values to write.
public struct NpyArray: Sendable {
    public let header: NpyHeader
    /// The data bytes exactly as stored after the header.
    public let data: [UInt8]

    /// Reads an array from a whole file's bytes.
    /// - Throws: what ``NpyHeader/init(reading:fileSize:)`` throws.
    public init(reading file: UnsafeRawBufferPointer) throws(CairnError) {
        header = try NpyHeader(reading: file, fileSize: file.count)
        data = Array(file[header.dataOffset..<header.dataOffset + header.dataByteCount])
    }

    /// An array of `dtype` and `shape` from its elements in C order, little-endian, to be written in
    /// `byteOrder` and, when `fortranOrder`, in Fortran order.
    /// - Throws: `CairnError` of kind `.invalidValue` when `data` is not `shape`'s size, or what
    ///   ``NpyHeader/init(dtype:byteOrder:fortranOrder:shape:)`` throws.
    public init(dtype: TensorDType, shape: [Int], cOrderLittleEndian data: [UInt8], byteOrder: TensorByteOrder = .little,
                fortranOrder: Bool = false) throws(CairnError) {
        header = try NpyHeader(dtype: dtype, byteOrder: byteOrder, fortranOrder: fortranOrder, shape: shape)
        guard data.count == header.dataByteCount else {
            throw CairnError(.invalidValue, "\(data.count) bytes of data for an array of shape \(shape) (\(dtype.rawValue)), which takes \(header.dataByteCount)",
                             hint: "give every element of the array")
        }
        var stored = fortranOrder ? TensorReordering.fortranFromC(data, shape: shape, itemSize: dtype.itemSize) : data
        if header.byteOrder == .big { TensorReordering.swapBytes(&stored, itemSize: dtype.byteOrderUnit) }
        self.data = stored
    }

    /// The file's bytes: header, then data.
    public func encoded() -> [UInt8] { header.encoded() + data }

    /// The elements in C (row-major) order, little-endian: the same bytes whatever order the file used.
    public func cOrderLittleEndian() -> [UInt8] {
        var bytes = header.fortranOrder ? TensorReordering.cFromFortran(data, shape: header.shape, itemSize: header.dtype.itemSize) : data
        if header.byteOrder == .big { TensorReordering.swapBytes(&bytes, itemSize: header.dtype.byteOrderUnit) }
        return bytes
    }

    /// The first `limit` elements in C order, as Doubles.
    public func values(limit: Int = .max) -> [Double] {
        let bytes = cOrderLittleEndian()
        let size = header.dtype.itemSize
        let count = min(limit, header.count)
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { header.dtype.value(littleEndian: raw.baseAddress! + $0 * size) }
        }
    }
}
