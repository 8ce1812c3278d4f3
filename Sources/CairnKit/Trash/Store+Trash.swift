import Glibc
import CairnCore

extension Store {
    /// What the trash holds (`cairn trash ls`): the runs deleted softly (``deleteRun(_:)``, MLflow's
    /// `runs/delete`), the runs of experiments deleted softly (``deleteExperiment(_:)``), and those
    /// experiments. The soft delete is the trash: there is no second mark.
    /// - Returns: the runs with the bytes of their folders, oldest first, and the deleted experiments.
    /// - Throws: `CairnError` when the registry cannot be read.
    public func trash() throws(CairnError) -> CairnAPI.Trash {
        var runs: [CairnAPI.TrashedRun] = []
        var experiments: [CairnAPI.TrashedExperiment] = []
        for experiment in try self.experiments() {
            var count = 0
            for id in try registeredRunIDs(experiment.id) {
                guard let entry = try registryEntry(experiment.id, id) else { continue }
                count += 1
                guard entry.lifecycleStage == "deleted" || experiment.isDeleted else { continue }
                runs.append(try trashedRun(entry, of: experiment))
            }
            if experiment.isDeleted {
                experiments.append(.init(id: experiment.id, name: experiment.name.description, deletedAt: experiment.deletedAt, runs: count))
            }
        }
        return CairnAPI.Trash(runs: runs.sorted { $0.run < $1.run }, experiments: experiments.sorted { $0.id < $1.id })
    }

    /// Moves runs and experiments to the trash (`cairn rm`): each run is deleted softly, as MLflow's
    /// `runs/delete` does; an experiment is deleted softly with every run it has (as MLflow's
    /// `experiments/delete` does). Folders stay; ``restore(_:dryRun:)`` brings them back.
    /// - Parameters:
    ///   - words: experiment names or run ids (or unique prefixes), as a user typed them.
    ///   - force: also delete runs whose owner is alive.
    ///   - dryRun: change nothing; answer what would be done.
    /// - Returns: the runs and experiments deleted (or that would be), those already deleted included.
    /// - Throws: `CairnError` of kind `.notFound` or `.ambiguous` for a word that names nothing or
    ///   several runs, `.conflict` for a run whose owner is alive (without `force`) or the default
    ///   experiment; nothing is changed then.
    @discardableResult
    public func moveToTrash(_ words: [String], force: Bool, dryRun: Bool) throws(CairnError) -> CairnAPI.TrashChange {
        var runs: [RunID: (RunLocation, ExperimentRecord)] = [:]
        var experiments: [ExperimentID: ExperimentRecord] = [:]
        for word in words {
            switch try experimentOrRun(word) {
            case .experiment(let experiment):
                if experiment.id.value == 0 {
                    throw CairnError(.conflict, "the experiment '\(experiment.name)' is the default experiment (id 0), which cannot be deleted",
                                     hint: "delete its runs instead ('cairn rm RUN...')")
                }
                experiments[experiment.id] = experiment
                for id in try registeredRunIDs(experiment.id) {
                    if let entry = try registryEntry(experiment.id, id) { runs[id] = (entry, experiment) }
                }
            case .run(let run):
                guard let entry = try registryEntry(run.record.experimentID, run.id) else { continue }
                runs[run.id] = (entry, try experiment(id: run.record.experimentID))
            }
        }
        var rows: [CairnAPI.TrashedRun] = []
        for (entry, experiment) in runs.values.sorted(by: { $0.0.id < $1.0.id }) {
            let row = try trashedRun(entry, of: experiment)
            if row.liveness == .alive && !force { throw Self.aliveError(row, doing: "deleted") }
            rows.append(row)
        }
        if !dryRun {
            try checkWritable()
            // The experiments first: one write hides each with all its runs (a kill then leaves them
            // in the trash, some runs marked, some not).
            for id in experiments.keys.sorted() { try deleteExperiment(id) }
            for row in rows {
                guard let run = try runIfPresent(at: try locationOf(row)) else { continue }
                try deleteRun(run)
            }
        }
        let now = clock.now()
        let after = rows.map { row in
            var row = row
            if row.deletedAt == nil { row.deletedAt = now }
            return row
        }
        let deleted = experiments.values.sorted { $0.id < $1.id }.map { experiment in
            CairnAPI.TrashedExperiment(id: experiment.id, name: experiment.name.description, deletedAt: experiment.deletedAt ?? (dryRun ? nil : now),
                                       runs: runs.values.filter { $0.1.id == experiment.id }.count)
        }
        return CairnAPI.TrashChange(action: "delete", dryRun: dryRun, runs: dryRun ? rows : after, experiments: deleted)
    }

