/// One checkpoint of a run as the manifest knows it: what was saved, where, and what became of it.
///
/// Entries are built by ``ManifestState`` from the manifest's events; ``RetentionPlanner`` decides over
/// them.
public struct CheckpointEntry: Sendable, Equatable {
    /// Whether a checkpoint is one file or a folder of files.
    public enum Kind: String, Sendable, CaseIterable {
        /// One file (`epoch_0003.pt`).
        case file
        /// A folder of files (a Hugging Face `checkpoint-500/`).
        case folder
    }

    /// What became of a save.
    public enum Status: Sendable, Equatable {
        /// Begun, not committed (yet): the write may still be under way, or it died.
        case pending
        /// Committed and not pruned: the checkpoint is on disk and complete.
        case kept
        /// Decided to delete, for the given reason (the file may still be there if the delete failed).
        case pruned(reason: String)
        /// The save never landed, for the given reason.
        case aborted(reason: String)
        /// A later save (of the given sequence number) overwrote its file at the same path.
        case replaced(bySeq: Int)
    }

    /// The save's sequence number in its run's manifest (unique, increasing).
    public var seq: Int
    /// The checkpoint's path, relative to the run folder.
    public var path: String {
        get { packed.map { $0.texts.path(at: $0.slot) } ?? storedPath }
        set { unpack(); storedPath = newValue }
    }
    /// A file or a folder.
    public var kind: Kind
    /// The epoch it was saved at; nil when unknown (a step-only save, an adopted file whose name and
    /// folder do not say).
    public var epoch: Int?
    /// The global step it was saved at, if known.
    public var step: Int?
    /// The metrics given with the save (may hold NaN and infinities).
    public var metrics: [String: Double] {
        get { packed.map { $0.texts.metrics(at: $0.slot) } ?? storedMetrics }
        set { unpack(); storedMetrics = newValue }
    }
    /// Its size in bytes (a folder: the sum of its files).
    public var bytes: Int64
    /// Its SHA-256 in lowercase hex (a folder: over the sorted `relpath\0sha256\n` lines of its files).
    public var sha256: String {
        get { packed.map { $0.texts.sha256(at: $0.slot) } ?? storedSHA256 }
        set { unpack(); storedSHA256 = newValue }
    }
    /// A folder's files, relative to the folder; nil for a file.
    public var files: [String]?
    /// The sequence number of an earlier save whose file this one overwrites at the same path.
    public var replaces: Int?
    /// When the save began.
    public var time: Timestamp
    /// What became of it.
    public var status: Status
    /// When it was committed, if it was.
    public var committedAt: Timestamp?
    /// The decision recorded with the commit (`kept: best by val_loss (min); last`).
    public var decision: String?
    /// The policy in force when it was committed, as recorded.
    public var policy: ConfigMapping?
    /// The outcome of the latest verification, if any: true when the content still had ``sha256``.
    public var verified: Bool?

    private(set) var storedPath: String
    private(set) var storedMetrics: [String: Double]
    private var storedSHA256: String
    /// Where path, metrics and sha256 are read from instead, while they are packed.
    private(set) var packed: (texts: any PackedCheckpointTexts, slot: Int)?

    /// An entry with the given fields.
    public init(seq: Int, path: String, kind: Kind = .file, epoch: Int?, step: Int? = nil,
                metrics: [String: Double] = [:], bytes: Int64 = 0, sha256: String = "", files: [String]? = nil,
                replaces: Int? = nil, time: Timestamp, status: Status = .pending, committedAt: Timestamp? = nil,
                decision: String? = nil, policy: ConfigMapping? = nil, verified: Bool? = nil) {
        self.seq = seq
        storedPath = path
        self.kind = kind
        self.epoch = epoch
        self.step = step
        storedMetrics = metrics
        self.bytes = bytes
        storedSHA256 = sha256
        self.files = files
        self.replaces = replaces
        self.time = time
        self.status = status
        self.committedAt = committedAt
        self.decision = decision
        self.policy = policy
        self.verified = verified
    }

    /// An entry whose path, metrics and sha256 stay packed in `texts` at `slot` until they are read.
    public init(seq: Int, texts: any PackedCheckpointTexts, slot: Int, kind: Kind = .file, epoch: Int?,
                step: Int? = nil, bytes: Int64 = 0, files: [String]? = nil, replaces: Int? = nil, time: Timestamp,
                status: Status = .pending, committedAt: Timestamp? = nil, decision: String? = nil,
                policy: ConfigMapping? = nil, verified: Bool? = nil) {
        // Every field assigned here, not through the other initializer: delegating made a copy of the
        // whole entry (a retain and release of each of its references), 100,000 times for a large manifest.
        self.seq = seq
        storedPath = ""
        self.kind = kind
        self.epoch = epoch
        self.step = step
        storedMetrics = [:]
        self.bytes = bytes
        storedSHA256 = ""
        self.files = files
        self.replaces = replaces
        self.time = time
        self.status = status
        self.committedAt = committedAt
        self.decision = decision
        self.policy = policy
        self.verified = verified
        packed = (texts, slot)
    }

    /// One metric given with the save, nil when there is none of that name; reads a packed entry in place.
    public func metric(_ name: String) -> Double? {
        if let packed { return packed.texts.metric(name, at: packed.slot) }
        return storedMetrics[name]
    }

    /// Decodes packed texts into the entry's own fields, before one of them changes.
    private mutating func unpack() {
        guard let (texts, slot) = packed else { return }
        storedPath = texts.path(at: slot)
        storedMetrics = texts.metrics(at: slot)
        storedSHA256 = texts.sha256(at: slot)
        packed = nil
    }

    /// True when the checkpoint is committed and not pruned, aborted or replaced.
    public var isKept: Bool {
        if case .kept = status { return true }
        return false
    }

    /// Equal when every field is equal; metrics compare NaN equal to NaN.
    public static func == (lhs: CheckpointEntry, rhs: CheckpointEntry) -> Bool {
        lhs.seq == rhs.seq && lhs.path.utf8.elementsEqual(rhs.path.utf8) && lhs.kind == rhs.kind
            && lhs.epoch == rhs.epoch && lhs.step == rhs.step && MetricValues.equal(lhs.metrics, rhs.metrics)
            && lhs.bytes == rhs.bytes && lhs.sha256 == rhs.sha256 && lhs.files == rhs.files
            && lhs.replaces == rhs.replaces && lhs.time == rhs.time && lhs.status == rhs.status
            && lhs.committedAt == rhs.committedAt && lhs.decision == rhs.decision && lhs.policy == rhs.policy
            && lhs.verified == rhs.verified
    }
}
