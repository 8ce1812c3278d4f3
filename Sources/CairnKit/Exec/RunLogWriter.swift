import Glibc
import Synchronization
import CairnCore

/// Appends timestamped lines to a run's log (`logs/training.log` in most layouts):
/// `2026-11-23T03:40:11.482Z out text` — the UTC time, the stream (`out` or `err`), the text.
/// Safe to call from several threads.
final class RunLogWriter: Sendable {
    private let fd: Int32
    /// Held while a batch of lines is written, so that batches from the two streams never interleave.
    private let writing = Mutex(())
    let path: String

    init(path: String) throws(CairnError) {
        try FileSystem.makeDirectories(Paths.parent(path))
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError.make("open the log", path: path) }
        self.path = path
    }

    deinit { close(fd) }

    /// Appends the lines. A write that fails is returned as its errno (nil when all was written).
    @discardableResult
    func write(_ lines: [[UInt8]], stream: OutputChannel, at time: Timestamp) -> Int32? {
        guard !lines.isEmpty else { return nil }
        let prefix = Array((time.iso8601 + " " + stream.rawValue + " ").utf8)
        var buffer: [UInt8] = []
        for line in lines {
            buffer += prefix
            buffer += line
            buffer.append(10)
        }
        return writing.withLock { _ in FileSystem.writeAll(fd, buffer) }
    }

    func sync() { fsync(fd) }
}
