/// Writes a zip archive of stored (uncompressed) entries as a stream, the way torch's writer (miniz)
/// does: each entry's data starts on a multiple of ``alignment`` (padding in an extra field of the local
/// header), its CRC-32 and sizes follow it in a data descriptor (so data can be written as it is made),
/// and ZIP64 end records close the archive. It computes bytes and does no I/O: each call returns the
/// bytes to write next, and the caller writes each entry's data itself, passing it through ``data(_:)``.
public struct ZipWriter: Sendable {
    /// What data offsets are a multiple of.
    public let alignment: Int
    /// Bytes returned so far (the archive's size once finished).
    public private(set) var offset = 0

    private struct Written {
        let name: [UInt8]
        let localOffset: Int
        let crc: UInt32
        let size: Int
        let zip64: Bool
    }
    private var written: [Written] = []
    private var current: (name: [UInt8], localOffset: Int, declaredSize: Int, zip64: Bool)?
    private var crc: UInt32 = 0
    private var size = 0

    /// - Parameter alignment: the data alignment (torch: 64).
    public init(alignment: Int = 64) {
        precondition(alignment >= 1)
        self.alignment = alignment
    }

    /// Starts an entry.
    /// - Parameters:
    ///   - name: its name in the archive.
    ///   - size: the bytes its data will have (to choose 32- or 64-bit sizes up front).
    /// - Returns: its local header, to write before its data.
    public mutating func begin(_ name: String, size: Int) -> [UInt8] {
        precondition(current == nil, "finish the entry before beginning another")
        let nameBytes = Array(name.utf8)
        let zip64 = size >= 0xFFFF_FFFF
        let fixed = 30 + nameBytes.count + (zip64 ? 20 : 0) + 4
        let padding = (alignment - (offset + fixed) % alignment) % alignment
        var header: [UInt8] = []
        header.reserveCapacity(fixed + padding)
        header.appendLittleEndian(UInt32(0x0403_4B50))
        header.appendLittleEndian(UInt16(zip64 ? 45 : 20))         // version needed
        header.appendLittleEndian(UInt16(0x0808))                  // data descriptor; UTF-8 name
        header.appendLittleEndian(UInt16(0))                       // stored
        header.appendLittleEndian(UInt16(0))                       // time
        header.appendLittleEndian(UInt16(0x21))                    // date: 1980-01-01
        header.appendLittleEndian(UInt32(0))                       // CRC: in the descriptor
        header.appendLittleEndian(UInt32(zip64 ? 0xFFFF_FFFF : 0))
        header.appendLittleEndian(UInt32(zip64 ? 0xFFFF_FFFF : 0))
        header.appendLittleEndian(UInt16(nameBytes.count))
        header.appendLittleEndian(UInt16((zip64 ? 20 : 0) + 4 + padding))
        header += nameBytes
        if zip64 {
            header.appendLittleEndian(UInt16(1))
            header.appendLittleEndian(UInt16(16))
            header.appendLittleEndian(UInt64(0))
            header.appendLittleEndian(UInt64(0))
        }
        header += [UInt8(ascii: "F"), UInt8(ascii: "B")]
        header.appendLittleEndian(UInt16(padding))
        header += [UInt8](repeating: UInt8(ascii: "Z"), count: padding)
        current = (nameBytes, offset, size, zip64)
        offset += header.count
        crc = 0
        self.size = 0
        return header
    }

    /// Counts and checksums a piece of the current entry's data (which the caller writes).
    public mutating func data(_ bytes: UnsafeRawBufferPointer) {
        crc = CRC32.update(crc, bytes)
        size += bytes.count
        offset += bytes.count
    }

    /// Ends the current entry.
    /// - Returns: its data descriptor, to write after its data.
    public mutating func end() -> [UInt8] {
        guard let entry = current else { preconditionFailure("no entry to end") }
        precondition(size == entry.declaredSize, "the entry '\(String(decoding: entry.name, as: UTF8.self))' got \(size) bytes, not \(entry.declaredSize)")
        var descriptor: [UInt8] = []
        descriptor.appendLittleEndian(UInt32(0x0807_4B50))
        descriptor.appendLittleEndian(crc)
        if entry.zip64 {
            descriptor.appendLittleEndian(UInt64(size))
            descriptor.appendLittleEndian(UInt64(size))
        } else {
            descriptor.appendLittleEndian(UInt32(size))
            descriptor.appendLittleEndian(UInt32(size))
        }
        written.append(Written(name: entry.name, localOffset: entry.localOffset, crc: crc, size: size, zip64: entry.zip64))
        current = nil
        offset += descriptor.count
        return descriptor
    }

