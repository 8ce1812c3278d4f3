import Glibc
import CairnCore

/// Writes the files of a folder that becomes visible only by a final rename (an adoption's `.cairn/`):
/// no fsync while writing, then each file and folder of the staging folder synced before the rename.
/// (Not `syncfs`: that also writes back whatever else the file system holds dirty, such as the
/// checkpoints a training has just written, which can take seconds.)
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

    /// Makes the folder `path` durable: every file and folder in it (a staging folder holds a handful),
    /// then the folder itself.
    static func syncAll(in path: String) throws(CairnError) {
        for name in try FileSystem.list(path) {
            let child = Paths.join(path, name)
            if FileSystem.isDirectory(child) && !FileSystem.isSymbolicLink(child) {
                try syncAll(in: child)
            } else {
                try sync(child, flags: O_RDONLY)
            }
        }
        try sync(path, flags: O_RDONLY | O_DIRECTORY)
    }

    private static func sync(_ path: String, flags: Int32) throws(CairnError) {
        let fd = open(path, flags | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError.make("open", path: path) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw SystemError.make("sync", path: path) }
    }
}
