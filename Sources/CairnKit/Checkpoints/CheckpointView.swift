import CairnCore

/// A run's checkpoints as read from its manifest: every entry, and which are best and last.
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
    public func entry(pointer name: String) -> CheckpointEntry? {
        guard let pointer = state.pointers[name], let entry = state[seq: pointer.seq], entry.isKept else { return nil }
        return entry
    }

    /// The absolute path of an entry.
    public func absolutePath(_ entry: CheckpointEntry) -> String { Paths.join(runFolder, entry.path) }
}
