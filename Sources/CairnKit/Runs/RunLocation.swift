import CairnCore

/// A run's entry in the store's registry, `.cairn/experiments/<experiment id>/runs/<run id>.json`:
/// enough to find the run folder without reading anything else.
public struct RunLocation: Codable, Sendable, Equatable {
    public var id: RunID
    public var experimentID: ExperimentID
    /// The run folder, relative to the store root.
    public var folder: String
    /// The layout that named the run's files (the store's layout may change later).
    public var layout: String

    public init(id: RunID, experimentID: ExperimentID, folder: String, layout: String) {
        self.id = id
        self.experimentID = experimentID
        self.folder = folder
        self.layout = layout
    }

    enum CodingKeys: String, CodingKey {
        case id, folder, layout
        case experimentID = "experiment_id"
    }
}
