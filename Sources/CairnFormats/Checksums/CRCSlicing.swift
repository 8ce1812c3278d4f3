/// Table-driven CRC-32 of any reflected polynomial, slicing by 8: eight bytes per step through eight
/// 256-entry tables. CRC-32C (TFRecord) and CRC-32 (zip) both use it.
enum CRCSlicing {
    /// Eight tables of 256 entries, one after the other: table 0 is the byte-at-a-time table, table k
    /// advances a byte k positions further.
    static func tables(polynomial: UInt32) -> [UInt32] {
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
    }

    /// Continues a CRC (pre- and post-inverted: 0 to start) over `count` bytes at `base`.
    static func update(_ crc: UInt32, _ base: UnsafeRawPointer, _ count: Int, _ table: UnsafePointer<UInt32>) -> UInt32 {
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
}
