/// CRC-32 as zip (and zlib, and PNG) computes it: reflected polynomial 0xEDB88320, initial value and
/// final XOR 0xFFFFFFFF (`"123456789"` → 0xCBF43926). Table driven, slicing by 8.
public enum CRC32 {
    /// The reflected polynomial.
    public static let polynomial: UInt32 = 0xEDB8_8320

    static let tables = CRCSlicing.tables(polynomial: polynomial)

    /// The CRC-32 of some bytes (0 for none).
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 { update(0, bytes) }

    /// Extends a CRC-32 with more bytes: `update(checksum(a), b) == checksum(a + b)`.
    public static func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return crc }
        return tables.withUnsafeBufferPointer { CRCSlicing.update(crc, base, bytes.count, $0.baseAddress!) }
    }
}
