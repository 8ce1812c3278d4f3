import CairnCore

/// A run's checkpoints as read from its manifest: every entry, and which are best and last.
///
/// ``RunCheckpoints/view(store:run:)`` reads one without taking any lock; a save returns the view
/// right after it (``CheckpointSaveResult/view``).
public struct CheckpointView: Sendable {
    /// The run.
    public var run: RunID
    /// The folded manifest.
    public var state: ManifestState
    /// The run folder (absolute); entry paths are relative to it.
    public var runFolder: String
    /// Absolute paths of the stable names, by pointer name (`best`, `last`…).
    public var pointerPaths: [String: String]
    /// True if the manifest ended in a torn line (skipped).
    public var tornTail: Bool

    /// Entries that are kept (committed and not pruned), oldest first.
    public var kept: [CheckpointEntry] { state.entries.filter(\.isKept) }

    /// The best checkpoint, if the policy ranks them and one is kept.
    public var best: CheckpointEntry? { entry(pointer: "best") }
    /// The last checkpoint saved, if kept.
    public var last: CheckpointEntry? { entry(pointer: "last") }

    /// The entry a pointer names, if it is still kept.
    /// - Parameter name: the pointer's name: `best`, `last` or `best_score`.
    /// - Returns: the entry, or nil when the pointer is not set or names a checkpoint no longer kept.
    public func entry(pointer name: String) -> CheckpointEntry? {
        guard let pointer = state.pointers[name], let entry = state[seq: pointer.seq], entry.isKept else { return nil }
        return entry
    }

    /// The absolute path of an entry.
    /// - Parameter entry: an entry of this view.
    /// - Returns: the entry's path joined to ``runFolder``.
    public func absolutePath(_ entry: CheckpointEntry) -> String { Paths.join(runFolder, entry.path) }
}
