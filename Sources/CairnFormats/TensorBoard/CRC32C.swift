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
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ polynomial : c >> 1 }
            t[i] = c
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let previous = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

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
        var c = ~crc
        var p = base
        var n = count
        // Byte at a time until the pointer is 8-aligned, then 8 bytes per step.
        while n > 0, UInt(bitPattern: p) & 7 != 0 {
            c = table[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
            p += 1
            n -= 1
        }
        while n >= 8 {
            let word = UInt64(littleEndian: p.load(as: UInt64.self))
            let lo = UInt32(truncatingIfNeeded: word) ^ c
            let hi = UInt32(truncatingIfNeeded: word >> 32)
            c = table[7 * 256 + Int(lo & 0xFF)] ^ table[6 * 256 + Int((lo >> 8) & 0xFF)]
                ^ table[5 * 256 + Int((lo >> 16) & 0xFF)] ^ table[4 * 256 + Int(lo >> 24)]
                ^ table[3 * 256 + Int(hi & 0xFF)] ^ table[2 * 256 + Int((hi >> 8) & 0xFF)]
                ^ table[1 * 256 + Int((hi >> 16) & 0xFF)] ^ table[Int(hi >> 24)]
            p += 8
            n -= 8
        }
        while n > 0 {
            c = table[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
            p += 1
            n -= 1
        }
        return ~c
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
