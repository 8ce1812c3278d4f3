/// One line of a run's checkpoint manifest (`checkpoints.jsonl`): an append-only record of every save
/// and what became of it.
///
/// A save is written as ``begin(_:)`` before its file is written, then ``commit(_:)`` once the file is
/// durable or ``abort(_:)`` if it never landed. A ``prune(_:)`` is written before the file is deleted.
/// ``ManifestState`` folds the events in order.
public enum ManifestEvent: Sendable, Equatable {
    /// A save has begun: see ``Begin``.
    case begin(Begin)
    /// A save is durable: see ``Commit``.
    case commit(Commit)
    /// A save never landed: see ``Abort``.
    case abort(Abort)
    /// A checkpoint is about to be deleted: see ``Prune``.
    case prune(Prune)
    /// A checkpoint's content was checked: see ``Verify``.
    case verify(Verify)
    /// A named pointer (`best`, `last`, …) was set: see ``Pointer``.
    case pointer(Pointer)

    /// A save has begun (written before the checkpoint's file).
    public struct Begin: Sendable, Equatable {
        /// The save's sequence number in the manifest (unique, increasing).
        public var seq: Int
        /// The checkpoint's path, relative to the run folder.
        public var path: String
        /// A file or a folder.
        public var kind: CheckpointEntry.Kind
        /// The epoch of the save; nil when unknown.
        public var epoch: Int?
        /// The global step of the save, if known.
        public var step: Int?
        /// The metrics given with the save (may hold NaN and infinities).
        public var metrics: [String: Double]
        /// The size in bytes (a folder: the sum of its files).
        public var bytes: Int64
        /// SHA-256 in lowercase hex; for a folder, over the sorted `relpath\0sha256\n` lines of its files.
        public var sha256: String
        /// A folder's files, relative to the folder; nil for a file.
        public var files: [String]?
        /// The sequence number of an earlier save whose file this one overwrites at the same path.
        public var replaces: Int?
        /// When the save began.
        public var time: Timestamp

        /// A begin event with the given fields.
        public init(seq: Int, path: String, kind: CheckpointEntry.Kind = .file, epoch: Int?, step: Int? = nil,
                    metrics: [String: Double] = [:], bytes: Int64, sha256: String, files: [String]? = nil,
                    replaces: Int? = nil, time: Timestamp) {
            self.seq = seq
            self.path = path
            self.kind = kind
            self.epoch = epoch
            self.step = step
            self.metrics = metrics
            self.bytes = bytes
            self.sha256 = sha256
            self.files = files
            self.replaces = replaces
            self.time = time
        }

        /// Equal when every field is equal; metrics compare NaN equal to NaN.
        public static func == (lhs: Begin, rhs: Begin) -> Bool {
            lhs.seq == rhs.seq && lhs.path.utf8.elementsEqual(rhs.path.utf8) && lhs.kind == rhs.kind
                && lhs.epoch == rhs.epoch && lhs.step == rhs.step && MetricValues.equal(lhs.metrics, rhs.metrics)
                && lhs.bytes == rhs.bytes && lhs.sha256 == rhs.sha256 && lhs.files == rhs.files
                && lhs.replaces == rhs.replaces && lhs.time == rhs.time
        }
    }

    /// A save is durable (its file is complete and synced).
    public struct Commit: Sendable, Equatable {
        /// The save's sequence number.
        public var seq: Int
        /// The policy in force, as ``CheckpointPolicy/mapping``, if recorded.
        public var policy: ConfigMapping?
        /// The decision for humans (`kept: best by val_loss (min); last`).
        public var decision: String
        /// When the save was committed.
        public var time: Timestamp

        /// A commit event with the given fields.
        public init(seq: Int, policy: ConfigMapping? = nil, decision: String = "", time: Timestamp) {
            self.seq = seq
            self.policy = policy
            self.decision = decision
            self.time = time
        }
    }

    /// A save never landed.
    public struct Abort: Sendable, Equatable {
        /// The save's sequence number.
        public var seq: Int
        /// Why (`disk full`, `interrupted`).
        public var reason: String
        /// When the abort was recorded.
        public var time: Timestamp

        /// An abort event with the given fields.
        public init(seq: Int, reason: String, time: Timestamp) {
            self.seq = seq
            self.reason = reason
            self.time = time
        }
    }

    /// A checkpoint was decided to be deleted (written before the delete).
    public struct Prune: Sendable, Equatable {
        /// The save's sequence number.
        public var seq: Int
        /// Why (`not among the top 3 by val_loss (min)`).
        public var reason: String
        /// When the prune was decided.
        public var time: Timestamp

        /// A prune event with the given fields.
        public init(seq: Int, reason: String, time: Timestamp) {
            self.seq = seq
            self.reason = reason
            self.time = time
        }
    }

    /// A checkpoint's content was hashed again.
    public struct Verify: Sendable, Equatable {
        /// The save's sequence number.
        public var seq: Int
        /// The SHA-256 found, in lowercase hex.
        public var sha256: String
        /// True when it matched the recorded one.
        public var ok: Bool
        /// When the check ran.
        public var time: Timestamp

        /// A verify event with the given fields.
        public init(seq: Int, sha256: String, ok: Bool, time: Timestamp) {
            self.seq = seq
            self.sha256 = sha256
            self.ok = ok
            self.time = time
        }
    }

    /// A named pointer was set to a checkpoint.
    public struct Pointer: Sendable, Equatable {
        /// The pointer's name (`best`, `last`, `best_score`, …).
        public var name: String
        /// The sequence number of the checkpoint it points to.
        public var seq: Int
        /// The pointer's own path, relative to the run folder.
        public var path: String
        /// How it points: `symlink`, `hardlink` or `copy`.
        public var mechanism: String
        /// When it was set.
        public var time: Timestamp

        /// A pointer event with the given fields.
        public init(name: String, seq: Int, path: String, mechanism: String, time: Timestamp) {
            self.name = name
            self.seq = seq
            self.path = path
            self.mechanism = mechanism
            self.time = time
        }
    }

    /// When the event happened.
    public var time: Timestamp {
        switch self {
        case .begin(let e): e.time
        case .commit(let e): e.time
        case .abort(let e): e.time
        case .prune(let e): e.time
        case .verify(let e): e.time
        case .pointer(let e): e.time
        }
    }

    /// The sequence number of the save the event is about.
    public var seq: Int {
        switch self {
        case .begin(let e): e.seq
        case .commit(let e): e.seq
        case .abort(let e): e.seq
        case .prune(let e): e.seq
        case .verify(let e): e.seq
        case .pointer(let e): e.seq
        }
    }

    /// The event's name as written in the manifest: `begin`, `commit`, `abort`, `prune`, `verify` or
    /// `pointer`.
    public var name: String {
        switch self {
        case .begin: "begin"
        case .commit: "commit"
        case .abort: "abort"
        case .prune: "prune"
        case .verify: "verify"
        case .pointer: "pointer"
        }
    }
}
