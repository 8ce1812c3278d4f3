import CairnCore

extension Store {
    /// Frees disk (`cairn gc`): deletes the checkpoints that the retention rule does not keep (each run's
    /// own policy, or ``GarbageCollectionRequest/keep`` over it) through the same code as
    /// ``RunCheckpoints/prune(policy:dryRun:)`` (journaled, pointers moved to the best and last kept), and
    /// moves the runs that ``GarbageCollectionRequest/olderThan`` and ``GarbageCollectionRequest/statuses``
    /// select to the trash (the soft delete of ``deleteRun(_:)``; their checkpoints are left whole).
    ///
    /// Planning reads each run's manifest once, without locks and without writing anything, on every core;
    /// a dry run stops there. A run whose owner is alive is skipped (and reported) unless
    /// ``GarbageCollectionRequest/force``; so is a run whose policy cannot be applied (`--keep best` without
    /// a monitored metric) or whose files cannot be read. A process killed midway leaves each run either
    /// done or untouched (a prune is journaled: the next writer of the run finishes it; a move to the trash
    /// is one atomic write).
    /// - Parameters:
    ///   - request: which runs, what to keep, which runs to trash.
    ///   - dryRun: change nothing; answer what would be done.
    ///   - progress: told the number of runs worked on so far and the number with work (not for a dry run).
    /// - Returns: the checkpoints deleted, the runs trashed, the runs skipped, and the bytes of each.
    /// - Throws: `CairnError` when the store cannot be written (`.permissionDenied`, not for a dry run), a
    ///   migration is unfinished (`.busy`), or the experiments or the registry cannot be read.
    public func collectGarbage(_ request: GarbageCollectionRequest, dryRun: Bool,
                               progress: ((Int, Int) -> Void)? = nil) throws(CairnError) -> CairnAPI.GarbageCollection {
        if hasUnfinishedMigration {
            throw CairnError(.busy, "a migration of '\(root)' is unfinished: checkpoints may be between their old and new places",
                             hint: "run 'cairn migrate --resume' to finish it or 'cairn migrate --rollback' to undo it, then gc")
        }
        if !dryRun { try checkWritable() }
        let plans = try planCollection(request)
        var deleted: [CairnAPI.DeletedCheckpoint] = []
        var trashed: [CairnAPI.TrashedRun] = []
        var skipped: [CairnAPI.SkippedRun] = []
        let work = plans.filter(\.hasWork)
        for (index, plan) in work.enumerated() {
            progress?(index, work.count)
            switch plan.action {
            case .skip(let reason):
                skipped.append(.init(run: plan.run.id, experiment: plan.experiment.name.description, reason: reason))
            case .trash(var row):
                if !dryRun {
                    do throws(CairnError) {
                        try deleteRun(plan.run)
                    } catch {
                        skipped.append(.init(run: plan.run.id, experiment: plan.experiment.name.description, reason: "not moved to the trash: " + error.message))
                        continue
                    }
                    row.deletedAt = clock.now()
                    FaultInjection.point("gc-trashed")
                }
                trashed.append(row)
            case .prune(let planned, let call):
                if dryRun {
                    deleted += planned
                    continue
                }
                do throws(CairnError) {
                    deleted += try prune(plan.run, planned: planned, call: call)
                } catch {
                    skipped.append(.init(run: plan.run.id, experiment: plan.experiment.name.description, reason: "not pruned: " + error.message))
                }
                FaultInjection.point("gc-pruned")
            case .nothing:
                break
            }
        }
        progress?(work.count, work.count)
        return CairnAPI.GarbageCollection(dryRun: dryRun, keep: request.keepText, runsExamined: plans.count,
                                          deletedCheckpoints: deleted, trashedRuns: trashed, skippedRuns: skipped)
    }

