import Glibc
import CairnCore

/// Writes that become visible only when complete: a temporary file in the same folder, fsync,
/// rename over the target (or link, for exclusive creation), fsync the folder.
enum AtomicFile {
    /// The prefix of every temporary file Cairn creates; cleanup code looks for it.
    static let temporaryPrefix = ".cairn-tmp-"

    /// Replaces (or creates) `path` with `bytes`, atomically and durably.
    static func write(_ bytes: [UInt8], to path: String) throws(CairnError) {
        let temp = try writeTemporary(bytes, besides: path)
        if rename(temp, path) != 0 {
            let code = errno
            unlink(temp)
            throw SystemError.make("replace", path: path, errno: code)
        }
        FileSystem.syncDirectory(Paths.parent(path))
    }

    static func write(_ text: String, to path: String) throws(CairnError) {
        try write(Array(text.utf8), to: path)
    }

    /// Creates `path` with `bytes` only if nothing is there yet; the file appears whole or not at all.
    /// - Throws: `CairnError` of kind `.alreadyExists` if `path` exists.
    static func create(_ bytes: [UInt8], at path: String) throws(CairnError) {
        let temp = try writeTemporary(bytes, besides: path)
        let linked = link(temp, path) == 0
        let code = errno
        unlink(temp)
        if !linked { throw SystemError.make("create", path: path, errno: code) }
        FileSystem.syncDirectory(Paths.parent(path))
    }

    private static func writeTemporary(_ bytes: [UInt8], besides path: String) throws(CairnError) -> String {
        let dir = Paths.parent(path)
        var random = SystemRandomNumberGenerator()
        let temp = Paths.join(dir, temporaryPrefix + Paths.lastComponent(path).prefix(100)
            + "-\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError.make("write", path: path) }
        if let code = FileSystem.writeAll(fd, bytes) {
            close(fd)
            unlink(temp)
            throw SystemError.make("write", path: path, errno: code)
        }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            unlink(temp)
            throw SystemError.make("write", path: path, errno: code)
        }
        close(fd)
        return temp
    }
}
