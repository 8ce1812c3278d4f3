import Glibc
import CairnCore
import CairnFormats

/// The snapshot of a run's folded checkpoint manifest (`.cairn/runs/<run id>/checkpoints.state`): a
/// derived cache that lets a reader decode only the manifest lines written after it.
///
/// Nothing depends on it for correctness: a snapshot that is missing, unreadable, of another version,
/// damaged, or that no longer matches the manifest (see ``ManifestSnapshot``) is ignored, and the
/// manifest is decoded in full. It may be deleted at any time.
struct ManifestSnapshotFile {
    /// What reading the snapshot found.
    enum Found {
        /// No snapshot file.
        case absent
        /// A file that cannot be used (damaged, another version, stale): ignored.
        case unusable
        /// A snapshot that matches the manifest's first bytes.
        case usable(ManifestSnapshot)
    }

    let path: String

    /// The snapshot, if it matches the manifest open at `manifest` (of `size` bytes).
    func read(matching manifest: Int32, size: Int) -> Found {
        let bytes: [UInt8]
        do throws(CairnError) {
            guard let read = try FileSystem.readIfPresent(path) else { return .absent }
            bytes = read
        } catch {
            return .unusable
        }
        // A snapshot is a cache: one that does not decode is simply not used (the manifest is read instead).
        guard let snapshot = try? ManifestSnapshotCodec.decode(bytes, path: path), snapshot.coveredBytes <= size,
              Self.fingerprint(of: manifest, coveredBytes: snapshot.coveredBytes) == snapshot.fingerprint else {
            return .unusable
        }
        return .usable(snapshot)
    }

    /// Replaces the snapshot with the state of the manifest's first `coveredBytes` bytes. Failures are
    /// ignored (a cache that cannot be written is simply not there): a temporary file renamed over the
    /// old one, without fsync, since a torn or lost snapshot fails its checksum and is ignored.
    func write(_ state: ManifestState, coveredBytes: Int, manifest: Int32) {
        guard let fingerprint = Self.fingerprint(of: manifest, coveredBytes: coveredBytes) else { return }
        let bytes = ManifestSnapshotCodec.encode(ManifestSnapshot(state: state, coveredBytes: coveredBytes,
                                                                  fingerprint: fingerprint))
        var random = SystemRandomNumberGenerator()
        let temporary = Paths.join(Paths.parent(path), AtomicFile.temporaryPrefix + Paths.lastComponent(path)
            + "-\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        let failed = FileSystem.writeAll(fd, bytes) != nil
        close(fd)
        if failed || rename(temporary, path) != 0 { unlink(temporary) }
    }

    /// Removes the snapshot (one that can no longer be used).
    func remove() {
        unlink(path)
    }

    /// The manifest's bytes at ``ManifestSnapshot/fingerprintRanges(coveredBytes:)``; nil if they cannot
    /// all be read.
    static func fingerprint(of manifest: Int32, coveredBytes: Int) -> [UInt8]? {
        var out: [UInt8] = []
        for range in ManifestSnapshot.fingerprintRanges(coveredBytes: coveredBytes) {
            guard let window = ManifestFile.readRange(manifest, from: range.lowerBound, count: range.count),
                  window.count == range.count else { return nil }
            out += window
        }
        return out
    }
}
