import CairnCore

/// What `cairn gc` is asked to do (``Store/collectGarbage(_:dryRun:progress:)``): which runs, which
/// checkpoints to keep, which runs to move to the trash.
public struct GarbageCollectionRequest: Sendable, Equatable {
    /// The experiments whose runs are looked at; nil for every experiment of the store. Runs already in
    /// the trash, and those of deleted experiments, are never looked at.
    public var experiments: [ExperimentRecord]?
    /// The checkpoints to keep, as ``CheckpointPolicy/init(keeping:)`` reads `--keep`, layered over each
    /// run's policy; nil to apply each run's own retention policy (what `cairn ckpt prune` applies).
    public var keep: CheckpointPolicy?
    /// The `--keep` words as the user gave them, for the report.
    public var keepText: String?
    /// Move to the trash the runs whose last activity (their end, else their start) is at least this
    /// many seconds ago.
    public var olderThan: Double?
    /// Move to the trash the runs with one of these statuses.
    public var statuses: Set<RunStatus>?
    /// Also act on runs whose owner is alive (skipped otherwise).
    public var force: Bool

    /// A request; with neither `olderThan` nor `statuses`, no run is moved to the trash (both given: a
    /// run must match both).
    public init(experiments: [ExperimentRecord]? = nil, keep: CheckpointPolicy? = nil, keepText: String? = nil,
                olderThan: Double? = nil, statuses: Set<RunStatus>? = nil, force: Bool = false) {
        self.experiments = experiments
        self.keep = keep
        self.keepText = keepText
        self.olderThan = olderThan
        self.statuses = statuses
        self.force = force
    }

    /// True when some runs are to be moved to the trash.
    var trashesRuns: Bool { olderThan != nil || statuses != nil }

    /// Whether a run is one to move to the trash.
    func selectsForTrash(_ record: RunRecord, now: Timestamp) -> Bool {
        guard trashesRuns else { return false }
        if let statuses, !statuses.contains(record.status) { return false }
        if let olderThan {
            let last = record.endTime ?? record.startTime
            if Double(now.millisecondsSinceEpoch - last.millisecondsSinceEpoch) / 1000 < olderThan { return false }
        }
        return true
    }
}
