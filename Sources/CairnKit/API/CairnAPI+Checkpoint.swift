import CairnCore

extension CairnAPI {
    /// A checkpoint of a run, as its manifest records it (`ckpt ls`, `ckpt best`, `ckpt last`,
    /// `ckpt path`, `ckpt latest`, and the saved, best and last checkpoints of `ckpt save`).
    public struct Checkpoint: Codable, Sendable, Equatable {
        /// The run it belongs to.
        public var run: RunID
        /// Its sequence number in the run's manifest (1, 2, …).
        public var seq: Int
        /// Where it is, absolute.
        public var path: String
        /// Where it is, relative to the run folder.
        public var relativePath: String
        /// `file` or `folder`.
        public var kind: String
        /// The epoch it was saved at; null when unknown (a step-only save, an adopted checkpoint whose
        /// name and folder do not say).
        public var epoch: Int?
        /// The global step, when known.
        public var step: Int?
        /// The metrics saved with it (NaN and ±infinity as `"nan"`, `"inf"`, `"-inf"`).
        public var metrics: [String: Double]
        /// Its size in bytes (a folder: the sum of its files).
        public var bytes: Int64
        /// Its sha256 (a folder: over its files' paths and hashes), or null when not hashed yet (an
        /// adopted checkpoint before `ckpt verify`).
        public var sha256: String?
        /// A folder checkpoint's files, relative to it.
        public var files: [String]?
        /// When the save began.
        public var time: Timestamp
        /// When the save was committed.
        public var committedAt: Timestamp?
        /// `pending`, `kept`, `missing` (kept, but its file or folder is gone), `pruned`, `aborted` or
        /// `replaced`.
        public var status: String
        /// Why it is not kept (pruned, aborted, or replaced by a later save at the same path), or why it
        /// is missing.
        public var reason: String?
        /// Why the policy kept it when it was saved.
        public var decision: String?
        /// The pointers that answer with it (`best`, `last`), sorted; empty when none does (a missing
        /// checkpoint never is best or last).
        public var pointers: [String]
        /// The stable path of each of those pointers (`…/best.pt`), absolute.
        public var pointerPaths: [String: String]
        /// The result of the last `ckpt verify`, if any.
        public var verified: Bool?

        /// A checkpoint as a view of its run's manifest shows it.
        /// - Parameters:
        ///   - entry: the manifest entry.
        ///   - view: the run's checkpoints, for its folder and pointers.
        public init(_ entry: CheckpointEntry, in view: CheckpointView) {
            run = view.run
            seq = entry.seq
            relativePath = entry.path
            path = view.absolutePath(entry)
            kind = entry.kind.rawValue
            epoch = entry.epoch
            step = entry.step
            metrics = entry.metrics
            bytes = entry.bytes
            sha256 = entry.sha256.isEmpty ? nil : entry.sha256
            files = entry.files
            time = entry.time
            committedAt = entry.committedAt
            let missing = view.isMissing(entry)
            status = missing ? "missing" : Self.status(entry.status)
            reason = missing ? "its \(entry.kind.rawValue) is gone (deleted outside Cairn)" : Self.reason(entry.status)
            decision = entry.decision
            let naming = view.pointers(naming: entry.seq)
            pointers = naming
            pointerPaths = Dictionary(uniqueKeysWithValues: naming.compactMap { name in view.pointerPaths[name].map { (name, $0) } })
            verified = entry.verified
        }

        static func status(_ status: CheckpointEntry.Status) -> String {
            switch status {
            case .pending: "pending"
            case .kept: "kept"
            case .pruned: "pruned"
            case .aborted: "aborted"
            case .replaced: "replaced"
            }
        }

        static func reason(_ status: CheckpointEntry.Status) -> String? {
            switch status {
            case .pruned(let reason), .aborted(let reason): reason
            case .replaced(let seq): "replaced by #\(seq)"
            case .pending, .kept: nil
            }
        }

        enum CodingKeys: String, CodingKey {
            case run, seq, path, kind, epoch, step, metrics, bytes, sha256, files, time, status, reason, decision, pointers, verified
            case relativePath = "relative_path"
            case committedAt = "committed_at"
            case pointerPaths = "pointer_paths"
        }

        /// Encodes every key, absent values as `null` (never a missing key), as ``CairnJSON`` writes it.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(run, forKey: .run)
            try c.encode(seq, forKey: .seq)
            try c.encode(path, forKey: .path)
            try c.encode(relativePath, forKey: .relativePath)
            try c.encode(kind, forKey: .kind)
            try c.encode(epoch, forKey: .epoch)
            try c.encode(step, forKey: .step)
            try c.encode(metrics, forKey: .metrics)
            try c.encode(bytes, forKey: .bytes)
            try c.encode(sha256, forKey: .sha256)
            try c.encode(files, forKey: .files)
            try c.encode(time, forKey: .time)
            try c.encode(committedAt, forKey: .committedAt)
            try c.encode(status, forKey: .status)
            try c.encode(reason, forKey: .reason)
            try c.encode(decision, forKey: .decision)
            try c.encode(pointers, forKey: .pointers)
            try c.encode(pointerPaths, forKey: .pointerPaths)
            try c.encode(verified, forKey: .verified)
        }
    }
}
