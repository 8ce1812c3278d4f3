import CairnCore

/// A run's entry in the store's registry, `.cairn/experiments/<experiment id>/runs/<run id>.json`:
/// enough to find the run folder without reading anything else.
public struct RunLocation: Codable, Sendable, Equatable {
    /// The run's id.
    public var id: RunID
    /// The stable id of the run's experiment.
    public var experimentID: ExperimentID
    /// The run folder, relative to the store's tree (its root, unless the store describes a tree elsewhere).
    public var folder: String
    /// The layout that named the run's files (the store's layout may change later).
    public var layout: String
    /// `deleted` when the run was deleted softly (it keeps its folder; hidden from listings until
    /// restored); absent while it is active.
    public var lifecycleStage: String?
    /// When it was deleted; absent while it is active.
    public var deletedAt: Timestamp?

    /// A registry entry.
    /// - Parameters:
    ///   - id: the run's id.
    ///   - experimentID: its experiment's id.
    ///   - folder: the run folder, relative to the store's tree.
    ///   - layout: the layout that named the run's files.
    public init(id: RunID, experimentID: ExperimentID, folder: String, layout: String) {
        self.id = id
        self.experimentID = experimentID
        self.folder = folder
        self.layout = layout
    }

    enum CodingKeys: String, CodingKey {
        case id, folder, layout
        case experimentID = "experiment_id"
        case lifecycleStage = "lifecycle_stage"
        case deletedAt = "deleted_at"
    }
}
