import Glibc
import CairnCore
import CairnFormats

/// A run's checkpoint manifest on disk: JSON Lines, appended to and never rewritten.
///
/// Readers skip a torn last line (a write cut short by a crash); a writer truncates it away before
/// appending. An append that fails midway is truncated back, so the file always ends on a whole line.
///
/// With a ``snapshot`` file, loading the state reads the snapshot and decodes only the lines after it;
/// writers refresh the snapshot once more than ``snapshotRefreshBytes`` of lines follow it.
struct ManifestFile {
    let path: String
    /// The derived snapshot of the folded manifest, if this manifest has one.
    var snapshot: ManifestSnapshotFile?

    /// Writers rewrite the snapshot when at least this many bytes of lines follow it: 256 KiB (about
    /// 1,000 saves, a few milliseconds to decode), or `CAIRN_SNAPSHOT_REFRESH_BYTES` (tests set it low to
    /// rewrite the snapshot at every save).
    static let snapshotRefreshBytes: Int = getenv("CAIRN_SNAPSHOT_REFRESH_BYTES")
        .flatMap { Int(String(cString: $0)) }.map { max(0, $0) } ?? 256 * 1024

    init(path: String, snapshotPath: String? = nil) {
        self.path = path
        snapshot = snapshotPath.map(ManifestSnapshotFile.init(path:))
    }

    /// The events of the manifest, skipping a torn tail (read-only: nothing is repaired).
    func read() throws(CairnError) -> (events: [ManifestEvent], tornTail: Bool) {
        guard let bytes = try FileSystem.readIfPresent(path) else { return ([], false) }
        let decoded = try ManifestCodec.decode(bytes, path: path)
        return (decoded.events, decoded.tornTail)
    }

    /// The folded manifest, skipping a torn tail (read-only: nothing is repaired or written).
    func readState() throws(CairnError) -> (state: ManifestState, tornTail: Bool) {
        try load(repairing: false)
    }

    /// The folded manifest, after truncating a torn tail away; refreshes the snapshot when many lines
    /// follow it (writers call this under the run's lock).
    func readStateRepairing() throws(CairnError) -> ManifestState {
        try load(repairing: true).state
    }

    /// Reads the manifest and truncates a torn tail away (writers call this under the run's lock).
    func readRepairing() throws(CairnError) -> [ManifestEvent] {
        guard let bytes = try FileSystem.readIfPresent(path) else { return [] }
        let decoded = try ManifestCodec.decode(bytes, path: path)
        if decoded.tornTail || decoded.validBytes < bytes.count { try truncateTail(to: decoded.validBytes) }
        return decoded.events
    }

    private func load(repairing: Bool) throws(CairnError) -> (state: ManifestState, tornTail: Bool) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT {
                if repairing { snapshot?.remove() }  // a snapshot of a manifest that is gone
                return (ManifestState(), false)
            }
            throw SystemError.make("read", path: path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemError.make("read", path: path) }
        let size = Int(info.st_size)

        var state = ManifestState()
        var covered = 0
        var snapshotUnusable = false
        if let snapshot {
            switch snapshot.read(matching: fd, size: size) {
            case .absent: break
            case .unusable: snapshotUnusable = true
            case .usable(var found):
                covered = found.coveredBytes
                state = found.state
                found.state = ManifestState()  // the only reference left: folding the tail copies nothing
            }
        }
        var decoded: (events: [ManifestEvent], validBytes: Int, tornTail: Bool)
        do throws(CairnError) {
            decoded = try ManifestCodec.decode(try readTail(fd, from: covered, size: size), path: path)
        } catch where covered > 0 {
            // A bad line after the snapshot: decode the whole file, so the error names the right line.
            (state, covered, snapshotUnusable) = (ManifestState(), 0, true)
            decoded = try ManifestCodec.decode(try readTail(fd, from: 0, size: size), path: path)
        }
        for event in decoded.events { state.apply(event) }
        let valid = covered + decoded.validBytes
        if repairing {
            if valid < size { try truncateTail(to: valid) }
            if let snapshot {
                if decoded.validBytes >= Self.snapshotRefreshBytes {
                    snapshot.write(state, coveredBytes: valid, manifest: fd)
                } else if snapshotUnusable {
                    snapshot.remove()
                }
            }
        }
        return (state, decoded.tornTail)
    }

    /// The bytes from `offset` to `size`.
    private func readTail(_ fd: Int32, from offset: Int, size: Int) throws(CairnError) -> [UInt8] {
        guard let bytes = Self.readRange(fd, from: offset, count: size - offset) else {
            throw SystemError.make("read", path: path)
        }
        return bytes
    }

    /// Up to `count` bytes at `offset` (fewer if the file is shorter); nil on a read error.
    static func readRange(_ fd: Int32, from offset: Int, count: Int) -> [UInt8]? {
        guard count > 0 else { return [] }
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            while initialized < count {
                let n = pread(fd, buffer.baseAddress! + initialized, count - initialized, off_t(offset + initialized))
                if n < 0, errno == EINTR { continue }
                if n < 0 { failed = true }
                if n <= 0 { return }
                initialized += n
            }
        }
        return failed ? nil : bytes
    }

    private func truncateTail(to length: Int) throws(CairnError) {
        if truncate(path, off_t(length)) != 0 { throw SystemError.make("repair", path: path) }
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
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
