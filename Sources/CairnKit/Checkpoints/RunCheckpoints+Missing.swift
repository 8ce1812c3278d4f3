import CairnCore

extension RunCheckpoints {
    /// The policy recorded by the run's last commit (the default, keeping everything, when none is or
    /// it cannot be read).
    func recordedPolicy(_ state: ManifestState) -> CheckpointPolicy {
        guard let recorded = state.entries.last(where: { $0.isKept && $0.policy != nil })?.policy else { return .default }
        return (try? CheckpointPolicy(mapping: recorded, source: manifest.path)) ?? .default  // recovery warns about it
    }

    /// The plan of a run's checkpoints among those whose file or folder is there: a checkpoint deleted
    /// by hand is never best or last, and takes no place among the top k. One the policy drops anyway
    /// (planned with it) is pruned too: its prune is recorded, with nothing left to delete.
    func planExisting(_ state: ManifestState, policy: CheckpointPolicy) throws(CairnError) -> RetentionPlan {
        let missing = try missingCheckpoints(state)
        guard !missing.isEmpty else { return RetentionPlanner.plan(state, policy: policy) }
        var plan = RetentionPlanner.plan(Self.existing(state, missing: missing, time: store.clock.now()), policy: policy)
        let full = RetentionPlanner.plan(state, policy: policy)
        for seq in missing.sorted() {
            if let reason = full.prune[seq] { plan.prune.insert(seq, reason) }
        }
        return plan
    }

    /// The kept checkpoints whose file or folder is gone: each folder holding kept checkpoints listed once.
    func missingCheckpoints(_ state: ManifestState) throws(CairnError) -> Set<Int> {
        var byFolder: [String: [(seq: Int, name: String)]] = [:]
        state.forEachPath { index, status, path in
            guard case .kept = status else { return }
            let (folder, name) = Self.split(path)
            byFolder[folder, default: []].append((state.entries[index].seq, name))
        }
        var missing = Set<Int>()
        for (folder, entries) in byFolder {
            let names = Set(try FileSystem.list(Paths.join(run.absoluteFolder, folder)))
            for entry in entries where !names.contains(entry.name) { missing.insert(entry.seq) }
        }
        return missing
    }

    /// The state with the missing checkpoints taken out of the kept ones (in memory only).
    static func existing(_ state: ManifestState, missing: Set<Int>, time: Timestamp) -> ManifestState {
        guard !missing.isEmpty else { return state }
        var existing = state
        for seq in missing.sorted() { existing.apply(.prune(.init(seq: seq, reason: "missing", time: time))) }
        return existing
    }
}
