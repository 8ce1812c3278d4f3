import CairnCore

extension CairnAPI {
    /// A file among a run's artifacts (`artifact ls`, `artifact put`): inside its `artifacts/` folder, or
    /// where a layout role places it (embeddings, predictions), with its recorded sha256 and, for a
    /// tensor file, what it holds.
    public struct Artifact: Codable, Sendable, Equatable {
        /// The run.
        public var run: RunID
        /// The path inside `artifacts/`, or inside the run folder when ``role`` is set.
        public var relativePath: String
        /// The layout role that places the file outside `artifacts/` (`embeddings`, `predictions`), or nil.
        public var role: String?
        /// The role's own fields read from the file's path (`{"split": "val"}`), or nil.
        public var fields: [String: String]?
        /// The file, absolute.
        public var path: String
        /// Its size in bytes.
        public var bytes: Int64
        /// The SHA-256 recorded in `artifacts.jsonl` when it was written, or nil (a file put there otherwise).
        public var sha256: String?
        /// When it was recorded, or nil.
        public var recordedAt: Timestamp?
        /// True when its size is no longer the recorded one (changed since it was written), nil without a record.
        public var modified: Bool?
        /// The tensor format Cairn read in it (`npy`, `safetensors`, `tfevents`), or nil for another file.
        public var format: String?
        /// Its tensors (name, dtype, shape, bytes), or nil for another file.
        public var entries: [FileInspection.Entry]?

        /// An artifact as listed.
        /// - Parameters:
        ///   - run: the run.
        ///   - location: where it is.
        ///   - path: the file, absolute.
        ///   - bytes: its size.
        ///   - record: its latest record, if any.
        ///   - fields: the role's own fields, if any.
        ///   - inspection: what a tensor file holds, if it is one.
        public init(run: RunID, location: ArtifactLocation, path: String, bytes: Int64, record: ArtifactRecord?,
                    fields: [String: String]? = nil, inspection: FileInspection? = nil) {
            self.run = run
            relativePath = location.path.description
            role = location.role?.rawValue
            self.fields = fields
            self.path = path
            self.bytes = bytes
            sha256 = record?.sha256
            recordedAt = record?.time
            modified = record.map { $0.bytes != bytes }
            format = inspection?.format
            entries = inspection?.entries
        }

        enum CodingKeys: String, CodingKey {
            case run, role, fields, path, bytes, sha256, modified, format, entries
            case relativePath = "relative_path"
            case recordedAt = "recorded_at"
        }

        /// Encodes every key, absent values as `null` (never a missing key), as ``CairnJSON`` writes it.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(run, forKey: .run)
            try c.encode(relativePath, forKey: .relativePath)
            try c.encode(role, forKey: .role)
            try c.encode(fields, forKey: .fields)
            try c.encode(path, forKey: .path)
            try c.encode(bytes, forKey: .bytes)
            try c.encode(sha256, forKey: .sha256)
            try c.encode(recordedAt, forKey: .recordedAt)
            try c.encode(modified, forKey: .modified)
            try c.encode(format, forKey: .format)
            try c.encode(entries, forKey: .entries)
        }
    }

    /// An artifact copied out of a run (`artifact get`).
    public struct ArtifactCopy: Codable, Sendable, Equatable {
        /// The run.
        public var run: RunID
        /// The path inside `artifacts/`, or inside the run folder when ``role`` is set.
        public var relativePath: String
        /// The layout role that places the file outside `artifacts/`, or nil.
        public var role: String?
        /// The file copied, absolute.
        public var source: String
        /// The copy, absolute; nil when written to a stream (stdout).
        public var destination: String?
        /// The bytes copied.
        public var bytes: Int64
        /// The SHA-256 of the bytes copied.
        public var sha256: String
        /// True when the bytes matched the record in `artifacts.jsonl`; false when the file has no record.
        public var verified: Bool

        /// A copy's report.
        /// - Parameters:
        ///   - run: the run.
        ///   - location: where the artifact is.
        ///   - source: the file copied, absolute.
        ///   - destination: the copy, absolute, or nil for a stream.
        ///   - bytes: the bytes copied.
        ///   - sha256: their SHA-256.
        ///   - verified: whether a record was there to check them against.
        public init(run: RunID, location: ArtifactLocation, source: String, destination: String?, bytes: Int64, sha256: String,
                    verified: Bool) {
            self.run = run
            relativePath = location.path.description
            role = location.role?.rawValue
            self.source = source
            self.destination = destination
            self.bytes = bytes
            self.sha256 = sha256
            self.verified = verified
        }

        enum CodingKeys: String, CodingKey {
            case run, role, source, destination, bytes, sha256, verified
            case relativePath = "relative_path"
        }

        /// Encodes every key, absent values as `null` (never a missing key), as ``CairnJSON`` writes it.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(run, forKey: .run)
            try c.encode(relativePath, forKey: .relativePath)
            try c.encode(role, forKey: .role)
            try c.encode(source, forKey: .source)
            try c.encode(destination, forKey: .destination)
            try c.encode(bytes, forKey: .bytes)
            try c.encode(sha256, forKey: .sha256)
            try c.encode(verified, forKey: .verified)
        }
    }
}
