import Glibc
import CairnCore
import Logging

extension Store {
    /// Removes runs in the trash for good (`cairn trash empty`): their folders, registry entries and
    /// Cairn's own files of them; a deleted experiment whose every run goes loses its record too.
    ///
    /// Each run goes in steps that a kill at any point leaves whole: a note `.cairn/trash/<run id>.json`
    /// names the run and a hidden name beside its folder (`.cairn-tmp-trash-<run id>-<pid>-<random>`);
    /// under the experiment's lock the folder is renamed to it (the parent synced) and the registry entry
    /// unlinked; then the hidden folder is removed and the note last. The next `trash empty` or
    /// `doctor --fix` finishes a note it finds (``finishEmptyingTrash()``): a killed run stays
    /// in the trash whole, or is gone.
    /// - Parameters:
    ///   - olderThan: only the runs deleted at least this many seconds ago (a run whose deletion time
    ///     is not recorded is then kept); nil: every run in the trash.
    ///   - dryRun: change nothing; answer what would be removed.
    ///   - force: also remove runs whose owner is alive.
    ///   - only: only these runs (`cairn archive create --remove`); nil: every run the other filters keep.
    ///   - progress: called with the bytes removed so far and the total, as folders go.
    /// - Returns: the runs removed (or that would be) with their bytes, and the experiments removed.
    /// - Throws: `CairnError` of kind `.conflict` for a run whose owner is alive (without `force`) or
    ///   whose folder holds another run's; nothing is changed then. What removing throws.
    public func emptyTrash(olderThan: Double? = nil, dryRun: Bool = false, force: Bool = false, only: Set<RunID>? = nil,
                           progress: ((_ done: Int64, _ total: Int64) -> Void)? = nil) throws(CairnError) -> CairnAPI.TrashChange {
        let trash = try trash()
        let now = clock.now().millisecondsSinceEpoch
        var rows = trash.runs.filter { row in
            if let only, !only.contains(row.run) { return false }
            guard let olderThan else { return true }
            guard let at = row.deletedAt else { return false }
            return Double(now - at.millisecondsSinceEpoch) / 1000 >= olderThan
        }
        rows = rows.filter { row in
            guard adoptedPack?.byExperiment[row.experimentID.value]?.contains(row.run) == true else { return true }
            logger.warning("run \(row.run) was adopted and is registered in the store's pack: it stays in the trash",
                           metadata: ["run_id": "\(row.run)"])
            return false
        }
        try checkRemovable(rows, force: force)
        let emptied = trash.experiments.filter { experiment in
            experiment.runs == rows.filter { $0.experimentID == experiment.id }.count && adoptedPack?.experiments[experiment.id.value] == nil
        }
        let change = CairnAPI.TrashChange(action: "empty", dryRun: dryRun, runs: rows, experiments: emptied)
        if dryRun { return change }
        try checkWritable()
        try FileSystem.makeDirectories(trashNotesFolder)
        return try FileLock.withLock(Paths.join(trashNotesFolder, "lock")) { () throws(CairnError) -> CairnAPI.TrashChange in
            _ = try finishEmptyingLocked()
            var done: Int64 = 0
            progress?(0, change.bytes)
            var removed: [CairnAPI.TrashedRun] = []
            for row in rows {
                guard let location = try registryEntry(row.experimentID, row.run) else { continue }
                if try removeForGood(location) { removed.append(row) }
                done += row.bytes
                progress?(done, change.bytes)
            }
            for id in Set(removed.map(\.experimentID)).sorted() { _ = try repairLatest(id) }
            var gone: [CairnAPI.TrashedExperiment] = []
            for experiment in emptied where try removeEmptyDeletedExperiment(experiment.id) { gone.append(experiment) }
            return CairnAPI.TrashChange(action: "empty", dryRun: false, runs: removed, experiments: gone)
        }
    }

    /// Finishes the removals a killed `trash empty` left (its notes under `.cairn/trash/`): a run whose
    /// folder was renamed loses its registry entry and hidden folder; one whose folder was not stays in
    /// the trash. `cairn doctor --fix` calls it; so does every ``emptyTrash(olderThan:dryRun:force:only:progress:)``.
    /// - Returns: the runs whose removal was finished.
    /// - Throws: `CairnError` when the store cannot be written.
    @discardableResult
    public func finishEmptyingTrash() throws(CairnError) -> [RunID] {
        guard FileSystem.isDirectory(trashNotesFolder) else { return [] }
        try checkWritable()
        return try FileLock.withLock(Paths.join(trashNotesFolder, "lock")) { () throws(CairnError) -> [RunID] in try finishEmptyingLocked() }
    }

    /// The notes of removals left unfinished by processes that are gone.
    func unfinishedTrashRemovals() -> [TrashTombstone] {
        // Best effort: a folder that cannot be listed holds no note this process can finish.
        let names = ((try? FileSystem.list(trashNotesFolder)) ?? []).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        return names.compactMap { name in
            let path = Paths.join(trashNotesFolder, name)
            guard let bytes = try? FileSystem.read(path), let note = try? JSONCoding.decode(TrashTombstone.self, from: bytes, path: path) else { return nil }
            return AbandonedTemporaries.isAbandoned(Paths.lastComponent(note.tombstone)) ? note : nil
        }
    }

    var trashNotesFolder: String { Paths.join(metaRoot, "trash") }

    // MARK: Steps

