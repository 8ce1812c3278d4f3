import CairnCore

extension RunCheckpoints {
    /// What ``prune(policy:dryRun:)`` would delete, read without the lock and without repairing
    /// anything: the manifest once, each checkpoint folder listed once, sizes as the manifest records
    /// them (nothing hashed, no stat per checkpoint). Checkpoints recorded as pruned whose file a killed
    /// prune left in place are listed too (the next writer's ``recover()`` removes them).
    ///
    /// With `keep` and no monitor in the store's or the experiment's policy, the monitor (and mode) of
    /// the policy the run's saves recorded ranks the checkpoints: `best` then means the run's best, and
    /// its `best` pointer keeps leading to a kept checkpoint.
    /// - Parameters:
    ///   - resolved: the store's and the experiment's policy with `keep` over them, not yet validated.
    ///   - keep: the call's retention rule (`--keep`), or nil for the run's own policy.
    /// - Returns: the checkpoints to delete, by sequence number; whether the run needs its lock (something
    ///   to delete, or something a killed writer left to repair); the call's policy to prune with.
    /// - Throws: `CairnError` when the policy cannot be applied (`.invalidConfig`: `best` without any
    ///   monitor), or the manifest or a checkpoint folder cannot be read.
    func collectionPlan(resolved: CheckpointPolicy, keep: CheckpointPolicy?) throws(CairnError)
        -> (deletions: [CairnAPI.DeletedCheckpoint], needsLock: Bool, call: CheckpointPolicy) {
        let health = try inspect()
        let state = health.view.state
        let missing = health.view.missing
        var (policy, call) = (resolved, keep ?? CheckpointPolicy())
        if keep != nil, policy.monitor == nil {
            let recorded = recordedPolicy(state)
            if let monitor = recorded.monitor {
                (policy.monitor, policy.mode, call.monitor, call.mode) = (monitor, recorded.mode, monitor, recorded.mode)
            }
        }
        try policy.validate()
        var plan = RetentionPlanner.plan(Self.existing(state, missing: missing, time: store.clock.now()), policy: policy)
        if !missing.isEmpty {  // as planExisting: a checkpoint deleted by hand takes no place, and is recorded as pruned
            let full = RetentionPlanner.plan(state, policy: policy)
            for seq in missing.sorted() {
                if let reason = full.prune[seq] { plan.prune.insert(seq, reason) }
            }
        }
        var deletions: [CairnAPI.DeletedCheckpoint] = []
        for (seq, reason) in plan.prune {
            guard let entry = state[seq: seq], entry.isKept else { continue }
            deletions.append(deletion(entry, bytes: missing.contains(seq) ? 0 : entry.bytes, reason: reason))
        }
        let leftovers = try unfinishedPrunes(state)
        deletions += leftovers
        deletions.sort { $0.seq < $1.seq }
        return (deletions, !deletions.isEmpty || health.needsRepair, call)
    }

    /// A checkpoint of this run as `cairn gc` reports it.
    func deletion(_ entry: CheckpointEntry, bytes: Int64, reason: String) -> CairnAPI.DeletedCheckpoint {
        CairnAPI.DeletedCheckpoint(run: run.id, seq: entry.seq, path: Paths.join(run.absoluteFolder, entry.path),
                                   relativePath: entry.path, bytes: bytes, reason: reason)
    }

    /// The checkpoints recorded as pruned whose name their folder still holds: a prune killed between
    /// its record and the removal. Each folder is listed once, and only when it has such candidates.
    func unfinishedPrunes(_ state: ManifestState) throws(CairnError) -> [CairnAPI.DeletedCheckpoint] {
        var byFolder: [String: [(index: Int, name: String, path: String)]] = [:]
        var keptPaths = Set<String>()
        state.forEachPath { index, status, path in
            switch status {
            case .kept: keptPaths.insert(path)
            case .pruned(let reason) where reason == Self.missingPruneReason || reason.hasPrefix(Self.copyPruneReasonPrefix): break
            case .pruned:
                let (folder, name) = Self.split(path)
                byFolder[folder, default: []].append((index, name, path))
            default: break
            }
        }
        var found: [CairnAPI.DeletedCheckpoint] = []
        for (folder, candidates) in byFolder {
            let absolute = Paths.join(run.absoluteFolder, folder)
            guard FileSystem.isDirectory(absolute) else { continue }
            let names = Set(try FileSystem.list(absolute))
            for candidate in candidates where names.contains(candidate.name) && !keptPaths.contains(candidate.path) {
                let entry = state.entries[candidate.index]
                found.append(deletion(entry, bytes: entry.bytes, reason: RunCollectionPlan.leftoverReason))
            }
        }
        return found
    }
}
