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
        /// The experiment it continues from (a fine-tuning's pre-training), if known; null otherwise.
        public var parentExperimentID: ExperimentID?
        /// When its newest run started or ended (the later); null when it has no run.
        public var lastActivity: Timestamp?

        /// An experiment's description (``CairnKit/Store/info(of:)-(ExperimentRecord)`` builds it from a record).
        /// - Parameters:
        ///   - id: the experiment's stable id.
        ///   - name: its name.
        ///   - folder: its folder, absolute.
        ///   - createdAt: when it was created.
        ///   - runs: how many runs it has.
        ///   - parentExperimentID: the experiment it continues from, if known.
        ///   - lastActivity: when its newest run started or ended, if it has a run.
        public init(id: ExperimentID, name: ExperimentName, folder: String, createdAt: Timestamp, runs: Int,
                    parentExperimentID: ExperimentID? = nil, lastActivity: Timestamp? = nil) {
            self.id = id
            self.name = name
            self.folder = folder
            self.createdAt = createdAt
            self.runs = runs
            self.parentExperimentID = parentExperimentID
            self.lastActivity = lastActivity
        }

        enum CodingKeys: String, CodingKey {
            case id, name, folder, runs
            case createdAt = "created_at"
            case parentExperimentID = "parent_experiment_id"
            case lastActivity = "last_activity"
        }

        /// Decodes an experiment; `parent_experiment_id` and `last_activity` may be absent.
        /// - Parameter decoder: the decoder to read from.
        /// - Throws: `DecodingError` when a key is missing or of the wrong type.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(ExperimentID.self, forKey: .id)
            name = try c.decode(ExperimentName.self, forKey: .name)
            folder = try c.decode(String.self, forKey: .folder)
            createdAt = try c.decode(Timestamp.self, forKey: .createdAt)
            runs = try c.decode(Int.self, forKey: .runs)
            parentExperimentID = try c.decodeIfPresent(ExperimentID.self, forKey: .parentExperimentID)
            lastActivity = try c.decodeIfPresent(Timestamp.self, forKey: .lastActivity)
        }

        /// Encodes every key, `parent_experiment_id` and `last_activity` as null when there is none.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(folder, forKey: .folder)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(runs, forKey: .runs)
            try c.encode(parentExperimentID, forKey: .parentExperimentID)
            try c.encode(lastActivity, forKey: .lastActivity)
        }
    }
}
