import CairnCore

/// A run's checkpoints as read from its manifest: every entry, and which are best and last.
///
/// ``RunCheckpoints/view(store:run:)`` reads one (repairing, under the run's lock, what an interrupted
/// save left behind); a save returns the view right after it (``CheckpointSaveResult/view``).
///
/// A kept checkpoint whose file or folder is gone (deleted by hand) is in ``missing``: it is never
/// best or last, and the pointers answer with the best and last checkpoints that exist.
public struct CheckpointView: Sendable {
    /// The run.
    public var run: RunID
    /// The folded manifest.
    public var state: ManifestState
    /// The run folder (absolute); entry paths are relative to it.
    public var runFolder: String
    /// Absolute paths of the stable names, by pointer name (`best`, `last`…): only those that lead to
    /// the checkpoint the pointer answers.
    public var pointerPaths: [String: String]
    /// True if the manifest ended in a torn line (skipped).
    public var tornTail: Bool
    /// The sequence numbers of kept checkpoints whose file or folder is gone.
    public var missing: Set<Int> = []
    /// The checkpoint a pointer answers with, by pointer name, where the manifest's pointer names a
    /// checkpoint that is gone: the best or last of those that exist (nil: none exists).
    public var substitutes: [String: Int?] = [:]

    /// Entries that are kept (committed and not pruned), oldest first; those in ``missing`` included.
    public var kept: [CheckpointEntry] { state.entries.filter(\.isKept) }

    /// The best checkpoint that exists, if the policy ranks them.
    public var best: CheckpointEntry? { entry(pointer: "best") }
    /// The last checkpoint saved that exists.
    public var last: CheckpointEntry? { entry(pointer: "last") }

    /// The entry a pointer answers with: the one the manifest names if it is kept and its file is
    /// there, else the best or last of the checkpoints that exist.
    /// - Parameter name: the pointer's name: `best`, `last` or `best_score`.
    /// - Returns: the entry, or nil when the pointer is not set or no checkpoint it could name exists.
    public func entry(pointer name: String) -> CheckpointEntry? {
        if let substitute = substitutes[name] { return substitute.flatMap { state[seq: $0] } }
        guard let pointer = state.pointers[name], let entry = state[seq: pointer.seq], entry.isKept,
              !missing.contains(entry.seq) else { return nil }
        return entry
    }

    /// The names of the pointers that answer with a checkpoint, sorted.
    /// - Parameter seq: the checkpoint's sequence number.
    /// - Returns: the pointer names (`best`, `last`…).
    public func pointers(naming seq: Int) -> [String] {
        Set(state.pointers.keys).union(substitutes.keys).filter { entry(pointer: $0)?.seq == seq }.sorted()
    }

    /// Whether a kept checkpoint's file or folder is gone.
    /// - Parameter entry: an entry of this view.
    /// - Returns: true when it is kept and missing.
    public func isMissing(_ entry: CheckpointEntry) -> Bool { entry.isKept && missing.contains(entry.seq) }

    /// The absolute path of an entry.
    /// - Parameter entry: an entry of this view.
    /// - Returns: the entry's path joined to ``runFolder``.
    public func absolutePath(_ entry: CheckpointEntry) -> String { Paths.join(runFolder, entry.path) }
}
