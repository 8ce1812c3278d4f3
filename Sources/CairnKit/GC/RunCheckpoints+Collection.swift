import CairnCore

extension RunCheckpoints {
    /// What ``prune(policy:dryRun:)`` would delete, read without the lock and without repairing
    /// anything: the manifest once, each checkpoint folder listed once, sizes as the manifest records
    /// them (nothing hashed, no stat per checkpoint). Checkpoints recorded as pruned whose file a killed
    /// prune left in place are listed too (the next writer's ``recover()`` removes them), and a save left
    /// pending makes the run one to open (its recovery finishes the save).
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
        let state: ManifestState
        var missing = Set<Int>()
        var needsRepair = false
        var listed: [String: Set<String>] = [:]
        if adoptedManifest != nil || store.settings.adopted {
            let health = try inspect()  // an adopted tree's checkpoints come from its folder too
            (state, missing, needsRepair) = (health.view.state, health.view.missing, health.needsRepair)
        } else {
            // The manifest and the folders of the kept checkpoints only: pointers, temporaries and the
            // like are left to the writer that opens the run (or to `cairn doctor`).
            state = try manifest.readState().state
            var kept: [(seq: Int, folder: String, name: String)] = []
            state.forEachPath { index, status, path in
                switch status {
                case .pending: needsRepair = true
                case .kept:
                    let (folder, name) = Self.split(path)
                    kept.append((state.entries[index].seq, folder, name))
                default: break
                }
            }
            for item in kept where listed[item.folder] == nil { listed[item.folder] = listing(item.folder) }
            missing = Set(kept.filter { listed[$0.folder]?.contains($0.name) != true }.map(\.seq))
        }
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
        let leftovers = unfinishedPrunes(state, listed: &listed)
        deletions += leftovers
        deletions.sort { $0.seq < $1.seq }
        return (deletions, !deletions.isEmpty || needsRepair, call)
    }

    /// A checkpoint of this run as `cairn gc` reports it.
    func deletion(_ entry: CheckpointEntry, bytes: Int64, reason: String) -> CairnAPI.DeletedCheckpoint {
        CairnAPI.DeletedCheckpoint(run: run.id, seq: entry.seq, path: Paths.join(run.absoluteFolder, entry.path),
                                   relativePath: entry.path, bytes: bytes, reason: reason)
    }

    /// The names in a folder of the run (none when it cannot be listed: its checkpoints count as missing).
    private func listing(_ folder: String) -> Set<String> {
        Set((try? FileSystem.list(Paths.join(run.absoluteFolder, folder))) ?? [])
    }

    /// The checkpoints recorded as pruned whose name their folder still holds: a prune killed between
    /// its record and the removal. Each folder is listed once (`listed` keeps the listings), and only
    /// when it has such candidates.
    func unfinishedPrunes(_ state: ManifestState, listed: inout [String: Set<String>]) -> [CairnAPI.DeletedCheckpoint] {
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
            if listed[folder] == nil { listed[folder] = listing(folder) }
            let names = listed[folder] ?? []
            for candidate in candidates where names.contains(candidate.name) && !keptPaths.contains(candidate.path) {
                let entry = state.entries[candidate.index]
                found.append(deletion(entry, bytes: entry.bytes, reason: RunCollectionPlan.leftoverReason))
            }
        }
        return found
    }
}
