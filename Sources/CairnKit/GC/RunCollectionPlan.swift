import CairnCore

/// One run's part of a `cairn gc` (``Store/collectGarbage(_:dryRun:progress:)``), as planned.
struct RunCollectionPlan: Sendable {
    /// What gc does with the run.
    enum Action: Sendable {
        /// Nothing to do.
        case nothing
        /// Delete these checkpoints (possibly none: the run only needs a killed writer's leftovers
        /// repaired), pruning with this call's policy.
        case prune([CairnAPI.DeletedCheckpoint], call: CheckpointPolicy)
        /// Move the run to the trash.
        case trash(CairnAPI.TrashedRun)
        /// Leave it alone, for this reason.
        case skip(String)
    }

    /// The reason given for a checkpoint recorded as pruned whose file a killed prune left in place.
    static let leftoverReason = "pruned earlier; an interrupted prune left its file"

    var run: Run
    var experiment: ExperimentRecord
    var action: Action

    /// True when the run is acted on or reported.
    var hasWork: Bool {
        if case .nothing = action { return false }
        return true
    }
}
