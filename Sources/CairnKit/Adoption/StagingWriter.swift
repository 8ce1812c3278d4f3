import Glibc
import CairnCore
import CCairnNative

/// Writes the many small files of a folder that becomes visible only by a final rename (an adoption's
/// `.cairn/`): no fsync per file, one `syncfs` for them all before the rename.
enum StagingWriter {
    /// Creates `path` (and its folders) with `bytes`; the file must not exist.
    static func write(_ bytes: [UInt8], to path: String) throws(CairnError) {
        var fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0, errno == ENOENT {
            try FileSystem.makeDirectories(Paths.parent(path))
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw SystemError.make("create", path: path) }
        defer { close(fd) }
        if let code = FileSystem.writeAll(fd, bytes) { throw SystemError.make("write", path: path, errno: code) }
    }

    /// Makes everything written on the file system holding `path` durable.
    static func syncFileSystem(of path: String) throws(CairnError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.make("open", path: path) }
        defer { close(fd) }
        if cairn_sync_file_system(fd) != 0 { sync() }
    }
}
