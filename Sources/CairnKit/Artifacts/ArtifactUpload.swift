import Dispatch
import Glibc
import CairnCore

/// A file being written into a run's `artifacts/` folder, piece by piece as it arrives (an upload is
/// never held in memory whole): bytes go to a temporary file beside the target and into a SHA-256,
/// and the file is synced as it grows, on another thread (``RollingSync``); ``finish()`` syncs the
/// rest, renames it into place, syncs the folder and records its digest in the run's `artifacts.jsonl`.
/// Until then nothing is visible; ``abort()`` (or dropping the upload) removes the temporary file.
///
/// Made by ``Store/beginArtifact(_:at:)`` (and, for a file a layout role places outside `artifacts/`,
/// ``Store/beginArtifact(_:role:fields:)``). Not for use from several threads at once.
public final class ArtifactUpload: @unchecked Sendable {
    /// The run the file belongs to.
    public let run: Run
    /// The file's path inside `artifacts/` (inside the run folder when ``role`` is set).
    public let path: ArtifactPath
    /// The layout role that places the file outside `artifacts/`, or nil.
    public let role: LayoutRole?
    private let store: Store
    private let target: String
    private let temporary: String
    private var descriptor: Int32
    private let hasher = SHA256Hasher()
    /// Where bytes given with their owner are hashed, in order.
    private let hashing = DispatchQueue(label: "cairn.artifact-hash")
    private var written: Int64 = 0
    /// Every ``syncStride`` bytes what is written so far is synced on another thread, so the final
    /// fsync has little left to do; made at the first stride (small files never start a thread).
    private var sync: RollingSync?
    private var syncRequestedAt: Int64 = 0
    static let syncStride: Int64 = 2 << 20

    init(store: Store, run: Run, path: ArtifactPath, role: LayoutRole? = nil, target: String) throws(CairnError) {
        self.store = store
        self.run = run
        self.path = path
        self.role = role
        self.target = target
        var random = SystemRandomNumberGenerator()
        temporary = Paths.join(Paths.parent(target), AtomicFile.temporaryPrefix + Paths.lastComponent(target).prefix(100)
            + "-\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else { throw SystemError.make("write", path: target) }
    }

    deinit { abort() }

    /// Where the file goes.
    public var location: ArtifactLocation { role.map { ArtifactLocation(role: $0, runPath: path) } ?? ArtifactLocation(path) }

    /// The file's final path, absolute.
    public var file: String { target }

    /// How many bytes were written so far.
    public var byteCount: Int64 { written }

    /// Appends bytes.
    /// - Throws: `CairnError` when the write fails (a full disk, say); the upload is then aborted.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(CairnError) {
        try append(bytes)
        // Through the hashing queue (run here, after what it holds), so the two kinds of write can mix.
        hashing.sync { hasher.update(bytes) }
        try syncIfDue()
    }

    /// Appends bytes that `owner` keeps alive and unchanged for as long as it lives (a network buffer's
    /// storage): they are hashed on another thread meanwhile, while the caller receives the next ones.
    /// - Throws: `CairnError` when the write fails (a full disk, say); the upload is then aborted.
    public func write(_ bytes: UnsafeRawBufferPointer, keptAliveBy owner: AnyObject) throws(CairnError) {
        try append(bytes)
        let piece = OwnedBytes(bytes: bytes, owner: owner)
        hashing.async { [hasher] in hasher.update(piece.bytes) }
        try syncIfDue()
    }

    private func append(_ bytes: UnsafeRawBufferPointer) throws(CairnError) {
        guard descriptor >= 0 else { throw CairnError(.io, "the upload of '\(path)' was aborted", hint: "upload the file again") }
        if let code = FileSystem.writeAll(descriptor, bytes) {
            abort()
            throw SystemError.make("write", path: target, errno: code)
        }
        written += Int64(bytes.count)
    }

    private func syncIfDue() throws(CairnError) {
        if written - syncRequestedAt >= Self.syncStride {
            let sync = self.sync ?? RollingSync(descriptor)
            self.sync = sync
            if let code = sync.failure {
                abort()
                throw SystemError.make("write", path: target, errno: code)
            }
            sync.request()
            syncRequestedAt = written
        }
    }

    /// Makes the file visible, whole, and records it.
    /// - Returns: its record (path, sha256, size, time), as appended to `artifacts.jsonl`.
    /// - Throws: `CairnError` when it cannot be synced, renamed or recorded (the target is then untouched
    ///   or, if only the record failed, in place without its line).
    @discardableResult
    public func finish() throws(CairnError) -> ArtifactRecord {
        guard descriptor >= 0 else { throw CairnError(.io, "the upload of '\(path)' was aborted", hint: "upload the file again") }
        hashing.sync {}
        if let code = sync?.wait() ?? (fsync(descriptor) != 0 ? errno : nil) {
            abort()
            throw SystemError.make("write", path: target, errno: code)
        }
        close(descriptor)
        descriptor = -1
        if rename(temporary, target) != 0 {
            let code = errno
            unlink(temporary)
            throw SystemError.make("write", path: target, errno: code)
        }
        FileSystem.syncDirectory(Paths.parent(target))
        let record = ArtifactRecord(path: path.description, role: role?.rawValue, sha256: hasher.finalizeHex(), bytes: written, time: store.clock.now())
        try store.appendArtifactRecord(record, of: run)
        return record
    }

    /// Drops what was written.
    public func abort() {
        guard descriptor >= 0 else { return }
        _ = sync?.wait()   // the descriptor stays open while a sync uses it
        close(descriptor)
        descriptor = -1
        unlink(temporary)
    }
}

/// Bytes and the object that keeps them alive, handed to the hashing queue.
private struct OwnedBytes: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
    let owner: AnyObject
}
