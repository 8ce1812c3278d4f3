/// SHA-256 of bytes in memory, as lower-case hex (libcrypto, as every digest of the store).
public enum SHA256Digest {
    /// The digest of `bytes`.
    public static func hex(of bytes: [UInt8]) -> String { SHA256Hasher.hex(of: bytes) }
}
