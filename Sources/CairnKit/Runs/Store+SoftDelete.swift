import CairnCore

extension Store {
    /// Deletes a run softly (MLflow's `runs/delete`): its registry entry gets the lifecycle stage
    /// `deleted` and the time; its folder and files stay. Deleted runs are hidden from searches and
    /// listings unless asked for (``CairnIndex/RunQuery/lifecycle``), still found by id, and
    /// ``restoreRun(_:)`` brings them back.
    /// - Parameter run: the run.
    /// - Returns: the run as deleted (a run already deleted keeps its first deletion time).
    /// - Throws: `CairnError` when the store cannot be written.
    @discardableResult
    public func deleteRun(_ run: Run) throws(CairnError) -> Run {
        try setRunDeletion(run, deleted: true)
    }

    /// Undoes ``deleteRun(_:)``.
    /// - Parameter run: the run.
    /// - Returns: the run as restored.
    /// - Throws: `CairnError` when the store cannot be written.
    @discardableResult
    public func restoreRun(_ run: Run) throws(CairnError) -> Run {
        try setRunDeletion(run, deleted: false)
    }

    /// Rewrites the run's registry entry (atomically, under its experiment's lock) with or without the
    /// deletion. The only change a registry entry ever gets.
    private func setRunDeletion(_ run: Run, deleted: Bool) throws(CairnError) -> Run {
        try checkWritable()
        let experiment = run.record.experimentID
        let location = try withExperimentLock(experiment) { () throws(CairnError) -> RunLocation in
            guard var entry = try registryEntry(experiment, run.id) else {
                throw CairnError(.notFound, "the run \(run.id) has no registry entry", hint: "'cairn run ls' lists the runs")
            }
            if deleted == (entry.lifecycleStage == "deleted") { return entry }
            entry.lifecycleStage = deleted ? "deleted" : nil
            entry.deletedAt = deleted ? clock.now() : nil
            try AtomicFile.write(try JSONCoding.encode(entry), to: registryPath(experiment, run.id))
            return entry
        }
        index.mark(run.id)
        var updated = run
        updated.deletedAt = location.deletedAt
        return updated
    }
}

extension Store {
    /// Deletes an experiment softly (MLflow's `experiments/delete`): its record gets the lifecycle stage
    /// `deleted`; its folder and runs stay. Hidden from experiment listings unless asked for.
    /// - Returns: the experiment as deleted.
    /// - Throws: `CairnError` of kind `.notFound` for an unknown id, or when the store cannot be written.
    @discardableResult
    public func deleteExperiment(_ id: ExperimentID) throws(CairnError) -> ExperimentRecord {
        try updateExperiment(id) { record, now in
            guard !record.isDeleted else { return }
            record.lifecycleStage = "deleted"
            record.deletedAt = now
        }
    }

    /// Undoes ``deleteExperiment(_:)``.
    @discardableResult
    public func restoreExperiment(_ id: ExperimentID) throws(CairnError) -> ExperimentRecord {
        try updateExperiment(id) { record, _ in
            record.lifecycleStage = nil
            record.deletedAt = nil
        }
    }

    /// Renames an experiment (MLflow's `experiments/update`): its record only; its id, its runs and their
    /// folders stay as they are, and new runs go where the layout names the new name.
    /// - Throws: `CairnError` of kind `.alreadyExists` or `.conflict` when the name is taken by another
    ///   experiment or a group, `.notFound` for an unknown id.
    @discardableResult
    public func renameExperiment(_ id: ExperimentID, to name: ExperimentName) throws(CairnError) -> ExperimentRecord {
        _ = try layout.experimentFields(for: name)
        return try updateExperiment(id) { (record, _) throws(CairnError) in
            guard record.name != name else { return }
            try Self.checkNoClash(name, with: try experiments().filter { $0.id != id })
            record.name = name
        }
    }

    /// Sets (a value) or removes (nil) tags of an experiment (MLflow's experiment tags).
    /// - Throws: `CairnError` of kind `.invalidName` for an invalid key, `.notFound` for an unknown id
    ///   or, when removing, a key the experiment does not have.
    @discardableResult
    public func setExperimentTags(_ id: ExperimentID, _ tags: [String: String?]) throws(CairnError) -> ExperimentRecord {
        for key in tags.keys { try RunTags.validateKey(key) }
        return try updateExperiment(id) { (record, _) throws(CairnError) in
            var current = record.tags ?? [:]
            for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
                if let value {
                    current[key] = value
                } else if current.removeValue(forKey: key) == nil {
                    throw CairnError(.notFound, "the experiment '\(record.name)' has no tag \(NameComponent.quoted(key))", hint: "its tags are shown by MLflow's get_experiment")
                }
            }
            record.tags = current.isEmpty ? nil : current
        }
    }

    /// Rewrites an experiment's record under the store's lock (an adopted experiment without a record
    /// of its own gets one).
    private func updateExperiment(_ id: ExperimentID, _ change: (inout ExperimentRecord, Timestamp) throws(CairnError) -> Void) throws(CairnError) -> ExperimentRecord {
        try checkWritable()
        return try FileLock.withLock(storeLockPath) { () throws(CairnError) -> ExperimentRecord in
            var record = try experiment(id: id)
            let before = record
            let now = clock.now()
            try change(&record, now)
            guard record != before else { return record }
            record.updatedAt = now
            try FileSystem.makeDirectories(experimentMetaFolder(id))
            try AtomicFile.write(try JSONCoding.encode(record), to: Paths.join(experimentMetaFolder(id), "experiment.json"))
            return record
        }
    }
}
