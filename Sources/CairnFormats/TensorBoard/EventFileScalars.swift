/// What ``EventFileReader`` found in an event file: the scalars by tag, what it skipped, and where the
/// file stopped being readable.
public struct EventFileScalars: Sendable {
    /// The scalar points of each tag, in file order. Both old-style `simple_value` scalars and
    /// tensor-style scalars (plugin `scalars`) are included.
    public var scalars: [String: [TensorBoardScalar]]
    /// How each scalar tag was stored: `simple_value` or `tensor` (the last style seen).
    public var encodings: [String: ScalarEncoding]
    /// The number of non-scalar summary values per tag (histograms, images, audio, text, other tensors).
    public var skipped: [String: Int]
    /// The number of complete, valid records read, including the file-version record.
    public var records: Int
    /// The bytes up to the end of the last valid record.
    public var validBytes: Int
    /// The first damaged record, if reading stopped early; everything before it was read.
    public var damage: TFRecordDamage?
    /// The `file_version` of the file (normally `brain.Event:2`), if a record carried one.
    public var fileVersion: String?

    /// How a scalar was stored in the file.
    public enum ScalarEncoding: String, Sendable {
        /// `Summary.Value.simple_value` (tensorboardX, PyTorch, Cairn).
        case simpleValue = "simple_value"
        /// `Summary.Value.tensor` with plugin `scalars` (TensorFlow 2, `tensorboard.summary`).
        case tensor
    }

    public init(scalars: [String: [TensorBoardScalar]] = [:], encodings: [String: ScalarEncoding] = [:],
                skipped: [String: Int] = [:], records: Int = 0, validBytes: Int = 0,
                damage: TFRecordDamage? = nil, fileVersion: String? = nil) {
        self.scalars = scalars
        self.encodings = encodings
        self.skipped = skipped
        self.records = records
        self.validBytes = validBytes
        self.damage = damage
        self.fileVersion = fileVersion
    }

    /// The scalar tags, sorted.
    public var tags: [String] { scalars.keys.sorted() }

    /// The number of scalar points over all tags.
    public var pointCount: Int { scalars.values.reduce(0) { $0 + $1.count } }
}
