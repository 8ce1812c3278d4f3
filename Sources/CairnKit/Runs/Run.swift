import CairnCore

/// A run as read from disk: its record and where its folder is.
public struct Run: Sendable, Equatable {
    public var record: RunRecord
    /// The run folder, relative to the store root.
    public var folder: String
    /// The run folder, absolute.
    public var absoluteFolder: String

    public var id: RunID { record.id }
}
