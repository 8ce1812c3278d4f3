import CairnCore

/// Bounds-checked little-endian reads from an archive's bytes.
struct ZipFieldReader {
    let bytes: UnsafeRawBufferPointer
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var count: Int { bytes.count }

    func u16(at offset: Int) throws(CairnError) -> UInt16 {
        try check(offset, 2)
        return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    func u32(at offset: Int) throws(CairnError) -> UInt32 {
        try check(offset, 4)
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    func u64(at offset: Int) throws(CairnError) -> UInt64 {
        try check(offset, 8)
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// A ZIP64 extra field's value, which must end by `end`.
    func u64(at offset: Int, before end: Int, of name: String) throws(CairnError) -> UInt64 {
        guard offset + 8 <= end else { throw ZipArchive.damaged("the ZIP64 field of '\(name)' is cut short") }
        return try u64(at: offset)
    }

    func slice(_ offset: Int, _ length: Int) throws(CairnError) -> UnsafeRawBufferPointer {
        try check(offset, length)
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length])
    }

    /// A 64-bit offset or size as an Int no larger than `bound` (the archive's size by default).
    func offset(_ value: UInt64, bound: Int? = nil) throws(CairnError) -> Int {
        guard value <= UInt64(bound ?? bytes.count) else {
            throw ZipArchive.damaged("it names offset or size \(value), beyond its \(bytes.count) bytes")
        }
        return Int(value)
    }

    private func check(_ offset: Int, _ length: Int) throws(CairnError) {
        guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else {
            throw ZipArchive.damaged("a record at byte \(offset) runs past the end of the file")
        }
    }
}
