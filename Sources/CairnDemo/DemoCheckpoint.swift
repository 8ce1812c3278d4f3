import CairnCore

/// A checkpoint a demo run kept: its manifest entry and where its file is.
public struct DemoCheckpoint: Sendable {
    /// The manifest entry (epoch, step, metrics, path relative to the run folder).
    public var entry: CheckpointEntry
    /// The checkpoint's absolute path.
    public var path: String

    /// A kept checkpoint.
    /// - Parameters:
    ///   - entry: its manifest entry.
    ///   - path: its absolute path.
    public init(entry: CheckpointEntry, path: String) {
        self.entry = entry
        self.path = path
    }
}
