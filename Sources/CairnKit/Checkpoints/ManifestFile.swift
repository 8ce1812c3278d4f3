#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore
import CairnFormats

/// A run's checkpoint manifest on disk: JSON Lines, appended to and never rewritten.
///
/// Readers skip a torn last line (a write cut short by a crash); a writer truncates it away before
/// appending. An append that fails midway is truncated back, so the file always ends on a whole line.
struct ManifestFile {
    let path: String

    /// The events of the manifest, skipping a torn tail (read-only: nothing is repaired).
    func read() throws(CairnError) -> (events: [ManifestEvent], tornTail: Bool) {
        guard let bytes = try FileSystem.readIfPresent(path) else { return ([], false) }
        let decoded = try ManifestCodec.decode(bytes, path: path)
        return (decoded.events, decoded.tornTail)
    }

    /// Reads the manifest and truncates a torn tail away (writers call this under the run's lock).
    func readRepairing() throws(CairnError) -> [ManifestEvent] {
        guard let bytes = try FileSystem.readIfPresent(path) else { return [] }
        let decoded = try ManifestCodec.decode(bytes, path: path)
        if decoded.tornTail || decoded.validBytes < bytes.count {
            if truncate(path, off_t(decoded.validBytes)) != 0 { throw SystemError.make("repair", path: path) }
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            if fd >= 0 { fsync(fd); close(fd) }
        }
        return decoded.events
    }

    /// Appends events durably (one write, then fsync). On failure the file is cut back to its old size.
    func append(_ events: [ManifestEvent]) throws(CairnError) {
        var bytes: [UInt8] = []
        for event in events { bytes += ManifestCodec.encode(event) }
        try FileSystem.makeDirectories(Paths.parent(path))
        let existed = FileSystem.exists(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError.make("append to", path: path) }
        defer { close(fd) }
        var info = stat()
        fstat(fd, &info)
        let oldSize = info.st_size
        if let code = FileSystem.writeAll(fd, bytes) {
            _ = ftruncate(fd, oldSize)
            throw SystemError.make("append to", path: path, errno: code)
        }
        if fsync(fd) != 0 {
            let code = errno
            _ = ftruncate(fd, oldSize)
            throw SystemError.make("append to", path: path, errno: code)
        }
        if !existed { FileSystem.syncDirectory(Paths.parent(path)) }
    }
}
