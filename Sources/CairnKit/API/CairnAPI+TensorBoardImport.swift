import CairnCore

extension CairnAPI {
    /// What `tb import` read from an event file into a run's metrics.
    public struct TensorBoardImport: Codable, Sendable, Equatable {
        /// Where a damaged file stops being readable; the scalars before it were imported.
        public struct Damage: Codable, Sendable, Equatable {
            /// The byte offset of the first unreadable record.
            public var offset: Int
            /// Its index among the file's records (0-based).
            public var record: Int
            /// What is wrong there.
            public var problem: String

            /// A damage report.
            /// - Parameters:
            ///   - offset: the byte offset of the first unreadable record.
            ///   - record: its index among the file's records (0-based).
            ///   - problem: what is wrong there.
            public init(offset: Int, record: Int, problem: String) {
                self.offset = offset
                self.record = record
                self.problem = problem
            }
        }

        /// The run the scalars were imported into.
        public var run: RunID
        /// The event file read, absolute.
        public var file: String
        /// The split the scalars were filed under.
        public var split: String
        /// Scalars imported, by tag.
        public var points: [String: Int]
        /// Their total.
        public var scalars: Int
        /// Non-scalar summaries skipped (histograms, images, text), by tag.
        public var skipped: [String: Int]
        /// Where the file stops being readable, or null when it was read to the end.
        public var damage: Damage?

        /// An import's report; ``scalars`` is the sum of `points`.
        /// - Parameters:
        ///   - run: the run imported into.
        ///   - file: the event file read, absolute.
        ///   - split: the split the scalars were filed under.
        ///   - points: scalars imported, by tag.
        ///   - skipped: non-scalar summaries skipped, by tag.
        ///   - damage: where the file stops being readable, or nil when it was read to the end.
        public init(run: RunID, file: String, split: String, points: [String: Int], skipped: [String: Int], damage: Damage?) {
            self.run = run
            self.file = file
            self.split = split
            self.points = points
            scalars = points.values.reduce(0, +)
            self.skipped = skipped
            self.damage = damage
        }

        enum CodingKeys: String, CodingKey {
            case run, file, split, points, scalars, skipped, damage
        }

        /// Encodes every key, absent values as `null` (never a missing key), as ``CairnJSON`` writes it.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(run, forKey: .run)
            try c.encode(file, forKey: .file)
            try c.encode(split, forKey: .split)
            try c.encode(points, forKey: .points)
            try c.encode(scalars, forKey: .scalars)
            try c.encode(skipped, forKey: .skipped)
            try c.encode(damage, forKey: .damage)
        }
    }
}
