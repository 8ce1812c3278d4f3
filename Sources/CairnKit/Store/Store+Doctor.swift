import CairnCore
import Logging

extension Store {
    /// Checks the whole store against its disk (`cairn doctor`): registered runs whose folder was
    /// deleted by hand, kept checkpoints whose file is gone, stable names (`best`, `last`) that lead
    /// elsewhere than their run's manifest says, saves a dead process left pending, and temporaries of
    /// processes that are gone. With `fix`, repairs what it can: removes the registry entries of the
    /// missing runs (and moves `latest` to the newest run that exists), records missing checkpoints as
    /// pruned and moves pointers to the best and last that exist, recovers pending saves and removes
    /// the temporaries. Each repair is atomic (a `kill -9` leaves the store readable, and the doctor
    /// can run again), and a run's checkpoints are repaired under its checkpoint lock.
    /// - Parameter fix: repair what is found; without it, nothing is changed.
    /// - Returns: what was found, each finding marked fixed or not.
    /// - Throws: `CairnError` of kind `.conflict` when `fix` is asked while a migration is unfinished;
    ///   `.permissionDenied` when the store cannot be written; what reading the registry throws.
    public func doctor(fix: Bool) throws(CairnError) -> CairnAPI.Doctor {
        if fix {
            try checkWritable()
            if hasUnfinishedMigration {
                throw CairnError(.conflict, "a migration of the store '\(root)' is unfinished: its run folders may be between two places",
                                 hint: "finish it with 'cairn migrate --resume' (or undo it with '--rollback'), then run 'cairn doctor --fix'")
            }
        }
        var report = CairnAPI.Doctor(store: root, fix: fix)
        let unfinished = try doctorTrash(fix: fix, into: &report)
        report.abandonedTemporaries += try doctorExtracts(fix: fix)
        for experiment in try experiments() {
            var missing: [RunLocation] = []
            for id in try registeredRunIDs(experiment.id).sorted() {
                guard let location = try registryEntry(experiment.id, id) else { continue }
                do throws(CairnError) {
                    if unfinished.contains(id) {
                        continue  // A removal `trash empty` left unfinished: reported as its hidden folder.
                    } else if let run = try runIfPresent(at: location) {
                        try examineCheckpoints(of: run, fix: fix, into: &report)
                    } else {
                        missing.append(location)
                    }
                } catch {
                    // One run that cannot be read (a record or manifest damaged by hand) does not stop the others.
                    logger.warning("cannot check run \(id) (\(error.messageWithCause)); the doctor goes on with the other runs",
                                   metadata: ["run_id": "\(id)", "path": "\(absolute(location.folder))"])
                }
            }
            let removed = fix && !missing.isEmpty ? try forgetMissingRuns(missing, of: experiment) : []
            report.missingRunFolders += missing.map { location in
                .init(run: location.id, experiment: experiment.name.description, folder: absolute(location.folder),
                      fixed: removed.contains(location.id))
            }
            for folder in [experimentMetaFolder(experiment.id), registryFolder(experiment.id)] {
                report.abandonedTemporaries += abandonedTemporaries(in: folder, fix: fix)
            }
        }
        return report
    }

    /// Reports the removals a killed `trash empty` left unfinished as temporaries (their hidden run
    /// folders), finished with `fix`.
    /// - Returns: the runs of the removals left unfinished.
    private func doctorTrash(fix: Bool, into report: inout CairnAPI.Doctor) throws(CairnError) -> Set<RunID> {
        let notes = unfinishedTrashRemovals()
        guard !notes.isEmpty else { return [] }
        // The hidden folder; the note itself when the kill came before the rename.
        let paths = notes.map { note in
            FileSystem.exists(absolute(note.tombstone)) ? absolute(note.tombstone) : Paths.join(trashNotesFolder, "\(note.run).json")
        }
        if fix { try finishEmptyingTrash() }
        report.abandonedTemporaries += paths.map { .init(path: $0, fixed: fix && !FileSystem.exists($0)) }
        return fix ? [] : Set(notes.map(\.run))
    }

