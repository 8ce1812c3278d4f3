import Dispatch
import Glibc
import CairnCore

/// A large file written piece by piece that becomes visible only when complete: bytes go to a
/// temporary file beside the target and, on another thread, into a SHA-256; ``finish()`` syncs it
/// (unless told not to), gives it its mode, renames it into place and syncs the folder. Until then
/// nothing is visible; ``abort()`` (or dropping it) removes the temporary file. Not for use from
/// several threads at once.
final class StreamedFile: @unchecked Sendable {
    /// The target, absolute.
    let target: String
    private let temporary: String
    private var descriptor: Int32
    private let mode: mode_t
    private let durable: Bool
    private let hasher = SHA256Hasher()
    private let hashing = DispatchQueue(label: "cairn.streamed-file-hash")
    private var sync: RollingSync?
    private var syncRequestedAt: Int64 = 0
    private(set) var byteCount: Int64 = 0

    /// Creates the temporary file.
    /// - Parameters:
    ///   - target: where the file is to appear.
    ///   - mode: its permission bits.
    ///   - durable: whether ``finish()`` waits for the bytes to reach the disk (synced as the file grows).
    /// - Throws: `CairnError` when the temporary file cannot be created (the folder is missing or not writable).
    init(target: String, mode: mode_t, durable: Bool) throws(CairnError) {
        self.target = target
        self.mode = mode
        self.durable = durable
        var random = SystemRandomNumberGenerator()
        temporary = Paths.join(Paths.parent(target), AtomicFile.temporaryPrefix + Paths.lastComponent(target).prefix(100)
            + "-\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw SystemError.make("write", path: target) }
    }

    deinit { abort() }

    /// Appends bytes that `release` is called for once they are written and hashed (on the hashing
    /// thread): the caller may reuse their memory only then.
    /// - Throws: `CairnError` when the write fails (a full disk); the file is then aborted.
    func write(_ bytes: UnsafeRawBufferPointer, release: @escaping @Sendable () -> Void) throws(CairnError) {
        do throws(CairnError) {
            try append(bytes)
        } catch {
            release()
            throw error
        }
        let piece = UncheckedBytes(bytes: bytes)
        hashing.async { [hasher] in
            hasher.update(piece.bytes)
            release()
        }
    }

    /// Appends bytes, hashed before this returns.
    func write(_ bytes: UnsafeRawBufferPointer) throws(CairnError) {
        try append(bytes)
        hashing.sync { hasher.update(bytes) }
    }

    private func append(_ bytes: UnsafeRawBufferPointer) throws(CairnError) {
        guard descriptor >= 0 else { throw CairnError(.io, "the write of '\(target)' was aborted", hint: "write it again") }
        if let code = FileSystem.writeAll(descriptor, bytes) {
            abort()
            throw SystemError.make("write", path: target, errno: code)
        }
        byteCount += Int64(bytes.count)
        if durable, byteCount - syncRequestedAt >= ArtifactUpload.syncStride {
            let sync = self.sync ?? RollingSync(descriptor)
            self.sync = sync
            if let code = sync.failure {
                abort()
                throw SystemError.make("write", path: target, errno: code)
            }
            sync.request()
            syncRequestedAt = byteCount
        }
    }

    /// Makes the file visible, whole.
    /// - Returns: the SHA-256 of its bytes, lowercase hex.
    /// - Throws: `CairnError` when it cannot be synced or renamed (the target is then untouched).
    func finish() throws(CairnError) -> String {
        guard descriptor >= 0 else { throw CairnError(.io, "the write of '\(target)' was aborted", hint: "write it again") }
        hashing.sync {}
        // The rolling syncs cover what was written when they were asked for; the last one covers the rest.
        var failure: Int32? = fchmod(descriptor, mode) != 0 ? errno : nil
        if let code = sync?.wait(), failure == nil { failure = code }
        if failure == nil, durable, fsync(descriptor) != 0 { failure = errno }
        if let code = failure {
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
        if durable { FileSystem.syncDirectory(Paths.parent(target)) }
        return hasher.finalizeHex()
    }

    /// Drops what was written.
    func abort() {
        guard descriptor >= 0 else { return }
        hashing.sync {}
        _ = sync?.wait()
        close(descriptor)
        descriptor = -1
        unlink(temporary)
    }
}

/// Bytes handed to the hashing queue, kept valid by the caller until their release.
private struct UncheckedBytes: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
}
