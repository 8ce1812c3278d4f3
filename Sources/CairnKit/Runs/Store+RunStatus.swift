import CairnCore
import CairnIndex

extension Store {
    /// The run with exactly this id (no prefix, no `latest`): how the MLflow API names runs.
    /// - Parameter id: the run's id.
    /// - Returns: the run, read from its `run.json`.
    /// - Throws: `CairnError` of kind `.notFound` when no experiment of the store registers it, or its
    ///   folder is gone.
    public func run(id: RunID) throws(CairnError) -> Run {
        if let entry = try registryEntry(anywhere: id) { return try run(at: entry) }
        throw CairnError(.notFound, "no run \(id) in the store '\(root)'", hint: "'cairn run ls' lists the runs")
    }

    /// Sets a run's status as MLflow's `runs/update` does, where a status may change after the end.
    ///
    /// To `RUNNING`: an ended run is reopened (its end time, duration, exit code and signal cleared,
    /// the time added to `reopened_at`, a lease taken by this process); a running one is left as it
    /// is. To `FINISHED`, `FAILED` or `KILLED`: a running run ends as ``endRun(_:status:exitCode:exitSignal:at:)``
    /// ends it; an ended one gets the new status and end time.
    /// - Parameters:
    ///   - run: the run.
    ///   - status: the new status.
    ///   - end: the end time for a final status (default: now).
    /// - Returns: the run as updated.
    /// - Throws: `CairnError` when the store cannot be written.
    @discardableResult
    public func setStatus(of run: Run, to status: RunStatus, at end: Timestamp? = nil) throws(CairnError) -> Run {
        try checkWritable()
        let location = run.location
        return try withRunLock(location.id) { () throws(CairnError) -> Run in
            var current = try self.run(at: location)
            let now = clock.now()
            if status.isTerminal {
                let endTime = end ?? now
                current.record.status = status
                current.record.endTime = endTime
                current.record.durationSeconds = Double(endTime.millisecondsSinceEpoch - current.record.startTime.millisecondsSinceEpoch) / 1000
                try AtomicFile.write(try JSONCoding.encode(current.record), to: try runFilePath(location, .runRecord))
                FileSystem.remove(leasePath(location.id))
            } else if current.record.status.isTerminal {
                current.record.reopen(at: now)
                try writeLease(for: location.id, owner: .currentProcess, at: now)
                try AtomicFile.write(try JSONCoding.encode(current.record), to: try runFilePath(location, .runRecord))
            } else {
                return current
            }
            index.mark(location.id)
            return current
        }
    }

    /// Removes tags from a run (MLflow's `runs/delete-tag`); only `tags.json` is rewritten, atomically,
    /// under the run's lock.
    /// - Parameters:
    ///   - keys: the keys to remove.
    ///   - run: the run.
    /// - Throws: `CairnError` of kind `.notFound` naming the first key the run does not have (nothing is
    ///   removed), or when the store cannot be written.
    public func removeTags(_ keys: [String], from run: Run) throws(CairnError) {
        try checkWritable()
        let location = run.location
        try withRunLock(location.id) { () throws(CairnError) in
            var current = try self.tags(of: location)
            for key in keys {
                guard current.removeValue(forKey: key) != nil else {
                    throw CairnError(.notFound, "the run \(location.id) has no tag \(NameComponent.quoted(key))",
                                     hint: "'cairn run show \(location.id)' lists its tags")
                }
            }
            try AtomicFile.write(try JSONCoding.encode(current), to: try runFilePath(location, .tags))
        }
        index.mark(location.id)
    }
}

extension Store {
    /// What a search shows of one run — record, params, tags, each metric's value at its highest step,
    /// best and last checkpoints — from the index when it is current for the run, else read from its files.
    /// - Parameter run: the run.
    /// - Returns: its facts.
    /// - Throws: `CairnError` when neither the index nor the run's files can be read.
    public func facts(of run: Run) async throws(CairnError) -> RunFacts {
        let byID = RunFilter(conditions: [FilterCondition(field: .attribute(.runID), op: .equal, values: [.string(run.id.value)])])
        var query = RunQuery(experiments: [run.record.experimentID], filter: byID, limit: 1)
        query.parts = .all
        query.lifecycle = .all
        if let found = try await searchRuns(query).runs.first { return found.facts }
        return try indexedRun(try self.run(id: run.id)).facts
    }
}
