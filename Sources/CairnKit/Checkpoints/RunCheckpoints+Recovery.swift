#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CairnCore

extension RunCheckpoints {
    /// Brings the run's checkpoints back to a consistent state after an interrupted save (called
    /// under the lock): truncates a torn manifest line; commits a save whose checkpoint is in place
    /// with the recorded sha256, aborts one that is not; removes temporary files of processes that
    /// are gone; finishes interrupted prunes; and points best and last where the last recorded
    /// policy says. Returns the manifest state afterwards.
    @discardableResult
    func recover() throws(CairnError) -> ManifestState {
        var state = try manifest.readStateRepairing()
        for entry in state.entries where entry.status == .pending {
            let path = Paths.join(run.absoluteFolder, entry.path)
            let inPlace = FileSystem.exists(path)
                && (try? StagedCheckpoint.digest(of: path, isFolder: entry.kind == .folder).sha256) == entry.sha256
            let event: ManifestEvent = inPlace
                ? .commit(.init(seq: entry.seq, policy: nil, decision: "kept: recovered after an interrupted save", time: HostInfo.now))
                : .abort(.init(seq: entry.seq, reason: "interrupted before the checkpoint was in place", time: HostInfo.now))
            try manifest.append([event])
            state.apply(event)
        }
        try removeAbandonedTemporaries(state)
        // Prunes recorded but not carried out.
        let keptPaths = Set(state.entries.filter(\.isKept).map(\.path))
        for entry in state.entries {
            if case .pruned = entry.status, !keptPaths.contains(entry.path), FileSystem.exists(Paths.join(run.absoluteFolder, entry.path)) {
                TreeCopy.remove(Paths.join(run.absoluteFolder, entry.path))
            }
        }
        // Re-plan with the policy recorded by the last commit, so pointers and prunes are finished.
        if let recorded = state.entries.last(where: { $0.isKept && $0.policy != nil })?.policy {
            let policy = (try? CheckpointPolicy(mapping: recorded, source: manifest.path)) ?? CheckpointPolicy.default
            _ = try enforce(RetentionPlanner.plan(state, policy: policy), on: &state, policy: policy)
        }
        return state
    }

    /// Removes `.cairn-tmp-*` files and folders left by processes that no longer run, in every
    /// folder where this run's checkpoints and pointers live, and in its `.cairn/runs/<run id>/` (snapshots).
    private func removeAbandonedTemporaries(_ state: ManifestState) throws(CairnError) {
        var folders = Set<String>([run.absoluteFolder, store.runMetaFolder(run.id)])
        for entry in state.entries { folders.insert(Paths.parent(Paths.join(run.absoluteFolder, entry.path))) }
        for pointer in state.pointers.values { folders.insert(Paths.parent(Paths.join(run.absoluteFolder, pointer.path))) }
        if let probe = try? checkpointPath(epoch: 0, step: 0, fileExtension: "") {
            folders.insert(Paths.parent(Paths.join(run.absoluteFolder, probe)))
        }
        for folder in folders {
            for name in try FileSystem.list(folder) where name.hasPrefix(AtomicFile.temporaryPrefix) {
                if let pid = Self.ownerPID(ofTemporary: name), HostInfo.processIsAlive(pid, startTicks: nil) { continue }
                TreeCopy.remove(Paths.join(folder, name))
            }
        }
    }

    /// The pid in a temporary name `.cairn-tmp-NAME-PID-RANDOM[-old]`.
    static func ownerPID(ofTemporary name: String) -> Int32? {
        var parts = name.split(separator: "-", omittingEmptySubsequences: false)
        if parts.last == "old" { parts.removeLast() }
        guard parts.count >= 3 else { return nil }
        return Int32(parts[parts.count - 2])
    }
}
