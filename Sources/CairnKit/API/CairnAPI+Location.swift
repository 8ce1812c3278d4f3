import CairnCore

extension CairnAPI {
    /// A folder a user asked for (`cairn path`): an experiment's, or a run's.
    public struct Location: Codable, Sendable, Equatable {
        /// The folder, absolute.
        public var path: String
        /// The experiment's name.
        public var experiment: String
        /// The run, or null for an experiment's folder.
        public var run: RunID?

        /// A folder.
        /// - Parameters:
        ///   - path: the folder, absolute.
        ///   - experiment: the experiment's name.
        ///   - run: the run, or nil for the experiment's own folder.
        public init(path: String, experiment: String, run: RunID?) {
            self.path = path
            self.experiment = experiment
            self.run = run
        }

        enum CodingKeys: String, CodingKey {
            case path, experiment, run
        }

        /// Encodes every key, absent values as `null` (never a missing key), as ``CairnJSON`` writes it.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(path, forKey: .path)
            try c.encode(experiment, forKey: .experiment)
            try c.encode(run, forKey: .run)
        }
    }
}
