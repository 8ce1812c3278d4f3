import CairnCore
import CairnIndex

extension Store {
    /// The runs `query` selects, in its order: from the index, brought up to date first
    /// (``updateIndex()``, and every run's stamps when the last sweep is older than ``sweepInterval``), each returned run's files checked against their stamps (a changed run
    /// is read again and the query asked again; a run whose folder is gone is dropped, with a warning).
    ///
    /// A damaged index is moved aside and rebuilt (one warning). A store this process cannot write is
    /// answered from its index when that is current, else from the runs' files.
    /// - Parameter query: what to search.
    /// - Returns: one page of runs.
    /// - Throws: `CairnError` when neither the index nor the files can be read.
    public func searchRuns(_ query: RunQuery) async throws(CairnError) -> RunPage {
        do {
            return try await searchIndex(query)
        } catch where error.kind == .corrupt {
            moveIndexAside(because: error)
            return try await searchIndex(query)
        } catch where error.kind == .permissionDenied && !FileSystem.isWritable(metaRoot) {
            return try searchFiles(query)
        }
    }

    private func searchIndex(_ query: RunQuery) async throws(CairnError) -> RunPage {
        let index = try openIndex()
        let writable = FileSystem.isWritable(metaRoot)
        var missing: [RunLocation] = []
        if writable {
            missing = searchesSkipOwnChanges ? try await updateIndexForSearch(stale: [])
                                             : try await updateIndex(sweep: self.index.sweepsInBackground ? .never : .whenDue)
        } else if try await !indexIsCurrent(index) {
            return try searchFiles(query)
        }
        var page = try await index.search(query)
        for _ in 0..<3 {
            // On a server whose index is a database, each request's changes are in it before the answer:
            // a run that is only logging is not read again for rows appended in the last second (in flight).
            let grownSince = searchesSkipOwnChanges ? FileStamp.kernelNow() - Self.searchLag : nil
            let current = RunStamp.areCurrent(page.runs.map(\.stamp), treeRoot: treeRoot, metricsGrownSince: grownSince)
            let stale = zip(page.runs, current).filter { !$0.1 }.map(\.0)
            if stale.isEmpty { break }
            guard writable else { return try searchFiles(query) }
            if searchesSkipOwnChanges {
                missing = try await updateIndexForSearch(stale: Set(stale.map(\.facts.record.id)))
            } else {
                for run in stale { self.index.mark(run.facts.record.id) }
                missing = try await updateIndex(sweep: .never)
            }
            page = try await index.search(query)
        }
        warnMissingRunFolders(missing)
        return page
    }

    /// True when nothing a cheap check can see changed since the index was last brought up to date (for
    /// a store this process cannot write, whose index it cannot update).
    private func indexIsCurrent(_ index: any RunIndex) async throws(CairnError) -> Bool {
        if hasNotedChanges() { return false }
        let watch = IndexWatch(json: try await index.metadata(IndexWatch.key))
        if FileStamp.text(FileStamp.of(experimentsRoot)) != watch.experiments { return false }
        if (adoptedPack.map { FileStamp.text(FileStamp.of($0.path)) } ?? "") != watch.pack { return false }
        for (key, stamp) in watch.registries {
            guard let id = ExperimentID(text: key), FileStamp.text(FileStamp.of(registryFolder(id))) == stamp else { return false }
        }
        return true
    }

    /// `query` answered from the runs' files, without the index.
    func searchFiles(_ query: RunQuery) throws(CairnError) -> RunPage {
        query.evaluate(try allIndexedRuns().runs)
    }

    /// Every run of the store read from its files, and the ids of registered runs whose folder is gone.
    func allIndexedRuns() throws(CairnError) -> (runs: [IndexedRun], gone: [RunID], experiments: [ExperimentRecord]) {
        let experiments = try self.experiments()
        var locations: [RunLocation] = []
        for experiment in experiments {
            for id in try registeredRunIDs(experiment.id) {
                if let location = try registryEntry(experiment.id, id) { locations.append(location) }
            }
        }
        let (runs, gone) = try readRuns(locations)
        return (runs, gone, experiments)
    }
}
