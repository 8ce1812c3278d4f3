import CairnCore
import CairnIndex

extension Store {
    /// Rebuilds the index from the store's files (`cairn reindex`): every run read on both cores, written
    /// 512 runs to a transaction. Killed halfway, the next query finishes the work.
    /// - Parameter progress: called with (runs indexed, runs in all) after each batch.
    /// - Returns: what was indexed and how long it took.
    /// - Throws: `CairnError` when a run's files or the index cannot be read or written.
    public func reindex(progress: (Int, Int) -> Void = { _, _ in }) async throws(CairnError) -> CairnAPI.Reindex {
        let started = ContinuousClock.now
        _ = self.index.takeChanges()
        _ = try takeNotedChanges()
        FileSystem.remove(indexRebuildMarker)
        var index: any RunIndex
        do throws(CairnError) {
            index = try openIndex()
            try await index.removeAll()
        } catch where error.kind == .corrupt {
            moveIndexAside(because: error)
            index = try openIndex()
        }
        let experiments = try self.experiments()
        var watch = IndexWatch()
        watch.experiments = FileStamp.text(FileStamp.of(experimentsRoot))
        watch.pack = adoptedPack.map { FileStamp.text(FileStamp.of($0.path)) } ?? ""
        var locations: [RunLocation] = []
        for experiment in experiments {
            watch.registries[experiment.id.description] = FileStamp.text(FileStamp.of(registryFolder(experiment.id)))
            for id in try registeredRunIDs(experiment.id) {
                if let location = try registryEntry(experiment.id, id) { locations.append(location) }
            }
        }
        watch.sweptAt = clock.now().millisecondsSinceEpoch
        var indexed = 0, missing = 0
        try await index.update(runs: [], removing: [], experiments: experiments)
        // Each batch is written while the next one is read: SQLite's writes on its queue's thread, the
        // reads on both cores.
        var writing: Task<Result<Void, CairnError>, Never>?
        for start in stride(from: 0, to: locations.count, by: 512) {
            let (runs, gone) = try readRuns(Array(locations[start..<min(locations.count, start + 512)]))
            try await writing?.value.get()
            let target = index
            writing = Task { () -> Result<Void, CairnError> in
                do throws(CairnError) {
                    try await target.update(runs: runs, removing: gone, experiments: [])
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            indexed += runs.count
            missing += gone.count
            progress(start + runs.count + gone.count, locations.count)
        }
        try await writing?.value.get()
        try await index.setMetadata(IndexWatch.key, try watch.json())
        try await index.optimize()
        let elapsed = ContinuousClock.now - started
        return CairnAPI.Reindex(index: indexLocation, experiments: experiments.count, runs: indexed, missingRunFolders: missing,
                                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// What the index says that the files do not (`cairn reindex --check`): runs missing from it, runs
    /// it holds that are gone, runs whose facts differ. The changes processes noted are taken in first,
    /// as a search would; nothing else is changed.
    /// - Returns: the differences, by run.
    /// - Throws: `CairnError` when the index or the files cannot be read.
    public func checkIndex() async throws(CairnError) -> CairnAPI.IndexCheck {
        let index = try openIndex()
        if FileSystem.isWritable(metaRoot) { try await updateIndex(sweep: .never) }
        let (runs, _, _) = try allIndexedRuns()
        let onDisk = Dictionary(runs.map { ($0.facts.record.id, $0.facts) }, uniquingKeysWith: { a, _ in a })
        let indexedIDs = try await index.stamps(in: nil).keys
        let held = Dictionary(try await index.facts(of: Array(indexedIDs)).map { ($0.record.id, $0) }, uniquingKeysWith: { a, _ in a })
        var differences: [CairnAPI.IndexCheck.Difference] = []
        for (id, facts) in onDisk {
            guard let indexed = held[id] else {
                differences.append(.init(run: id, problem: "not in the index"))
                continue
            }
            if let field = Self.firstDifference(indexed, facts) {
                differences.append(.init(run: id, problem: "the index has other \(field) than the run's files"))
            }
        }
        for id in held.keys where onDisk[id] == nil {
            differences.append(.init(run: id, problem: "in the index, but not in the store (or its folder is gone)"))
        }
        return CairnAPI.IndexCheck(index: indexLocation, runs: onDisk.count,
                                   differences: differences.sorted { $0.run < $1.run })
    }

    /// The first part of two runs' facts that differs, named for a message; nil when they are equal.
    static func firstDifference(_ a: RunFacts, _ b: RunFacts) -> String? {
        if a.record != b.record || a.folder != b.folder { return "record" }
        if a.params != b.params { return "params" }
        if a.tags != b.tags { return "tags" }
        if a.metrics != b.metrics { return "metrics" }
        if a.bestCheckpoint != b.bestCheckpoint || a.lastCheckpoint != b.lastCheckpoint || a.keptCheckpoints != b.keptCheckpoints {
            return "checkpoints"
        }
        return nil
    }
}
