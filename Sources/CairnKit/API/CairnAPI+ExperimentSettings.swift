import CairnCore

extension CairnAPI {
    /// An experiment's settings (`exp set`): today its checkpoint policy, as set with
    /// `checkpoint.KEY=VALUE`.
    public struct ExperimentSettings: Codable, Sendable, Equatable {
        /// The experiment's name.
        public var experiment: ExperimentName
        /// The experiment's stable id.
        public var experimentID: ExperimentID
        /// The settings document (`{"checkpoint": {"top_k": 3, …}}`).
        public var settings: ConfigValue
        /// The checkpoint policy they set (every key, null when unset).
        public var checkpoint: CheckpointPolicy

        /// An experiment's settings.
        /// - Parameters:
        ///   - experiment: the experiment.
        ///   - settings: its settings document (`.cairn/experiments/<id>/settings.yaml`).
        ///   - checkpoint: the checkpoint policy the settings set.
        public init(experiment: ExperimentRecord, settings: ConfigValue, checkpoint: CheckpointPolicy) {
            self.experiment = experiment.name
            experimentID = experiment.id
            self.settings = settings
            self.checkpoint = checkpoint
        }

        enum CodingKeys: String, CodingKey {
            case experiment, settings, checkpoint
            case experimentID = "experiment_id"
        }
    }
}
