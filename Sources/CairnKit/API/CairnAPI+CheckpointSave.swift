import CairnCore

extension CairnAPI {
    /// What one save did (`ckpt save`): the checkpoint saved (or why the policy skipped it), what it
    /// pruned, the best and last checkpoints after it, and the policy in force.
    public struct CheckpointSave: Codable, Sendable, Equatable {
        /// The run saved to.
        public var run: RunID
        /// The checkpoint saved, or null when the policy skipped this save.
        public var saved: Checkpoint?
        /// Why the save was skipped (every N epochs or steps), when it was.
        public var skipped: String?
        /// The checkpoints this save pruned.
        public var pruned: [PrunedCheckpoint]
        /// The best checkpoint after the save, if the policy ranks them.
        public var best: Checkpoint?
        /// The last checkpoint after the save.
        public var last: Checkpoint?
        /// The policy in force for this save (the call's settings over the experiment's over the store's).
        public var policy: CheckpointPolicy

        /// A save's report (``CheckpointSaveResult/answer`` builds it from a save's result).
        /// - Parameters:
        ///   - run: the run saved to.
        ///   - saved: the checkpoint saved, or nil when the policy skipped the save.
        ///   - skipped: why the save was skipped, when it was.
        ///   - pruned: the checkpoints the save pruned.
        ///   - best: the best checkpoint after the save, if the policy ranks them.
        ///   - last: the last checkpoint after the save.
        ///   - policy: the policy in force for the save.
        public init(run: RunID, saved: Checkpoint?, skipped: String?, pruned: [PrunedCheckpoint], best: Checkpoint?,
                    last: Checkpoint?, policy: CheckpointPolicy) {
            self.run = run
            self.saved = saved
            self.skipped = skipped
            self.pruned = pruned
            self.best = best
            self.last = last
            self.policy = policy
        }

        enum CodingKeys: String, CodingKey {
            case run, saved, skipped, pruned, best, last, policy
        }

        /// Encodes every key, absent values as `null` (never a missing key), as ``CairnJSON`` writes it.
        /// - Parameter encoder: the encoder to write to.
        /// - Throws: what the encoder throws.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(run, forKey: .run)
            try c.encode(saved, forKey: .saved)
            try c.encode(skipped, forKey: .skipped)
            try c.encode(pruned, forKey: .pruned)
            try c.encode(best, forKey: .best)
            try c.encode(last, forKey: .last)
            try c.encode(policy, forKey: .policy)
        }
    }
}