    /// Refuses, before anything changes, runs whose owner lives (without `force`), and folders that are
    /// the tree's root, outside it, or hold a run that is not being removed.
    private func checkRemovable(_ rows: [CairnAPI.TrashedRun], force: Bool) throws(CairnError) {
        let leaving = Set(rows.map(\.run))
        var kept: [String] = []
        for experiment in try experiments() {
            for id in try registeredRunIDs(experiment.id) where !leaving.contains(id) {
                if let entry = try registryEntry(experiment.id, id) { kept.append(Paths.normalize(entry.folder)) }
            }
        }
        for row in rows {
            if row.liveness == .alive && !force { throw Self.aliveError(row, doing: "removed") }
            let folder = Paths.normalize(try locationOf(row).folder)
            if folder.isEmpty || folder == "." || folder.hasPrefix("/") || folder.split(separator: "/").contains("..") {
                throw CairnError(.conflict, "the folder of run \(row.run), '\(row.folder)', is the store's tree or outside it: it is not removed",
                                 hint: "remove the run's files by hand, then run 'cairn doctor --fix'")
            }
            if let other = kept.first(where: { $0 == folder || $0.hasPrefix(folder + "/") }) {
                throw CairnError(.conflict, "the folder of run \(row.run), '\(row.folder)', also holds '\(absolute(other))', a run not in the trash",
                                 hint: "empty the trash with --older-than to leave this run, or move the other run's files first")
            }
        }
    }

    /// Removes one run for good (see ``emptyTrash(olderThan:dryRun:force:only:progress:)``).
    /// - Returns: false when the run left the trash meanwhile (restored): nothing is done.
    private func removeForGood(_ location: RunLocation) throws(CairnError) -> Bool {
        let note = TrashTombstone(location)
        let notePath = Paths.join(trashNotesFolder, "\(location.id).json")
        let proceed = try withExperimentLock(location.experimentID) { () throws(CairnError) -> Bool in
            guard let entry = try registryEntry(location.experimentID, location.id) else { return false }
            let inTrash = entry.lifecycleStage == "deleted" ? true : try experiment(id: location.experimentID).isDeleted
            guard inTrash else { return false }
            try AtomicFile.write(try JSONCoding.encode(note), to: notePath)
            FaultInjection.point("trash-noted")
            let folder = absolute(location.folder)
            if rename(folder, absolute(note.tombstone)) != 0 && errno != ENOENT {
                let error = SystemError.make("rename", path: folder)
                FileSystem.remove(notePath)
                throw error
            }
            FileSystem.syncDirectory(Paths.parent(folder))
            FaultInjection.point("trash-renamed")
            try unregister(note)
            return true
        }
        guard proceed else { return false }
        FaultInjection.point("trash-unregistered")
        finishRemoval(note, notePath: notePath)
        return true
    }

    /// Unlinks the registry entry of the run a note names (the caller holds the experiment's lock).
    private func unregister(_ note: TrashTombstone) throws(CairnError) {
        let entry = registryPath(note.experimentID, note.run)
        if unlink(entry) != 0 && errno != ENOENT { throw SystemError.make("remove", path: entry) }
        FileSystem.syncDirectory(registryFolder(note.experimentID))
        index.mark(note.run)
    }

    /// Removes Cairn's own files of the run, its hidden folder, and the note last.
    private func finishRemoval(_ note: TrashTombstone, notePath: String) {
        TreeCopy.remove(runMetaFolder(note.run))
        TreeCopy.remove(absolute(note.tombstone))
        FaultInjection.point("trash-removed")
        FileSystem.remove(notePath)
    }

    /// Finishes every note (the caller holds the trash lock, so no note is in use).
    private func finishEmptyingLocked() throws(CairnError) -> [RunID] {
        var finished: [RunID] = []
        for name in try FileSystem.list(trashNotesFolder).sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let path = Paths.join(trashNotesFolder, name)
            let note = try JSONCoding.decode(TrashTombstone.self, from: try FileSystem.read(path), path: path)
            if !FileSystem.exists(absolute(note.tombstone)) && FileSystem.isDirectory(absolute(note.folder)) {
                FileSystem.remove(path)  // Killed before the rename: the run stays in the trash, whole.
                continue
            }
            try withExperimentLock(note.experimentID) { () throws(CairnError) in try unregister(note) }
            finishRemoval(note, notePath: path)
            _ = try repairLatest(note.experimentID)
            finished.append(note.run)
        }
        AbandonedTemporaries.remove(in: trashNotesFolder)
        return finished
    }

    /// Removes the record of a deleted experiment left without runs: its folder under
    /// `.cairn/experiments/` is renamed to a hidden temporary name, then removed.
    /// - Returns: false when it has runs again, or is not deleted any more.
    private func removeEmptyDeletedExperiment(_ id: ExperimentID) throws(CairnError) -> Bool {
        try FileLock.withLock(storeLockPath) { () throws(CairnError) -> Bool in
            guard try experiment(id: id).isDeleted else { return false }
            let moved = try withExperimentLock(id) { () throws(CairnError) -> String? in
                guard try registeredRunIDs(id).isEmpty else { return nil }
                var random = SystemRandomNumberGenerator()
                let hidden = Paths.join(experimentsRoot, AtomicFile.temporaryPrefix + "trash-experiment-\(id)-\(getpid())-\(String(random.next() % 0xFFFF_FFFF, radix: 36))")
                if rename(experimentMetaFolder(id), hidden) != 0 { throw SystemError.make("rename", path: experimentMetaFolder(id)) }
                FileSystem.syncDirectory(experimentsRoot)
                return hidden
            }
            guard let moved else { return false }
            TreeCopy.remove(moved)
            return true
        }
    }
}