    /// Takes runs and experiments out of the trash (`cairn trash restore`). An experiment comes back
    /// with every run of it in the trash. A run of a deleted experiment brings its experiment back too
    /// (else it would stay hidden), but not the experiment's other runs.
    /// - Parameters:
    ///   - words: experiment names or run ids (or unique prefixes).
    ///   - dryRun: change nothing; answer what would be done.
    /// - Returns: the runs and experiments restored.
    /// - Throws: `CairnError` of kind `.notFound` for a word that names nothing, or names a run or an
    ///   experiment that is not in the trash; nothing is changed then.
    @discardableResult
    public func restore(_ words: [String], dryRun: Bool = false) throws(CairnError) -> CairnAPI.TrashChange {
        let trash = try trash()
        var runs: [RunID: CairnAPI.TrashedRun] = [:]
        var experiments: [ExperimentID: CairnAPI.TrashedExperiment] = [:]
        for word in words {
            switch try experimentOrRun(word) {
            case .experiment(let experiment):
                guard let trashed = trash.experiments.first(where: { $0.id == experiment.id }) else {
                    throw CairnError(.notFound, "the experiment '\(experiment.name)' is not in the trash", hint: "'cairn trash ls' lists what is")
                }
                experiments[experiment.id] = trashed
                for run in trash.runs where run.experimentID == experiment.id { runs[run.run] = run }
            case .run(let run):
                guard let trashed = trash.runs.first(where: { $0.run == run.id }) else {
                    throw CairnError(.notFound, "the run \(run.id) is not in the trash", hint: "'cairn trash ls' lists what is")
                }
                runs[run.id] = trashed
                if let experiment = trash.experiments.first(where: { $0.id == trashed.experimentID }) { experiments[experiment.id] = experiment }
            }
        }
        let rows = runs.values.sorted { $0.run < $1.run }
        if !dryRun {
            try checkWritable()
            for id in experiments.keys.sorted() { try restoreExperiment(id) }
            for row in rows {
                guard let run = try runIfPresent(at: try locationOf(row)) else { continue }
                try restoreRun(run)
            }
        }
        return CairnAPI.TrashChange(action: "restore", dryRun: dryRun, runs: rows, experiments: experiments.values.sorted { $0.id < $1.id })
    }

    // MARK: Helpers

    /// A run's row in the trash, with the bytes of its folder and its owner's liveness.
    func trashedRun(_ entry: RunLocation, of experiment: ExperimentRecord) throws(CairnError) -> CairnAPI.TrashedRun {
        let folder = absolute(entry.folder)
        var status: RunStatus?
        var liveness: RunLiveness?
        // A run whose record cannot be read is still listed (and may be emptied): its status is unknown.
        if let run = try? runIfPresent(at: entry) {
            status = run.record.status
            liveness = self.liveness(of: run.record)
        }
        return CairnAPI.TrashedRun(run: entry.id, experiment: experiment.name.description, experimentID: experiment.id,
                                   folder: folder, bytes: Self.treeBytes(folder), deletedAt: entry.deletedAt ?? experiment.deletedAt,
                                   byExperiment: entry.lifecycleStage != "deleted", status: status, liveness: liveness)
    }

    /// The registry entry behind a trash row.
    func locationOf(_ row: CairnAPI.TrashedRun) throws(CairnError) -> RunLocation {
        guard let entry = try registryEntry(row.experimentID, row.run) else {
            throw CairnError(.notFound, "the run \(row.run) has no registry entry any more (emptied meanwhile?)", hint: "'cairn trash ls' lists the trash")
        }
        return entry
    }

    static func aliveError(_ row: CairnAPI.TrashedRun, doing: String) -> CairnError {
        CairnError(.conflict, "the run \(row.run) is RUNNING and its owner is alive: it is not \(doing)",
                   hint: "end it first (its process, or 'cairn run finish \(row.run)'), or pass --force")
    }

    /// The bytes of the regular files under `path` (links not followed); 0 when it is gone.
    static func treeBytes(_ path: String) -> Int64 {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : 0 }
        var total: Int64 = 0
        // Best effort: a folder that cannot be listed counts for nothing.
        for name in (try? FileSystem.list(path)) ?? [] { total += treeBytes(Paths.join(path, name)) }
        return total
    }
}
