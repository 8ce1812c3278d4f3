import CairnCore
import CairnIndex

extension Store {
    /// How much disk the runs take (`cairn du`): each run folder's files by kind (checkpoints, logs,
    /// metrics, artifacts, other, as the run's layout names them), per run and per experiment, largest
    /// first. Runs deleted softly are counted and marked (``CairnAPI/DiskUsage/deleted``).
    ///
    /// Sizes are apparent sizes (`st_size`) of regular files; a file with several hard links is counted
    /// once (the first run by id that holds it); symbolic links count nothing. Run folders are walked on
    /// every core; runs come from the index (brought up to date first), or from the files when the store
    /// cannot be written.
    /// - Parameter experiments: the experiments to count, or nil for the whole store.
    /// - Returns: the usage; its experiments are those asked for (every one of the store when nil), runs
    ///   or not.
    /// - Throws: `CairnError` when the registry, the index or the run records cannot be read.
    public func diskUsage(experiments: [ExperimentRecord]? = nil) async throws(CairnError) -> CairnAPI.DiskUsage {
        let scope: [ExperimentRecord]
        if let experiments { scope = experiments } else { scope = try self.experiments() }
        var query = RunQuery(experiments: experiments.map { $0.map(\.id) })
        query.parts = []
        query.lifecycle = .all
        let found = try await searchRuns(query).runs.map(\.facts).sorted { $0.record.id < $1.record.id }

        var classifiers: [String: DiskUsageClassifier] = [:]
        for facts in found where classifiers[facts.record.layout] == nil {
            classifiers[facts.record.layout] = DiskUsageClassifier(layout: settings.layout(named: facts.record.layout) ?? layout)
        }
        let walks = ParallelMap.map(found.count, minimumForThreads: 16) { i in
            RunFolderUsage(folder: absolute(found[i].folder), classifier: classifiers[found[i].record.layout]!)
        }

        let names = Dictionary(scope.map { ($0.id, $0.name.description) }, uniquingKeysWith: { first, _ in first })
        var byExperiment: [ExperimentID: CairnAPI.DiskUsage.ExperimentUsage] = [:]
        for experiment in scope {
            byExperiment[experiment.id] = .init(id: experiment.id, name: experiment.name.description, runs: 0, deletedRuns: 0,
                                                bytes: .init(), deletedBytes: 0)
        }
        var seen = Set<LinkKey>()
        var total = CairnAPI.DiskUsage.Sizes(), deleted = CairnAPI.DiskUsage.Sizes()
        var runs: [CairnAPI.DiskUsage.RunUsage] = []
        var unreadable: [String] = []
        runs.reserveCapacity(found.count)
        for (facts, walk) in zip(found, walks) {
            var sizes = walk.sizes
            for file in walk.linked where seen.insert(LinkKey(device: file.device, inode: file.inode)).inserted {
                RunFolderUsage.add(file.bytes, kind: file.kind, to: &sizes)
            }
            unreadable += walk.unreadable
            let record = facts.record
            let isDeleted = facts.deletedAt != nil
            let experimentName = names[record.experimentID] ?? record.experiment
            runs.append(.init(id: record.id, name: record.name, experiment: experimentName, experimentID: record.experimentID,
                              status: record.status, deleted: isDeleted, folder: absolute(facts.folder), bytes: sizes))
            total += sizes
            if isDeleted { deleted += sizes }
            var usage = byExperiment[record.experimentID]
                ?? .init(id: record.experimentID, name: experimentName, runs: 0, deletedRuns: 0, bytes: .init(), deletedBytes: 0)
            usage.runs += 1
            usage.bytes += sizes
            if isDeleted {
                usage.deletedRuns += 1
                usage.deletedBytes += sizes.total
            }
            byExperiment[record.experimentID] = usage
        }
        runs.sort { ($0.bytes.total, $1.id) > ($1.bytes.total, $0.id) }
        let sortedExperiments = byExperiment.values.sorted { ($0.bytes.total, $1.name) > ($1.bytes.total, $0.name) }
        return CairnAPI.DiskUsage(store: root, total: total, deleted: deleted, experiments: sortedExperiments, runs: runs,
                                  unreadable: unreadable.sorted())
    }
}

/// A file by its device and inode: what two hard links of it share.
private struct LinkKey: Hashable {
    var device: UInt64
    var inode: UInt64
}
