/// The checksum of a manifest snapshot's payload: a 64-bit multiply–xorshift hash over little-endian
/// 8-byte words (four independent lanes, combined at the end), then the last 0–7 bytes.
///
/// Not cryptographic: it catches a torn, truncated or bit-flipped cache file, at several GB/s.
enum SnapshotChecksum {
    private static let k0: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let k1: UInt64 = 0xBF58_476D_1CE4_E5B9
    private static let k2: UInt64 = 0x94D0_49BB_1331_11EB

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (k0, k1, k2, k0 ^ k1)
        var offset = 0
        if let base = bytes.baseAddress {
            while offset + 32 <= count {
                lanes.0 = mix(lanes.0, base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                lanes.1 = mix(lanes.1, base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
                lanes.2 = mix(lanes.2, base.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
                lanes.3 = mix(lanes.3, base.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
                offset += 32
            }
        }
        var h = finalize(lanes.0) ^ finalize(lanes.1 &+ 1) &* 3 ^ finalize(lanes.2 &+ 2) &* 5 ^ finalize(lanes.3 &+ 3) &* 7
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            if shift == 64 {
                h = mix(h, tail)
                tail = 0
                shift = 0
            }
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        h = mix(h, tail ^ UInt64(count))
        return finalize(h)
    }

    @inline(__always)
    private static func mix(_ h: UInt64, _ word: UInt64) -> UInt64 {
        var x = (h ^ UInt64(littleEndian: word)) &* k1
        x ^= x >> 29
        return x
    }

    @inline(__always)
    private static func finalize(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* k1
        z = (z ^ (z >> 27)) &* k2
        return z ^ (z >> 31)
    }
}
