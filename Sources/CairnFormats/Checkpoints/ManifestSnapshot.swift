import CairnCore

/// The folded state of a checkpoint manifest's first bytes, saved so that a reader can skip decoding
/// them: a derived, disposable cache of `checkpoints.jsonl`, never a source of truth.
///
/// A snapshot covers the manifest's first ``coveredBytes`` bytes (always whole lines) and carries a
/// ``fingerprint`` of them: the bytes at ``fingerprintRanges(coveredBytes:)`` (about 5 KiB). A reader trusts it only
/// when the manifest is at least that long and holds the same bytes at those ranges; then the state of
/// the whole manifest is ``state`` with the lines after ``coveredBytes`` folded in. Anything else (a
/// manifest truncated, rewritten or replaced) means the snapshot is stale: decode the whole manifest.
/// ``ManifestSnapshotCodec`` reads and writes it.
public struct ManifestSnapshot: Sendable, Equatable {
    /// The fold of the covered lines.
    public var state: ManifestState
    /// How many bytes of the manifest the snapshot covers (the end of a line, or 0).
    public var coveredBytes: Int
    /// The manifest's bytes at ``fingerprintRanges(coveredBytes:)``, concatenated.
    public var fingerprint: [UInt8]

    /// A snapshot with the given parts.
    public init(state: ManifestState, coveredBytes: Int, fingerprint: [UInt8]) {
        self.state = state
        self.coveredBytes = coveredBytes
        self.fingerprint = fingerprint
    }

    /// The length of each sampled window.
    public static let windowLength = 64
    /// The length of the last window, which ends where the snapshot ends: the last lines it covers.
    public static let lastWindowLength = 4096

    /// The byte ranges of the manifest that identify its first `coveredBytes` bytes: the last 4 KiB
    /// (the last lines covered, at least a dozen), and 15 windows of 64 bytes spread evenly before them
    /// from the first byte on (for a short prefix, all of it). Increasing, not overlapping, all inside
    /// `0..<coveredBytes`.
    ///
    /// A rewrite, truncation or replacement of the manifest changes the bytes at the end of the covered
    /// prefix (each line holds a time, a sequence number, a checksum), and almost surely at the sampled
    /// windows; an edit of one earlier line that keeps every byte count and the sampled bytes is not
    /// detected (delete the snapshot after editing a manifest by hand).
    /// - Parameter coveredBytes: the length of the covered prefix.
    public static func fingerprintRanges(coveredBytes: Int) -> [Range<Int>] {
        guard coveredBytes > 0 else { return [] }
        let windows = 15
        let sampled = coveredBytes - lastWindowLength
        if sampled <= windows * windowLength { return [0..<coveredBytes] }
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(windows + 1)
        let step = (sampled - windowLength) / (windows - 1)
        for k in 0..<windows { ranges.append((step * k)..<(step * k + windowLength)) }
        ranges.append(sampled..<coveredBytes)
        return ranges
    }
}
