/// The content of `.cairn/experiments/<id>/experiment.json`.
public struct ExperimentRecord: Codable, Sendable, Equatable {
    public var format: Int
    public var id: ExperimentID
    public var name: ExperimentName
    public var createdAt: Timestamp

    public init(id: ExperimentID, name: ExperimentName, createdAt: Timestamp) {
        self.format = 1
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case format, id, name
        case createdAt = "created_at"
    }
}
