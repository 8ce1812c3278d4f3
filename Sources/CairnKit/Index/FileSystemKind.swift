import CCairnNative

/// What kind of file system a folder is on, as far as SQLite's write-ahead log cares: WAL needs memory
/// shared between the processes that open the database, which network and FUSE file systems do not give.
enum FileSystemKind {
    /// `statfs` magic numbers of the file systems where WAL is unsafe: NFS, SMB/CIFS (both), FUSE, 9p,
    /// Ceph, AFS, Lustre, GlusterFS (through FUSE).
    static let withoutSharedMemory: Set<UInt64> = [0x6969, 0x517B, 0xFF53_4D42, 0xFE53_4D42, 0x6573_5546,
                                                   0x0102_1997, 0x00C3_6400, 0x5346_414F, 0x0BD0_0BD0]

    /// The file system's name for messages, or nil when WAL is safe on it.
    static func walUnsafe(_ path: String) -> String? {
        let type = cairn_file_system_type(path)
        guard type >= 0 else { return nil }
        let magic = UInt64(type)
        guard withoutSharedMemory.contains(magic) else { return nil }
        switch magic {
        case 0x6969: return "NFS"
        case 0x517B, 0xFF53_4D42, 0xFE53_4D42: return "SMB/CIFS"
        case 0x6573_5546: return "FUSE"
        default: return "a network file system"
        }
    }
}