    /// A whole entry at once: its header, data and descriptor.
    public mutating func entry(_ name: String, _ bytes: [UInt8]) -> [UInt8] {
        var out = begin(name, size: bytes.count)
        bytes.withUnsafeBytes { data($0) }
        out += bytes
        out += end()
        return out
    }

    /// Ends the archive.
    /// - Returns: the central directory and end records, the last bytes of the archive.
    public mutating func finish() -> [UInt8] {
        precondition(current == nil, "end the last entry before finishing")
        let directoryOffset = offset
        var out: [UInt8] = []
        for entry in written {
            let wideOffset = entry.localOffset >= 0xFFFF_FFFF
            let wide = entry.zip64 || wideOffset
            var extra: [UInt8] = []
            if wide {
                extra.appendLittleEndian(UInt16(1))
                extra.appendLittleEndian(UInt16((entry.zip64 ? 16 : 0) + (wideOffset ? 8 : 0)))
                if entry.zip64 {
                    extra.appendLittleEndian(UInt64(entry.size))
                    extra.appendLittleEndian(UInt64(entry.size))
                }
                if wideOffset { extra.appendLittleEndian(UInt64(entry.localOffset)) }
            }
            out.appendLittleEndian(UInt32(0x0201_4B50))
            out.appendLittleEndian(UInt16(wide ? 45 : 20))          // made by
            out.appendLittleEndian(UInt16(wide ? 45 : 20))          // needed
            out.appendLittleEndian(UInt16(0x0808))
            out.appendLittleEndian(UInt16(0))
            out.appendLittleEndian(UInt16(0))
            out.appendLittleEndian(UInt16(0x21))
            out.appendLittleEndian(entry.crc)
            out.appendLittleEndian(UInt32(entry.zip64 ? 0xFFFF_FFFF : UInt32(entry.size)))
            out.appendLittleEndian(UInt32(entry.zip64 ? 0xFFFF_FFFF : UInt32(entry.size)))
            out.appendLittleEndian(UInt16(entry.name.count))
            out.appendLittleEndian(UInt16(extra.count))
            out.appendLittleEndian(UInt16(0))                       // comment
            out.appendLittleEndian(UInt16(0))                       // disk
            out.appendLittleEndian(UInt16(0))                       // internal attributes
            out.appendLittleEndian(UInt32(0))                       // external attributes
            out.appendLittleEndian(UInt32(wideOffset ? 0xFFFF_FFFF : UInt32(entry.localOffset)))
            out += entry.name
            out += extra
        }
        let directorySize = out.count
        let zip64End = directoryOffset + directorySize
        // ZIP64 end record and its locator, as torch always writes them.
        out.appendLittleEndian(UInt32(0x0606_4B50))
        out.appendLittleEndian(UInt64(44))
        out.appendLittleEndian(UInt16(45))
        out.appendLittleEndian(UInt16(45))
        out.appendLittleEndian(UInt32(0))
        out.appendLittleEndian(UInt32(0))
        out.appendLittleEndian(UInt64(written.count))
        out.appendLittleEndian(UInt64(written.count))
        out.appendLittleEndian(UInt64(directorySize))
        out.appendLittleEndian(UInt64(directoryOffset))
        out.appendLittleEndian(UInt32(0x0706_4B50))
        out.appendLittleEndian(UInt32(0))
        out.appendLittleEndian(UInt64(zip64End))
        out.appendLittleEndian(UInt32(1))
        // The classic end record, its fields saturated where ZIP64 holds the value.
        out.appendLittleEndian(UInt32(0x0605_4B50))
        out.appendLittleEndian(UInt16(0))
        out.appendLittleEndian(UInt16(0))
        out.appendLittleEndian(UInt16(min(written.count, 0xFFFF)))
        out.appendLittleEndian(UInt16(min(written.count, 0xFFFF)))
        out.appendLittleEndian(UInt32(min(directorySize, 0xFFFF_FFFF)))
        out.appendLittleEndian(UInt32(min(directoryOffset, 0xFFFF_FFFF)))
        out.appendLittleEndian(UInt16(0))
        offset += out.count
        return out
    }
}

extension Array where Element == UInt8 {
    /// Appends an integer's little-endian bytes.
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { self += $0 }
    }
}