    /// Every selected run's part, by run id: read in parallel, nothing written.
    private func planCollection(_ request: GarbageCollectionRequest) throws(CairnError) -> [RunCollectionPlan] {
        let scope: [ExperimentRecord]
        if let experiments = request.experiments { scope = experiments } else { scope = try experiments() }
        var candidates: [(id: RunID, experiment: ExperimentRecord)] = []
        var policies: [ExperimentID: Result<CheckpointPolicy, CairnError>] = [:]
        let storePolicy = Result(catching: { () throws(CairnError) in try storeCheckpointPolicy() })
        for experiment in scope where !experiment.isDeleted && policies[experiment.id] == nil {
            policies[experiment.id] = Result(catching: { () throws(CairnError) -> CheckpointPolicy in
                CheckpointPolicy.resolve(store: try storePolicy.get(), experiment: try checkpointPolicy(of: experiment), call: request.keep)
            })
            for id in try registeredRunIDs(experiment.id) { candidates.append((id, experiment)) }
        }
        candidates.sort { $0.id < $1.id }
        let now = clock.now()
        let plans = ParallelMap.map(candidates.count, minimumForThreads: 16) { i in
            planRun(candidates[i].id, of: candidates[i].experiment, policy: policies[candidates[i].experiment.id]!, request: request, now: now)
        }
        return plans.compactMap { $0 }
    }

    /// One run's part: nil when it is in the trash or its folder is gone.
    private func planRun(_ id: RunID, of experiment: ExperimentRecord, policy: Result<CheckpointPolicy, CairnError>,
                         request: GarbageCollectionRequest, now: Timestamp) -> RunCollectionPlan? {
        let entry: RunLocation
        let run: Run
        do throws(CairnError) {
            guard let found = try registryEntry(experiment.id, id), found.lifecycleStage != "deleted" else { return nil }
            guard let present = try runIfPresent(at: found) else { return nil }
            (entry, run) = (found, present)
        } catch {
            return nil  // a run that cannot be read is the doctor's to report; gc leaves it alone
        }
        var plan = RunCollectionPlan(run: run, experiment: experiment, action: .nothing)
        do throws(CairnError) {
            if request.selectsForTrash(run.record, now: now) {
                var row = try trashedRun(entry, of: experiment)
                row.byExperiment = false  // trashed on its own, not with its experiment
                plan.action = .trash(row)
            } else {
                let checkpoints = try RunCheckpoints(store: self, run: run)
                let (deletions, needsLock, call) = try checkpoints.collectionPlan(resolved: try policy.get(), keep: request.keep)
                plan.action = needsLock ? .prune(deletions, call: call) : .nothing
            }
        } catch {
            plan.action = .skip(error.message)
            return plan
        }
        if plan.hasWork, !request.force, liveness(of: run.record) == .alive {
            plan.action = .skip("RUNNING and its owner is alive (pass --force to include it)")
        }
        return plan
    }

    /// Prunes one run under its lock (opening it finishes what a killed writer left); the sizes are the
    /// planned ones, else the manifest's.
    private func prune(_ run: Run, planned: [CairnAPI.DeletedCheckpoint], call: CheckpointPolicy) throws(CairnError) -> [CairnAPI.DeletedCheckpoint] {
        let checkpoints = try RunCheckpoints.open(store: self, run: run)
        let state = try checkpoints.view().state
        let pruned = try checkpoints.prune(policy: call, dryRun: false)
        var done = planned.filter { $0.reason == RunCollectionPlan.leftoverReason }  // removed by the open's recovery
        let plannedBytes = Dictionary(planned.map { ($0.seq, $0.bytes) }, uniquingKeysWith: { first, _ in first })
        for item in pruned {
            let bytes = plannedBytes[item.seq] ?? state[seq: item.seq]?.bytes ?? 0
            done.append(CairnAPI.DeletedCheckpoint(run: run.id, seq: item.seq, path: item.path, relativePath: item.relativePath,
                                                   bytes: bytes, reason: item.reason))
        }
        return done.sorted { $0.seq < $1.seq }
    }
}
