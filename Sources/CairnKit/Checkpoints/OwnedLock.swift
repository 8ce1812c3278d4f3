import Glibc
import CairnCore

/// A short exclusive lock (`flock`) whose file records its holder (`PID HOST TIME`). The kernel
/// releases the lock when its holder dies, so a lock left by a killed process is taken over at once;
/// the record tells who held it when it died.
enum OwnedLock {
    /// Runs `body` holding the lock at `path`; the record's time is read from `clock`.
    static func withLock<T>(_ path: String, clock: any WallClock, _ body: () throws(CairnError) -> T) throws(CairnError) -> T {
        try FileSystem.makeDirectories(Paths.parent(path))
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError.make("lock", path: path) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR { throw SystemError.make("lock", path: path) }
        }
        defer {
            _ = ftruncate(fd, 0)
            flock(fd, LOCK_UN)
        }
        // The holder's record: left in the file only if the holder dies while holding the lock.
        let me = Array("\(getpid()) \(HostInfo.hostName) \(clock.now().iso8601)\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, me, me.count, 0)
        return try body()
    }
}
