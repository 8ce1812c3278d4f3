import CairnCore

/// The directory of a zip archive held in memory (a mapped file), read from its central directory as
/// zip readers must (torch's local headers carry padding the central directory does not): each entry's
/// name, method, CRC-32, sizes and local header. ZIP64 records are followed. Only the directory is read
/// (an entry's local header, which says where its data starts, only when the entry is read: on a cold
/// cache, touching every local header of a large checkpoint would cost a disk seek each); data is not
/// copied or decompressed, and every offset and size is checked against the buffer, so a damaged or
/// hostile archive is refused with an error, never read past its end.
public struct ZipArchive: Sendable {
    /// One file inside the archive.
    public struct Entry: Sendable, Equatable {
        /// The name, as stored (UTF-8; folders separated by `/`).
        public let name: String
        /// The compression method: 0 is stored (the only one torch writes), 8 deflate.
        public let method: UInt16
        /// The CRC-32 the directory records.
        public let crc32: UInt32
        /// Bytes stored in the archive.
        public let compressedSize: Int
        /// Bytes once extracted.
        public let size: Int
        /// Where the entry's local header starts in the archive.
        public let localHeaderOffset: Int
    }

    /// The entries, in central-directory order.
    public let entries: [Entry]

    static let localHeaderSignature: UInt32 = 0x0403_4B50
    static let centralHeaderSignature: UInt32 = 0x0201_4B50
    static let endSignature: UInt32 = 0x0605_4B50
    static let zip64EndSignature: UInt32 = 0x0606_4B50
    static let zip64LocatorSignature: UInt32 = 0x0706_4B50

    /// Reads the directory of an archive.
    /// - Parameter bytes: the whole archive.
    /// - Throws: `CairnError` of kind `.corrupt` when the archive's records are missing, cut short or point
    ///   outside it.
    public init(reading bytes: UnsafeRawBufferPointer) throws(CairnError) {
        let reader = ZipFieldReader(bytes)
        let end = try Self.findEnd(in: bytes)
        var count = Int(try reader.u16(at: end + 10))
        var directorySize = Int(try reader.u32(at: end + 12))
        var directoryOffset = Int(try reader.u32(at: end + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: a locator right before the end record gives the ZIP64 end record's offset.
            let locator = end - 20
            guard locator >= 0, try reader.u32(at: locator) == Self.zip64LocatorSignature else {
                throw Self.damaged("its end record asks for ZIP64 records that are missing")
            }
            let record = try reader.offset(try reader.u64(at: locator + 8))
            guard try reader.u32(at: record) == Self.zip64EndSignature else {
                throw Self.damaged("its ZIP64 locator points to no ZIP64 end record")
            }
            count = try reader.offset(try reader.u64(at: record + 32))
            directorySize = try reader.offset(try reader.u64(at: record + 40))
            directoryOffset = try reader.offset(try reader.u64(at: record + 48))
        }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw Self.damaged("its central directory (\(directorySize) bytes at \(directoryOffset)) runs past the end of the file")
        }
        // Each directory record takes at least 46 bytes: a count beyond that is a lie, not an allocation.
        guard count <= directorySize / 46 else {
            throw Self.damaged("it claims \(count) entries in a central directory of \(directorySize) bytes")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var position = directoryOffset
        for _ in 0..<count {
            let (entry, next) = try Self.entry(at: position, reader: reader, directoryEnd: directoryOffset + directorySize)
            entries.append(entry)
            position = next
        }
        self.entries = entries
    }

    /// Where an entry's data lies in the archive, from its local header.
    /// - Parameters:
    ///   - entry: one of ``entries``.
    ///   - bytes: the archive the directory was read from.
    /// - Throws: `CairnError` of kind `.corrupt` when the local header is not there or the data runs past
    ///   the end of the archive.
    public func dataRange(of entry: Entry, in bytes: UnsafeRawBufferPointer) throws(CairnError) -> Range<Int> {
        let reader = ZipFieldReader(bytes)
        let local = entry.localHeaderOffset
        guard try reader.u32(at: local) == Self.localHeaderSignature else {
            throw Self.damaged("the local header of '\(entry.name)' is not at byte \(local)")
        }
        let start = local + 30 + Int(try reader.u16(at: local + 26)) + Int(try reader.u16(at: local + 28))
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
            throw Self.damaged("the data of '\(entry.name)' (\(entry.compressedSize) bytes at \(start)) runs past the end of the file")
        }
        return start..<start + entry.compressedSize
    }

