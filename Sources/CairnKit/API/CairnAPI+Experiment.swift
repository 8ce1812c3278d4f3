import CairnCore

extension CairnAPI {
    /// An experiment (`exp new`, `exp ls`).
    public struct Experiment: Codable, Sendable, Equatable {
        /// The stable id (a decimal number, as text, like MLflow's experiment ids).
        public var id: ExperimentID
        /// The name, possibly grouped with `/` (`vae/baseline`).
        public var name: ExperimentName
        /// The experiment's folder, absolute.
        public var folder: String
        /// When it was created.
        public var createdAt: Timestamp
        /// How many runs it has.
        public var runs: Int

        /// An experiment's description (``CairnKit/Store/info(of:)-(ExperimentRecord)`` builds it from a record).
        /// - Parameters:
        ///   - id: the experiment's stable id.
        ///   - name: its name.
        ///   - folder: its folder, absolute.
        ///   - createdAt: when it was created.
        ///   - runs: how many runs it has.
        public init(id: ExperimentID, name: ExperimentName, folder: String, createdAt: Timestamp, runs: Int) {
            self.id = id
            self.name = name
            self.folder = folder
            self.createdAt = createdAt
            self.runs = runs
        }

        enum CodingKeys: String, CodingKey {
            case id, name, folder, runs
            case createdAt = "created_at"
        }
    }
}
