import CairnCore

extension CairnAPI {
    /// What `cairn reindex` rebuilt.
    public struct Reindex: Codable, Sendable, Equatable {
        /// The index's file.
        public var index: String
        /// How many experiments and runs it now holds.
        public var experiments: Int
        public var runs: Int
        /// Registered runs left out because their folder is gone (deleted outside Cairn).
        public var missingRunFolders: Int
        /// How long the rebuild took.
        public var seconds: Double

        /// A rebuild's outcome.
        public init(index: String, experiments: Int, runs: Int, missingRunFolders: Int, seconds: Double) {
            self.index = index
            self.experiments = experiments
            self.runs = runs
            self.missingRunFolders = missingRunFolders
            self.seconds = seconds
        }

        enum CodingKeys: String, CodingKey {
            case index, experiments, runs, seconds
            case missingRunFolders = "missing_run_folders"
        }
    }
}
