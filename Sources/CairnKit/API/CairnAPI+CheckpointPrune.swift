import CairnCore

extension CairnAPI {
    /// What `ckpt prune` pruned, or with `dry_run` would prune.
    public struct CheckpointPrune: Codable, Sendable, Equatable {
        /// The run pruned.
        public var run: RunID
        /// True when nothing was deleted.
        public var dryRun: Bool
        /// The checkpoints the policy does not keep.
        public var pruned: [PrunedCheckpoint]

        /// A prune's report.
        /// - Parameters:
        ///   - run: the run pruned.
        ///   - dryRun: whether nothing was deleted.
        ///   - pruned: the checkpoints the policy does not keep (from ``RunCheckpoints/prune(policy:dryRun:)``).
        public init(run: RunID, dryRun: Bool, pruned: [PrunedCheckpoint]) {
            self.run = run
            self.dryRun = dryRun
            self.pruned = pruned
        }

        enum CodingKeys: String, CodingKey {
            case run, pruned
            case dryRun = "dry_run"
        }
    }
}
