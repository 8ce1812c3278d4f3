import Glibc
import CairnCore

/// Appends timestamped lines to a run's log (`logs/training.log` in most layouts):
/// `2026-11-23T03:40:11.482Z out text` — the UTC time, the stream (`out` or `err`), the text.
/// Safe to call from several threads.
final class RunLogWriter: @unchecked Sendable {
    private let fd: Int32
    private let lock = Mutex()
    let path: String

    init(path: String) throws(CairnError) {
        try FileSystem.makeDirectories(Paths.parent(path))
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError.make("open the log", path: path) }
        self.path = path
    }

    deinit { close(fd) }

    func write(_ lines: [[UInt8]], stream: OutputStream, at time: Timestamp) {
        guard !lines.isEmpty else { return }
        let prefix = Array((time.iso8601 + " " + stream.rawValue + " ").utf8)
        var buffer: [UInt8] = []
        for line in lines {
            buffer += prefix
            buffer += line
            buffer.append(10)
        }
        lock.withLock {
            var offset = 0
            while offset < buffer.count {
                let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 { if errno == EINTR { continue }; return }
                offset += n
            }
        }
    }

    func sync() { fsync(fd) }
}

/// A plain pthread mutex.
final class Mutex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
