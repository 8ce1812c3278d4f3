#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore

/// A short exclusive lock (`flock`) whose file records its holder (`PID HOST TIME`). The kernel
/// releases the lock when its holder dies, so a lock left by a killed process is taken over at once;
/// the record tells who held it last.
enum OwnedLock {
    /// What the lock file said when the lock was acquired.
    struct Previous {
        var pid: Int32
        var host: String
        /// True if that holder is gone (it died holding the lock or after releasing it).
        var isDead: Bool
    }

    /// Runs `body` holding the lock at `path`; `body` gets the previous holder's record.
    static func withLock<T>(_ path: String, _ body: (Previous?) throws(CairnError) -> T) throws(CairnError) -> T {
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
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = pread(fd, &buffer, buffer.count, 0)
        var previous: Previous?
        if n > 0 {
            let parts = String(decoding: buffer[0..<n], as: UTF8.self).split(separator: " ")
            if parts.count >= 2, let pid = Int32(parts[0]) {
                let host = String(parts[1])
                let dead = host == HostInfo.hostName && !HostInfo.processIsAlive(pid, startTicks: nil)
                previous = Previous(pid: pid, host: host, isDead: dead)
            }
        }
        let me = Array("\(getpid()) \(HostInfo.hostName) \(HostInfo.now.iso8601)\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, me, me.count, 0)
        return try body(previous)
    }
}
