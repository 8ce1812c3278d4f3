import CairnCore

extension CairnAPI {
    /// What `ckpt average` wrote: the averaged file and the checkpoints it averages.
    public struct CheckpointAverage: Codable, Sendable, Equatable {
        /// The run whose checkpoints were averaged.
        public var run: RunID
        /// The file written, absolute.
        public var path: String
        /// The file written, relative to the run folder; null when it is outside.
        public var relativePath: String?
        /// `average` when the file is at the place the run's layout gives its `average` role, else null.
        public var role: String?
        /// `safetensors` or `torch`.
        public var format: String
        public var bytes: Int64
        public var sha256: String
        /// The tensors written.
        public var tensors: Int
        /// The tensors copied from the last checkpoint, not averaged (not floating point), by name.
        public var copied: [String]
        /// The tensor bytes read from the checkpoints.
        public var inputBytes: Int64
        /// The checkpoints averaged, oldest first.
        public var sources: [Checkpoint]

        public init(run: RunID, path: String, relativePath: String?, role: String?, format: String, bytes: Int64, sha256: String,
                    tensors: Int, copied: [String], inputBytes: Int64, sources: [Checkpoint]) {
            self.run = run
            self.path = path
            self.relativePath = relativePath
            self.role = role
            self.format = format
            self.bytes = bytes
            self.sha256 = sha256
            self.tensors = tensors
            self.copied = copied
            self.inputBytes = inputBytes
            self.sources = sources
        }

        enum CodingKeys: String, CodingKey {
            case run, path, role, format, bytes, sha256, tensors, copied, sources
            case relativePath = "relative_path"
            case inputBytes = "input_bytes"
        }

        /// Encodes every key, absent values as `null` (never a missing key), as ``CairnJSON`` writes it.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(run, forKey: .run)
            try c.encode(path, forKey: .path)
            try c.encode(relativePath, forKey: .relativePath)
            try c.encode(role, forKey: .role)
            try c.encode(format, forKey: .format)
            try c.encode(bytes, forKey: .bytes)
            try c.encode(sha256, forKey: .sha256)
            try c.encode(tensors, forKey: .tensors)
            try c.encode(copied, forKey: .copied)
            try c.encode(inputBytes, forKey: .inputBytes)
            try c.encode(sources, forKey: .sources)
        }
    }
}
