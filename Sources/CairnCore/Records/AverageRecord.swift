/// A line of a run's `artifacts.jsonl` recording a checkpoint average (`cairn ckpt average`): the file
/// written, wherever it is, and the checkpoints it averages. It has no `path` key, so readers of
/// `artifacts/` files (``ArtifactRecord``) skip it.
public struct AverageRecord: Codable, Sendable, Equatable {
    /// One checkpoint averaged.
    public struct Source: Codable, Sendable, Equatable {
        /// Its sequence number in the run's manifest.
        public var seq: Int
        /// Its path, relative to the run folder.
        public var path: String
        public var epoch: Int?
        public var step: Int?
        /// Its sha256 as the manifest records it (nil when never hashed: an adopted checkpoint).
        public var sha256: String?

        public init(seq: Int, path: String, epoch: Int?, step: Int?, sha256: String?) {
            self.seq = seq
            self.path = path
            self.epoch = epoch
            self.step = step
            self.sha256 = sha256
        }
    }

    /// Always `average`.
    public var kind: String = "average"
    /// The file written: relative to the run folder when inside it, else absolute.
    public var file: String
    /// `average` when the file is at the place the run's layout gives its `average` role.
    public var role: String?
    public var bytes: Int64
    public var sha256: String
    /// The checkpoints averaged, oldest first (tensors that are not floating point come from the last).
    public var sources: [Source]
    /// When it was written.
    public var time: Timestamp

    public init(file: String, role: String?, bytes: Int64, sha256: String, sources: [Source], time: Timestamp) {
        self.file = file
        self.role = role
        self.bytes = bytes
        self.sha256 = sha256
        self.sources = sources
        self.time = time
    }
}
