/// Iterates the records of TFRecord-framed bytes, checking both CRCs, and stops at the first damaged
/// record, reporting it as a ``TFRecordDamage`` instead of failing.
///
/// ```swift
/// var reader = TFRecordReader(bytes: fileBytes)
/// while let range = reader.next() { handle(fileBytes[range]) }
/// if let damage = reader.damage { report(damage) }
/// ```
public struct TFRecordReader: Sendable {
    /// The bytes being read.
    public let bytes: [UInt8]
    /// The offset of the next record's header.
    public private(set) var offset = 0
    /// The number of good records returned so far.
    public private(set) var recordIndex = 0
    /// Set when iteration stopped at a damaged record.
    public private(set) var damage: TFRecordDamage?
    /// Whether CRCs are checked (on by default).
    public var verifiesChecksums: Bool

    /// A reader at the start of `bytes`.
    public init(bytes: [UInt8], verifiesChecksums: Bool = true) {
        self.bytes = bytes
        self.verifiesChecksums = verifiesChecksums
    }

    /// The range of `bytes` holding the next record's data, or nil at the end of the bytes or at a
    /// damaged record (then ``damage`` says where and why).
    public mutating func next() -> Range<Int>? {
        guard damage == nil, offset < bytes.count else { return nil }
        let start = offset
        let verify = verifiesChecksums
        let index = recordIndex
        let outcome = bytes.withUnsafeBytes { buffer in
            CRC32C.tables.withUnsafeBufferPointer { table in
                Self.record(in: buffer, at: start, index: index, verify: verify, table: table.baseAddress!)
            }
        }
        switch outcome {
        case .success(let data):
            offset = data.upperBound + 4
            recordIndex += 1
            return data
        case .failure(let problem):
            damage = problem
            return nil
        }
    }

    /// Whether `bytes` start with a whole record whose checksums hold: how every TensorBoard event file
    /// starts (its small `file_version` record), and what almost no other file does by chance.
    public static func startsWithRecord(_ bytes: [UInt8]) -> Bool {
        var reader = TFRecordReader(bytes: bytes)
        return reader.next() != nil
    }

    /// The data ranges of every good record, and the damage that stopped reading, if any.
    public static func records(in bytes: [UInt8], verifiesChecksums: Bool = true)
        -> (records: [Range<Int>], damage: TFRecordDamage?) {
        var reader = TFRecordReader(bytes: bytes, verifiesChecksums: verifiesChecksums)
        var ranges: [Range<Int>] = []
        while let range = reader.next() { ranges.append(range) }
        return (ranges, reader.damage)
    }

    /// Calls `body` with each good record's data (a view into `buffer`), its data offset and its index,
    /// until the end, a damaged record, or `body` returns false.
    /// - Returns: the number of good records visited, the end offset of the last one, and the damage.
    public static func forEachRecord(
        in buffer: UnsafeRawBufferPointer, verifiesChecksums: Bool = true,
        _ body: (_ data: UnsafeRawBufferPointer, _ dataOffset: Int, _ index: Int) -> Bool
    ) -> (records: Int, validBytes: Int, damage: TFRecordDamage?) {
        CRC32C.tables.withUnsafeBufferPointer { table in
            let t = table.baseAddress!
            var offset = 0
            var index = 0
            while offset < buffer.count {
                switch record(in: buffer, at: offset, index: index, verify: verifiesChecksums, table: t) {
                case .success(let data):
                    let keepGoing = body(UnsafeRawBufferPointer(rebasing: buffer[data]), data.lowerBound, index)
                    offset = data.upperBound + 4
                    index += 1
                    if !keepGoing { return (index, offset, nil) }
                case .failure(let damage):
                    return (index, offset, damage)
                }
            }
            return (index, offset, nil)
        }
    }

    /// Checks the record whose header starts at `start` and returns its data range.
    @inline(__always)
    static func record(in buffer: UnsafeRawBufferPointer, at start: Int, index: Int, verify: Bool,
                       table: UnsafePointer<UInt32>) -> Result<Range<Int>, TFRecordDamage> {
        let available = buffer.count - start
        guard available >= 12 else {
            return .failure(TFRecordDamage(offset: start, recordIndex: index, problem: .truncatedHeader(available: available)))
        }
        let base = buffer.baseAddress! + start
        let length = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        if verify {
            let stored = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
            let computed = CRC32C.masked(CRC32C.update(0, base, 8, table))
            guard stored == computed else {
                return .failure(TFRecordDamage(offset: start, recordIndex: index,
                                               problem: .lengthChecksumMismatch(stored: stored, computed: computed)))
            }
        }
        guard length <= UInt64(available - 12), Int(length) + 4 <= available - 12 else {
            return .failure(TFRecordDamage(offset: start, recordIndex: index,
                                           problem: .truncatedData(length: length, available: available - 12)))
        }
        let n = Int(length)
        if verify {
            let stored = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 12 + n, as: UInt32.self))
            let computed = CRC32C.masked(CRC32C.update(0, base + 12, n, table))
            guard stored == computed else {
                return .failure(TFRecordDamage(offset: start, recordIndex: index,
                                               problem: .dataChecksumMismatch(stored: stored, computed: computed)))
            }
        }
        return .success((start + 12)..<(start + 12 + n))
    }
}