    /// The entry named `name`, or nil.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The end-of-central-directory record, searched backwards over the largest comment it may carry.
    private static func findEnd(in bytes: UnsafeRawBufferPointer) throws(CairnError) -> Int {
        guard bytes.count >= 22 else { throw damaged("it is \(bytes.count) bytes, shorter than a zip's end record") }
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var position = bytes.count - 22
        while position >= lowest {
            if bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self) == endSignature.littleEndian {
                let commentLength = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: position + 20, as: UInt16.self)))
                if position + 22 + commentLength <= bytes.count { return position }
            }
            position -= 1
        }
        throw damaged("it has no end-of-central-directory record (cut short, or not a zip archive)")
    }

    /// One central-directory record and the local header it points to.
    private static func entry(at position: Int, reader: ZipFieldReader, directoryEnd: Int) throws(CairnError) -> (Entry, Int) {
        guard position + 46 <= directoryEnd, try reader.u32(at: position) == centralHeaderSignature else {
            throw damaged("its central directory is cut short or damaged at byte \(position)")
        }
        let method = try reader.u16(at: position + 10)
        let crc = try reader.u32(at: position + 16)
        var compressed = UInt64(try reader.u32(at: position + 20))
        var size = UInt64(try reader.u32(at: position + 24))
        let nameLength = Int(try reader.u16(at: position + 28))
        let extraLength = Int(try reader.u16(at: position + 30))
        let commentLength = Int(try reader.u16(at: position + 32))
        var localOffset = UInt64(try reader.u32(at: position + 42))
        let next = position + 46 + nameLength + extraLength + commentLength
        guard next <= directoryEnd else { throw damaged("a central directory record at byte \(position) runs past the directory") }
        let name = String(decoding: try reader.slice(position + 46, nameLength), as: UTF8.self)
        // ZIP64 extra field (id 1): the 64-bit values of the fields set to 0xFFFFFFFF, in this order.
        var extra = position + 46 + nameLength
        let extraEnd = extra + extraLength
        while extra + 4 <= extraEnd {
            let id = try reader.u16(at: extra)
            let length = Int(try reader.u16(at: extra + 2))
            guard extra + 4 + length <= extraEnd else { throw damaged("the extra field of '\(name)' runs past its record") }
            if id == 1 {
                let fieldEnd = extra + 4 + length
                var field = extra + 4
                if size == 0xFFFF_FFFF { size = try reader.u64(at: field, before: fieldEnd, of: name); field += 8 }
                if compressed == 0xFFFF_FFFF { compressed = try reader.u64(at: field, before: fieldEnd, of: name); field += 8 }
                if localOffset == 0xFFFF_FFFF { localOffset = try reader.u64(at: field, before: fieldEnd, of: name) }
            }
            extra += 4 + length
        }
        let local = try reader.offset(localOffset)
        let storedBytes = try reader.offset(compressed)
        let extracted = try reader.offset(size, bound: Int.max)
        guard local <= reader.count - 30 else {
            throw damaged("the local header of '\(name)' at byte \(local) runs past the end of the file")
        }
        let entry = Entry(name: name, method: method, crc32: crc, compressedSize: storedBytes, size: extracted, localHeaderOffset: local)
        return (entry, next)
    }

    static func damaged(_ what: String) -> CairnError {
        CairnError(.corrupt, "the zip archive is damaged: \(what)", hint: "the file may be cut short; save it again")
    }
}
