/// The content of `.cairn/experiments/<id>/experiment.json`.
public struct ExperimentRecord: Codable, Sendable, Equatable {
    public var format: Int
    public var id: ExperimentID
    public var name: ExperimentName
    public var createdAt: Timestamp
    /// The experiment this one continues from (a fine-tuning's pre-training), when its config names it;
    /// absent from the file when none.
    public var parentExperimentID: ExperimentID?

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
    }
}
