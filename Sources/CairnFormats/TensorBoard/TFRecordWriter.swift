/// Appends TFRecord-framed records to a byte buffer.
///
/// Each record is `uint64 length | uint32 masked_crc32c(length bytes) | data | uint32 masked_crc32c(data)`,
/// all little-endian, with no file header and no padding. The writer does no I/O: the caller writes
/// ``bytes`` (or ``takeBytes()``) to a file.
public struct TFRecordWriter: Sendable {
    /// The framing bytes around each record's data: 12 before, 4 after.
    public static let overhead = 16

    /// The records written so far.
    public private(set) var bytes: [UInt8]

    /// The number of records written so far.
    public private(set) var recordCount = 0

    /// An empty writer.
    /// - Parameter capacity: bytes to reserve up front.
    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends one record holding `data`.
    public mutating func append(_ data: [UInt8]) {
        data.withUnsafeBytes { append($0) }
    }

    /// Appends one record holding the bytes of `data`.
    public mutating func append(_ data: UnsafeRawBufferPointer) {
        appendRecord(length: data.count) { out in
            if let base = data.baseAddress, !data.isEmpty { out.copyMemory(from: base, byteCount: data.count) }
        }
    }

    /// Appends one record of exactly `length` data bytes that `fill` writes at the pointer it is given,
    /// then frames it (length, CRCs). The fastest way to append: no intermediate buffer.
    public mutating func appendRecord(length: Int, _ fill: (UnsafeMutableRawPointer) -> Void) {
        let start = bytes.count
        let total = length + Self.overhead
        bytes.append(contentsOf: repeatElement(0, count: total))
        bytes.withUnsafeMutableBytes { buffer in
            _ = Self.frame(at: buffer.baseAddress! + start, length: length, fill)
        }
        recordCount += 1
    }

    /// Writes one framed record at `pointer` (which has room for `length + 16` bytes): the header, the
    /// data `fill` writes after it, and both CRCs. Returns the bytes used (`length + 16`).
    @discardableResult
    @inline(__always)
    public static func frame(at pointer: UnsafeMutableRawPointer, length: Int,
                             _ fill: (UnsafeMutableRawPointer) -> Void) -> Int {
        pointer.storeBytes(of: UInt64(length).littleEndian, as: UInt64.self)
        fill(pointer + 12)
        CRC32C.tables.withUnsafeBufferPointer { table in
            let t = table.baseAddress!
            let lengthCRC = CRC32C.masked(CRC32C.update(0, UnsafeRawPointer(pointer), 8, t))
            pointer.storeBytes(of: lengthCRC.littleEndian, toByteOffset: 8, as: UInt32.self)
            let dataCRC = CRC32C.masked(CRC32C.update(0, UnsafeRawPointer(pointer + 12), length, t))
            pointer.storeBytes(of: dataCRC.littleEndian, toByteOffset: 12 + length, as: UInt32.self)
        }
        return length + overhead
    }

    /// Appends bytes that are already framed (for example another writer's output).
    public mutating func appendFramed(_ framed: [UInt8], records: Int) {
        bytes.append(contentsOf: framed)
        recordCount += records
    }

    /// Returns the bytes written so far and empties the writer (the record count is kept).
    public mutating func takeBytes() -> [UInt8] {
        let out = bytes
        bytes = []
        return out
    }

    /// One record holding `data`, framed.
    public static func framed(_ data: [UInt8]) -> [UInt8] {
        var writer = TFRecordWriter(capacity: data.count + overhead)
        writer.append(data)
        return writer.bytes
    }
}
