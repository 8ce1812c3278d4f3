import Glibc
import CairnCore

/// An exclusive advisory lock on a file (`flock`). The kernel releases it when the holder dies,
/// so a crashed process never leaves a lock behind.
enum FileLock {
    /// Runs `body` while holding the lock on `path` (created if missing).
    static func withLock<T>(_ path: String, _ body: () throws(CairnError) -> T) throws(CairnError) -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError.make("lock", path: path) }
        defer { close(fd) }
        return try holding(fd, path: path) { () throws(CairnError) -> T in try body() }
    }

    /// Opens `path` for appending (creating it and its folder) and runs `body` with the descriptor
    /// while holding the lock on the file itself, so that appenders (threads or processes) take turns
    /// and each sees the others' writes whole.
    static func withAppendLock<T>(_ path: String, _ body: (Int32) throws(CairnError) -> T) throws(CairnError) -> T {
        try FileSystem.makeDirectories(Paths.parent(path))
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError.make("append to", path: path) }
        defer { close(fd) }
        return try holding(fd, path: path) { () throws(CairnError) -> T in try body(fd) }
    }

    private static func holding<T>(_ fd: Int32, path: String, _ body: () throws(CairnError) -> T) throws(CairnError) -> T {
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw SystemError.make("lock", path: path) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
