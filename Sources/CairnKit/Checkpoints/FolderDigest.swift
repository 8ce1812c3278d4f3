/// The digest of a folder checkpoint: SHA-256 over the sorted lines `RELPATH\0SHA256\n` of its files.
enum FolderDigest {
    static func sha256(_ listing: [UInt8]) -> String { SHA256Hasher.hex(of: listing) }
}
