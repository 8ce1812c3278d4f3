import CairnCore

/// A run as read from disk: its record and where its folder is.
public struct Run: Sendable, Equatable {
    /// The content of its `run.json`.
    public var record: RunRecord
    /// The run folder, relative to the store's tree.
    public var folder: String
    /// The run folder, absolute.
    public var absoluteFolder: String
    /// When the run was deleted (softly), from its registry entry; nil while it is active.
    public var deletedAt: Timestamp?

    /// A run read from `folder`. The store makes these (``Store/createRun(_:)``,
    /// ``Store/run(_:in:environment:)``).
    /// - Parameters:
    ///   - record: the content of its `run.json`.
    ///   - folder: the run folder, relative to the store's tree.
    ///   - absoluteFolder: the run folder, absolute.
    public init(record: RunRecord, folder: String, absoluteFolder: String) {
        self.record = record
        self.folder = folder
        self.absoluteFolder = absoluteFolder
    }

    /// The run's id.
    public var id: RunID { record.id }

    /// Where the run is: what its registry entry holds.
    public var location: RunLocation {
        RunLocation(id: record.id, experimentID: record.experimentID, folder: folder, layout: record.layout)
    }
}
