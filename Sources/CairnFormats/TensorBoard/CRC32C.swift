import CCRC32C

/// CRC-32C (Castagnoli), the checksum of TFRecord framing, with TensorFlow's masking.
///
/// Parameters: reflected polynomial 0x82F63B78, initial value 0xFFFFFFFF, final XOR 0xFFFFFFFF
/// (`"123456789"` → 0xE3069283). On x86-64 with SSE 4.2 the CPU's CRC32 instruction computes it (a
/// small C target, CCRC32C); elsewhere it is table driven, slicing by 8 (eight bytes per step through
/// eight 256-entry tables). No Foundation, no allocation.
public enum CRC32C {
    /// The reflected Castagnoli polynomial.
    public static let polynomial: UInt32 = 0x82F6_3B78

    /// TensorFlow's mask delta (`kMaskDelta` in `crc32c.h`).
    public static let maskDelta: UInt32 = 0xA282_EAD8

    /// Eight tables of 256 entries, one after the other: table 0 is the byte-at-a-time table, table k
    /// advances a byte k positions further.
    static let tables = CRCSlicing.tables(polynomial: polynomial)

    /// The CRC-32C of some bytes.
    /// - Parameter bytes: the bytes.
    /// - Returns: the checksum (0 for no bytes).
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// The CRC-32C of the bytes in a buffer.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, bytes)
    }

    /// Extends a CRC-32C with more bytes: `update(checksum(a), b) == checksum(a + b)`.
    /// - Parameters:
    ///   - crc: the checksum of the bytes so far (0 to start).
    ///   - bytes: the next bytes.
    /// True when the CPU's CRC32 instruction computes checksums (x86-64 with SSE 4.2).
    static let hardware = cairn_crc32c_hardware() == 1

    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        if hardware { return cairn_crc32c_update(crc, base, bytes.count) }
        return tables.withUnsafeBufferPointer { table in
            update(crc, base, bytes.count, table.baseAddress!)
        }
    }

    /// The core loop over raw memory; `table` is ``tables``.
    @inline(__always)
    static func update(_ crc: UInt32, _ base: UnsafeRawPointer, _ count: Int, _ table: UnsafePointer<UInt32>) -> UInt32 {
        if hardware { return cairn_crc32c_update(crc, base, count) }
        return updateWithTables(crc, base, count, table)
    }

    /// The table-driven computation (used where the CPU has no CRC32 instruction, and by the tests
    /// that check both ways agree).
    static func updateWithTables(_ crc: UInt32, _ base: UnsafeRawPointer, _ count: Int, _ table: UnsafePointer<UInt32>) -> UInt32 {
        CRCSlicing.update(crc, base, count, table)
    }

    /// TFRecord's masked form of a CRC: rotate right by 15 bits, then add ``maskDelta`` (mod 2³²).
    public static func masked(_ crc: UInt32) -> UInt32 {
        ((crc >> 15) | (crc << 17)) &+ maskDelta
    }

    /// The inverse of ``masked(_:)``.
    public static func unmasked(_ maskedCRC: UInt32) -> UInt32 {
        let r = maskedCRC &- maskDelta
        return (r >> 17) | (r << 15)
    }

    /// The masked CRC-32C of some bytes, as stored in TFRecord framing.
    public static func maskedChecksum(_ bytes: [UInt8]) -> UInt32 {
        masked(checksum(bytes))
    }
}
