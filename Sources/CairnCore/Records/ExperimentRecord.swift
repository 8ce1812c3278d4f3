/// The content of `.cairn/experiments/<id>/experiment.json`.
public struct ExperimentRecord: Codable, Sendable, Equatable {
    public var format: Int
    public var id: ExperimentID
    public var name: ExperimentName
    public var createdAt: Timestamp
    /// The experiment this one continues from (a fine-tuning's pre-training), when its config names it;
    /// absent from the file when none.
    public var parentExperimentID: ExperimentID?
    /// `deleted` when the experiment was deleted (softly: its folder and runs stay; MLflow's
    /// `experiments/delete` and `cairn rm`); absent while it is active.
    public var lifecycleStage: String?
    /// When it was deleted; absent while it is active.
    public var deletedAt: Timestamp?
    /// Its tags (MLflow's experiment tags); absent when it has none.
    public var tags: [String: String]?
    /// When its record last changed (renamed, tagged, deleted or restored); absent until then.
    public var updatedAt: Timestamp?

    /// True when the experiment was deleted (softly).
    public var isDeleted: Bool { lifecycleStage == "deleted" }

    public init(id: ExperimentID, name: ExperimentName, createdAt: Timestamp, parentExperimentID: ExperimentID? = nil) {
        self.format = 1
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.parentExperimentID = parentExperimentID
    }

    enum CodingKeys: String, CodingKey {
        case format, id, name
        case createdAt = "created_at"
        case parentExperimentID = "parent_experiment_id"
        case lifecycleStage = "lifecycle_stage"
        case deletedAt = "deleted_at"
        case tags
        case updatedAt = "updated_at"
    }
}
