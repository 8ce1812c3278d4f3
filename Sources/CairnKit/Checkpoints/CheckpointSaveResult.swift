import CairnCore

/// What a save did.
public struct CheckpointSaveResult: Sendable {
    /// The saved checkpoint, or nil when the policy skipped this save (every N epochs or steps).
    public var entry: CheckpointEntry?
    /// Why it was skipped, when it was.
    public var skippedBecause: String?
    /// Checkpoints pruned by this save, with the reason.
    public var pruned: [(seq: Int, path: String, reason: String)]
    /// The best and last checkpoints after the save.
    public var best: CheckpointEntry?
    public var last: CheckpointEntry?
    /// The policy in force for this save.
    public var policy: CheckpointPolicy
}
