import CairnCore

extension CairnAPI {
    /// What `ckpt verify` found: each kept checkpoint re-hashed and compared with its manifest.
    public struct CheckpointVerify: Codable, Sendable, Equatable {
        /// One checkpoint that is missing or does not match.
        public struct Problem: Codable, Sendable, Equatable {
            /// The checkpoint's sequence number in the run's manifest (null for a tree's dangling pointer).
            public var seq: Int?
            /// Where it should be, absolute.
            public var path: String
            /// Where it should be, relative to the run folder.
            public var relativePath: String
            /// `missing`, `mismatch`, or `dangling` (a pointer of an adopted tree that leads nowhere).
            public var problem: String
            /// For a mismatch, the sha256 of what is on disk now.
            public var foundSHA256: String?

            /// A problem with a checkpoint.
            /// - Parameters:
            ///   - seq: the checkpoint's sequence number.
            ///   - path: where it should be, absolute.
            ///   - relativePath: where it should be, relative to the run folder.
            ///   - problem: `missing` or `mismatch`.
            ///   - foundSHA256: for a mismatch, the sha256 of what is on disk now.
            public init(seq: Int?, path: String, relativePath: String, problem: String, foundSHA256: String?) {
                self.seq = seq
                self.path = path
                self.relativePath = relativePath
                self.problem = problem
                self.foundSHA256 = foundSHA256
            }

            enum CodingKeys: String, CodingKey {
                case seq, path, problem
                case relativePath = "relative_path"
                case foundSHA256 = "found_sha256"
            }

            /// Encodes every key, absent values as `null` (never a missing key), as ``CairnJSON`` writes it.
            /// - Parameter encoder: the encoder to write to.
            /// - Throws: what the encoder throws.
            public func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(seq, forKey: .seq)
                try c.encode(path, forKey: .path)
                try c.encode(relativePath, forKey: .relativePath)
                try c.encode(problem, forKey: .problem)
                try c.encode(foundSHA256, forKey: .foundSHA256)
            }
        }

        /// The run verified.
        public var run: RunID
        /// How many kept checkpoints were checked.
        public var checked: Int
        /// True when every one matched.
        public var ok: Bool
        /// The ones that did not.
        public var problems: [Problem]

        /// A verification's report; ``ok`` is true when `problems` is empty.
        /// - Parameters:
        ///   - run: the run verified.
        ///   - checked: how many kept checkpoints were checked.
        ///   - problems: the checkpoints missing or not matching.
        public init(run: RunID, checked: Int, problems: [Problem]) {
            self.run = run
            self.checked = checked
            ok = problems.isEmpty
            self.problems = problems
        }
    }
}
