import CairnCore

/// Why a manifest snapshot could not be read.
struct SnapshotReadError: Error {
    let problem: String
}

/// Reads the little-endian fields of a manifest snapshot, every read checked against the end.
struct SnapshotReader {
    private let bytes: UnsafeRawBufferPointer
    private(set) var position: Int

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var atEnd: Bool { position == bytes.count }

    @inline(__always)
    private mutating func take(_ size: Int) throws(SnapshotReadError) -> Int {
        guard size <= bytes.count - position else { throw SnapshotReadError(problem: "it ends early, at byte \(position)") }
        let start = position
        position += size
        return start
    }

    mutating func u8() throws(SnapshotReadError) -> UInt8 {
        bytes[try take(1)]
    }

    mutating func u16() throws(SnapshotReadError) -> UInt16 {
        UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: try take(2), as: UInt16.self))
    }

    mutating func u32() throws(SnapshotReadError) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: try take(4), as: UInt32.self))
    }

    mutating func u64() throws(SnapshotReadError) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: try take(8), as: UInt64.self))
    }

    mutating func i64() throws(SnapshotReadError) -> Int64 { Int64(bitPattern: try u64()) }
    mutating func int() throws(SnapshotReadError) -> Int { Int(try i64()) }
    mutating func double() throws(SnapshotReadError) -> Double { Double(bitPattern: try u64()) }

    /// A count of items that each take at least `minimumSize` bytes (so a damaged count cannot ask for
    /// more memory than the file could describe).
    mutating func count(minimumSize: Int = 1) throws(SnapshotReadError) -> Int {
        let value = Int(try u32())
        guard value <= (bytes.count - position) / max(1, minimumSize) else {
            throw SnapshotReadError(problem: "a count of \(value) at byte \(position - 4) is larger than the file")
        }
        return value
    }

    /// Raw bytes.
    mutating func raw(_ size: Int) throws(SnapshotReadError) -> UnsafeRawBufferPointer {
        let start = try take(size)
        return UnsafeRawBufferPointer(rebasing: bytes[start..<(start + size)])
    }

    /// A string written in place.
    mutating func inline() throws(SnapshotReadError) -> String {
        let length = Int(try u32())
        return String(decoding: try raw(length), as: UTF8.self)
    }

    /// Skips a string written in place.
    mutating func skipInline() throws(SnapshotReadError) {
        _ = try take(Int(try u32()))
    }

    /// Skips `size` bytes.
    mutating func skip(_ size: Int) throws(SnapshotReadError) {
        _ = try take(size)
    }

    /// A sha256 as ``SnapshotWriter/sha256(_:)`` writes it: a tag (0 empty, 1 the 32 bytes of a lowercase
    /// hex digest, 2 any other text in place), then its bytes.
    mutating func sha256() throws(SnapshotReadError) -> String {
        switch try u8() {
        case 0: return ""
        case 1:
            let digest = try raw(32)
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            return String(unsafeUninitializedCapacity: 64) { out in
                for (i, byte) in digest.enumerated() {
                    out[2 * i] = hex[Int(byte >> 4)]
                    out[2 * i + 1] = hex[Int(byte & 15)]
                }
                return 64
            }
        case 2: return try inline()
        case let tag: throw SnapshotReadError(problem: "an unknown sha256 tag \(tag) at byte \(position - 1)")
        }
    }

    /// Skips a sha256 as ``sha256()`` reads it.
    mutating func skipSHA256() throws(SnapshotReadError) {
        switch try u8() {
        case 0: return
        case 1: try skip(32)
        case 2: try skipInline()
        case let tag: throw SnapshotReadError(problem: "an unknown sha256 tag \(tag) at byte \(position - 1)")
        }
    }

    /// An index into a table of `limit` items.
    mutating func index(below limit: Int) throws(SnapshotReadError) -> Int {
        let value = Int(try u32())
        guard value < limit else { throw SnapshotReadError(problem: "an index \(value) past its table at byte \(position - 4)") }
        return value
    }

    /// Any config value, as ``SnapshotWriter/configValue(_:)`` writes it.
    mutating func configValue(depth: Int = 0) throws(SnapshotReadError) -> ConfigValue {
        guard depth < 64 else { throw SnapshotReadError(problem: "a config value nests too deeply") }
        switch try u8() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .int(try i64())
        case 4: return .float(try double())
        case 5: return .string(try inline())
        case 6:
            let n = try count()
            var items: [ConfigValue] = []
            items.reserveCapacity(n)
            for _ in 0..<n { items.append(try configValue(depth: depth + 1)) }
            return .list(items)
        case 7:
            let n = try count(minimumSize: 5)
            var mapping = ConfigMapping()
            for _ in 0..<n {
                let key = try inline()
                mapping.set(key, try configValue(depth: depth + 1))
            }
            return .mapping(mapping)
        case let tag:
            throw SnapshotReadError(problem: "an unknown config value tag \(tag) at byte \(position - 1)")
        }
    }
}