    /// Removes the registry entries of runs whose folder is gone (under the experiment's lock, each
    /// checked again there), then their records under `.cairn/runs/`, and repairs `latest`. Runs the
    /// adoption pack records (no entry file) cannot be removed: they are left, not fixed.
    private func forgetMissingRuns(_ missing: [RunLocation], of experiment: ExperimentRecord) throws(CairnError) -> Set<RunID> {
        let removed = try withExperimentLock(experiment.id) { () throws(CairnError) -> Set<RunID> in
            var removed = Set<RunID>()
            for location in missing {
                let entry = registryPath(experiment.id, location.id)
                guard FileSystem.exists(entry), try runIfPresent(at: location) == nil else { continue }
                FileSystem.remove(entry)  // unlink: atomic; the run is no longer registered
                removed.insert(location.id)
            }
            FileSystem.syncDirectory(registryFolder(experiment.id))
            return removed
        }
        // Cairn's own files of the runs (checkpoint lock, manifest snapshot), unreachable now.
        for id in removed { TreeCopy.remove(runMetaFolder(id)) }
        _ = try repairLatest(experiment.id)
        return removed
    }

    /// Adds what is wrong with a run's checkpoints to the report, after repairing it with `fix`.
    private func examineCheckpoints(of run: Run, fix: Bool, into report: inout CairnAPI.Doctor) throws(CairnError) {
        let checkpoints = try RunCheckpoints(store: self, run: run)
        let found = try checkpoints.inspect()
        guard found.needsRepair || !found.view.missing.isEmpty else { return }
        var after = found
        if fix, checkpoints.mayRepair() {
            do throws(CairnError) {
                try checkpoints.repair(forgettingMissing: RunCheckpoints.missingPruneReason)
                after = try checkpoints.inspect()
            } catch {
                logger.warning("cannot repair the checkpoints of run \(run.id) (\(error.messageWithCause))",
                               metadata: ["run_id": "\(run.id)", "path": "\(run.absoluteFolder)"])
            }
        }
        let view = found.view
        for seq in view.missing.sorted() {
            guard let entry = view.state[seq: seq] else { continue }
            report.missingCheckpoints.append(.init(run: run.id, seq: seq, path: view.absolutePath(entry), fixed: !after.view.missing.contains(seq)))
        }
        let left = Set(after.pointerProblems.map(\.name))
        for problem in found.pointerProblems {
            // Where it leads now that it is repaired (with --fix), else where readers answer.
            let answer = fix ? after.view : view
            let target = answer.entry(pointer: problem.name).map(answer.absolutePath)
            report.pointers.append(.init(run: run.id, pointer: problem.name, path: problem.path, problem: problem.kind.rawValue,
                                         checkpoint: target, fixed: !left.contains(problem.name)))
        }
        let pending = Set(after.pending)
        report.pendingSaves += found.pending.map { .init(run: run.id, seq: $0, fixed: !pending.contains($0)) }
        let abandoned = Set(after.abandoned)
        report.abandonedTemporaries += found.abandoned.map { .init(path: $0, fixed: !abandoned.contains($0)) }
    }

    /// The temporaries of writers that are gone directly in `folder`, removed with `fix`.
    private func abandonedTemporaries(in folder: String, fix: Bool) -> [CairnAPI.Doctor.Temporary] {
        // Best effort: a folder that cannot be listed has nothing this doctor can remove.
        let names = ((try? FileSystem.list(folder)) ?? []).filter(AbandonedTemporaries.isAbandoned).sorted()
        return names.map { name in
            let path = Paths.join(folder, name)
            if fix { TreeCopy.remove(path) }
            return .init(path: path, fixed: fix && !FileSystem.exists(path))
        }
    }
}
