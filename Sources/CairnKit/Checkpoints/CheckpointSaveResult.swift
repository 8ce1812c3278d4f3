import CairnCore

/// What a save did: returned by ``RunCheckpoints/save(_:progress:)``, and by
/// ``RunCheckpoints/lastBackgroundResult`` for a background save.
public struct CheckpointSaveResult: Sendable {
    /// The run saved to.
    public var run: RunID
    /// The saved checkpoint, or nil when the policy skipped this save (every N epochs or steps).
    public var entry: CheckpointEntry?
    /// Why it was skipped, when it was.
    public var skippedBecause: String?
    /// Checkpoints pruned by this save, with the reason.
    public var pruned: [CairnAPI.PrunedCheckpoint]
    /// The best checkpoint after the save, if the policy ranks them.
    public var best: CheckpointEntry?
    /// The last checkpoint after the save.
    public var last: CheckpointEntry?
    /// The policy in force for this save.
    public var policy: CheckpointPolicy
    /// The run's checkpoints right after the save (nil when the save was skipped).
    public var view: CheckpointView?

    /// The save as Cairn answers it (`ckpt save --json`).
    public var answer: CairnAPI.CheckpointSave {
        CairnAPI.CheckpointSave(run: run, saved: entry.flatMap { e in view.map { $0.checkpoint(e) } }, skipped: skippedBecause,
                                pruned: pruned, best: best.flatMap { e in view.map { $0.checkpoint(e) } },
                                last: last.flatMap { e in view.map { $0.checkpoint(e) } }, policy: policy)
    }
}
