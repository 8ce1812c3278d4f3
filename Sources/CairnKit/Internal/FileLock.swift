#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore

/// An exclusive advisory lock on a file (`flock`). The kernel releases it when the holder dies,
/// so a crashed process never leaves a lock behind.
enum FileLock {
    /// Runs `body` while holding the lock on `path` (created if missing).
    static func withLock<T>(_ path: String, _ body: () throws(CairnError) -> T) throws(CairnError) -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError.make("lock", path: path) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw SystemError.make("lock", path: path) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
