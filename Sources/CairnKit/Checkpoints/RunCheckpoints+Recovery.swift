import Glibc
import CairnCore
import Logging

extension RunCheckpoints {
    /// Brings the run's checkpoints back to a consistent state after an interrupted save (called
    /// under the lock): truncates a torn manifest line; commits a save whose checkpoint is in place
    /// with the recorded sha256, aborts one that is not; removes temporary files of processes that
    /// are gone; finishes interrupted prunes; and points best and last where the last recorded
    /// policy says, among the checkpoints whose file is there. Returns the manifest state afterwards.
    @discardableResult
    func recover() throws(CairnError) -> ManifestState {
        var state = try manifest.readStateRepairing()
        // Checkpoints an adopted tree's training wrote since the manifest was: recorded now.
        let additions = try adoptedAdditions(to: state)
        if !additions.isEmpty {
            try manifest.append(additions)
            for event in additions { state.apply(event) }
        }
        var pendingIndices: [Int] = []
        state.forEachPath { index, status, _ in
            if status == .pending { pendingIndices.append(index) }
        }
        for entry in pendingIndices.map({ state.entries[$0] }) {
            let path = Paths.join(run.absoluteFolder, entry.path)
            let inPlace = FileSystem.exists(path) && digestMatches(path, entry)
            let event: ManifestEvent = inPlace
                ? .commit(.init(seq: entry.seq, policy: nil, decision: "kept: recovered after an interrupted save", time: store.clock.now()))
                : .abort(.init(seq: entry.seq, reason: "interrupted before the checkpoint was in place", time: store.clock.now()))
            try manifest.append([event])
            state.apply(event)
        }
        // One pass over the entries: the folders checkpoints live in, the kept paths, the pruned ones.
        var relativeFolders = Set<String>([""])
        var keptPaths = Set<String>()
        var pruned: [(path: String, folder: String, name: String)] = []
        state.forEachPath { _, status, path in
            let (folder, name) = Self.split(path)
            relativeFolders.insert(folder)
            switch status {
            case .kept: keptPaths.insert(path)
            // A checkpoint recorded as pruned because its file was gone is not deleted if it comes back.
            case .pruned(let reason) where reason == Self.missingPruneReason: break
            // A tree's pointer file found to be a copy of a checkpoint is never deleted.
            case .pruned(let reason) where reason.hasPrefix(Self.copyPruneReasonPrefix): break
            case .pruned: pruned.append((path, folder, name))
            default: break
            }
        }
        let folders = try listCheckpointFolders(relativeFolders, state: state)
        try removeAbandonedTemporaries(folders)
        // Prunes recorded but not carried out: a pruned checkpoint whose name its folder still holds. (The
        // folders are listed once: a stat per pruned checkpoint took half a second on a long run.)
        for (path, folder, name) in pruned where folders[folder]?.contains(name) == true && !keptPaths.contains(path) {
            TreeCopy.remove(Paths.join(run.absoluteFolder, path))
        }
        // Re-plan with the policy recorded by the last commit, so pointers and prunes are finished.
        if let recorded = state.entries.last(where: { $0.isKept && $0.policy != nil })?.policy {
            let policy: CheckpointPolicy
            do throws(CairnError) {
                policy = try CheckpointPolicy(mapping: recorded, source: manifest.path)
            } catch {
                // Keeping everything is the safe reading of a policy that cannot be read.
                store.logger.warning("the last policy recorded in '\(manifest.path)' cannot be read (\(error.messageWithCause)); recovery keeps every checkpoint",
                                     metadata: ["path": "\(manifest.path)", "run_id": "\(run.id)"])
                policy = .default
            }
            // Among the checkpoints that exist: pointers move off a checkpoint deleted by hand.
            _ = try enforce(try planExisting(state, policy: policy), on: &state, policy: policy)
        }
        return state
    }

    /// Whether the checkpoint at `path` has the sha256 its interrupted save recorded. One that cannot
    /// be read does not (its save is recorded as aborted), with a warning.
    private func digestMatches(_ path: String, _ entry: CheckpointEntry) -> Bool {
        do throws(CairnError) {
            return try StagedCheckpoint.digest(of: path, isFolder: entry.kind == .folder).sha256 == entry.sha256
        } catch {
            store.logger.warning("cannot read the checkpoint '\(path)' to check its interrupted save (\(error.messageWithCause)); the save is recorded as aborted",
                                 metadata: ["path": "\(path)", "run_id": "\(run.id)"])
            return false
        }
    }

    /// The folders where this run's checkpoints (`entryFolders`) and pointers live, relative to the run
    /// folder (`""` for the run folder itself), each with the names it holds.
    private func listCheckpointFolders(_ entryFolders: Set<String>, state: ManifestState) throws(CairnError) -> [String: Set<String>] {
        var relative = entryFolders
        for pointer in state.pointers.values { relative.insert(Self.split(pointer.path).folder) }
        // A layout that cannot name a checkpoint (no template, or a field it lacks) adds no folder.
        if let probe = try? checkpointPath(epoch: 0, step: 0, fileExtension: "") { relative.insert(Self.split(probe).folder) }
        var listed: [String: Set<String>] = [:]
        for folder in relative { listed[folder] = Set(try FileSystem.list(Paths.join(run.absoluteFolder, folder))) }
        return listed
    }

    /// The reason recorded for a checkpoint whose file was gone when `cairn doctor --fix` ran.
    static let missingPruneReason = "missing: its file was deleted outside Cairn (recorded by cairn doctor --fix)"
    /// How the reason of an adopted pointer file found to hold a checkpoint's bytes begins (its file stays).
    static let copyPruneReasonPrefix = "a copy of checkpoint "

    /// A relative path's folder (`""` when it has none) and last name.
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return ("", path) }
        return (String(path[..<slash]), String(path[path.utf8.index(after: slash)...]))
    }

    /// Removes `.cairn-tmp-*` files and folders left by processes that no longer run, in every folder
    /// where this run's checkpoints and pointers live (`folders`, as listed), and in its
    /// `.cairn/runs/<run id>/` (snapshots).
    private func removeAbandonedTemporaries(_ folders: [String: Set<String>]) throws(CairnError) {
        var found: [(folder: String, name: String)] = []
        for (folder, names) in folders {
            for name in names where name.hasPrefix(AtomicFile.temporaryPrefix) {
                found.append((Paths.join(run.absoluteFolder, folder), name))
            }
        }
        let meta = store.runMetaFolder(run.id)
        for name in try FileSystem.list(meta) where name.hasPrefix(AtomicFile.temporaryPrefix) { found.append((meta, name)) }
        for (folder, name) in found where AbandonedTemporaries.isAbandoned(name) {
            TreeCopy.remove(Paths.join(folder, name))
        }
    }
}
