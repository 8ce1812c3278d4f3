import Glibc

/// What `stat` says of one file or folder, enough to tell that it changed: inode (an atomic replace
/// makes a new one), size (an append), modification time in nanoseconds (an edit in place).
struct FileStamp: Equatable, Sendable {
    var inode: UInt64
    var size: Int64
    var modified: Int64

    /// The stamp of `path` now; nil when nothing is there.
    static func of(_ path: String) -> FileStamp? {
        path.withCString { of(cPath: $0) }
    }

    /// The stamp of the file at a C string's path now; nil when nothing is there.
    static func of(cPath: UnsafePointer<CChar>) -> FileStamp? {
        var info = stat()
        guard stat(cPath, &info) == 0 else { return nil }
        return FileStamp(inode: UInt64(info.st_ino), size: Int64(info.st_size),
                         modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    /// The stamp of the file at a C string's path relative to an open folder now; nil when nothing is there.
    static func of(cPath: UnsafePointer<CChar>, relativeTo folder: Int32) -> FileStamp? {
        var info = stat()
        guard fstatat(folder, cPath, &info, 0) == 0 else { return nil }
        return FileStamp(inode: UInt64(info.st_ino), size: Int64(info.st_size),
                         modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    /// The kernel's real-time clock in nanoseconds: what file modification times are compared with.
    /// Not the store's clock (which records times and may be a test's manual clock): file times come
    /// from the kernel whatever the store's clock says.
    static func kernelNow() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }

    /// `inode:size:modified`, or `-` for a missing file.
    static func text(_ stamp: FileStamp?) -> String {
        stamp.map { "\($0.inode):\($0.size):\($0.modified)" } ?? "-"
    }
}

extension FileStamp {
    /// The stamp ``text(_:)`` wrote, from its bytes; nil for `-` or anything else.
    init?(text bytes: some Collection<UInt8>) {
        let fields = bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard fields.count == 3, let inode = UInt64(String(decoding: fields[0], as: UTF8.self)),
              let size = Int64(String(decoding: fields[1], as: UTF8.self)),
              let modified = Int64(String(decoding: fields[2], as: UTF8.self)) else { return nil }
        self.init(inode: inode, size: size, modified: modified)
    }
}
