import CairnCore

extension CairnAPI {
    /// What reading an adopted tree again found (`cairn adopt --refresh`, and every command on an
    /// adopted store whose tree got new folders): the runs and experiments it registered.
    public struct TreeRefresh: Codable, Sendable, Equatable {
        /// The runs found and registered, by id.
        public var newRuns: [RunID]
        /// The experiments made for them (names), those that did not exist yet.
        public var newExperiments: [String]
        /// How many folders were read again.
        public var foldersRead: Int

        /// A refresh's outcome.
        /// - Parameters:
        ///   - newRuns: the runs found and registered.
        ///   - newExperiments: the experiments made for them.
        ///   - foldersRead: how many folders were read again.
        public init(newRuns: [RunID], newExperiments: [String], foldersRead: Int) {
            self.newRuns = newRuns
            self.newExperiments = newExperiments
            self.foldersRead = foldersRead
        }

        enum CodingKeys: String, CodingKey {
            case newRuns = "new_runs"
            case newExperiments = "new_experiments"
            case foldersRead = "folders_read"
        }
    }
}
