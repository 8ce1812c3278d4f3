import CairnCore
import CairnIndex

extension Store {
    /// What the index keeps of `run`, read from its files, with the stamp of every file read: its
    /// record, params, tags, each metric's summary, its best and last checkpoints.
    /// - Throws: `CairnError` when one of the run's files cannot be read or parsed.
    func indexedRun(_ run: Run) throws(CairnError) -> IndexedRun {
        var files = try [run.absoluteFolder, runFilePath(run.location, .runRecord), runFilePath(run, .params), runFilePath(run, .tags)]
        if let adoptedPack { files.append(adoptedPack.path) }
        // The registry entry records a soft deletion.
        files.append(registryPath(run.record.experimentID, run.id))
        // A run another tool was running at adoption: that tool's record says when it ends.
        if !run.record.status.isTerminal, settings.adopted, let runLayout = settings.layout(named: run.record.layout),
           let file = ToolRunRecord.statusFile(runLayout) {
            files.append(Paths.join(run.absoluteFolder, file))
        }
        var known: [String: FileStamp?] = [:]
        var facts = RunFacts(record: run.record, folder: run.folder, params: try params(of: run), tags: try tags(of: run),
                             metrics: try metricFacts(of: run, files: &files, known: &known))
        facts.deletedAt = run.deletedAt
        var withCheckpoints = facts
        try addCheckpoints(of: run, to: &withCheckpoints, files: &files)
        return IndexedRun(facts: withCheckpoints, stamp: RunStamp(paths: files, treeRoot: treeRoot, known: known).text)
    }

    /// Each metric's summary by its ``MetricName``, the files read added to `files`, and the metrics
    /// CSVs' stamps when read to `known`. A CSV read before is read from where it was left
    /// (``MetricSummaryCache``).
    private func metricFacts(of run: Run, files: inout [String], known: inout [String: FileStamp?]) throws(CairnError) -> [String: MetricSummary] {
        let probe = try metricsPath(of: run, split: MetricName.defaultSplit)
        files.append(Paths.parent(Paths.parent(probe)))
        var out: [String: MetricSummary] = [:]
        let csvSplits = try csvMetricSplits(of: run)
        if settings.adopted, csvSplits.isEmpty {
            let events = try eventFileMetrics(of: run, files: &files)
            for split in events.keys.sorted() {
                for (key, summary) in MetricSummary.summaries(of: events[split]!) {
                    out[MetricName.of(split: split, key: key)] = summary
                }
            }
            return out
        }
        for split in csvSplits {
            let path = try metricsPath(of: run, split: split)
            files.append(path)
            let read = try MetricSummaryCache.shared.summaries(at: path)
            known[path] = .some(read.stamp)
            for (key, summary) in read.summaries {
                out[MetricName.of(split: split, key: key)] = summary
            }
        }
        return out
    }

    /// The run's best and last checkpoints and how many are kept; the manifest, and the best and last
    /// checkpoints' files (whose loss changes the answer), added to `files`.
    private func addCheckpoints(of run: Run, to facts: inout RunFacts, files: inout [String]) throws(CairnError) {
        files.append(try runFilePath(run, .checkpointManifest))
        let view = try RunCheckpoints.view(store: self, run: run)
        func summary(_ entry: CheckpointEntry?) -> RunFacts.CheckpointSummary? {
            guard let entry else { return nil }
            files.append(view.absolutePath(entry))
            return RunFacts.CheckpointSummary(seq: entry.seq, path: entry.path, step: entry.step, epoch: entry.epoch,
                                              metrics: entry.metrics)
        }
        facts.bestCheckpoint = summary(view.best)
        facts.lastCheckpoint = summary(view.last)
        facts.keptCheckpoints = view.kept.count - view.kept.filter(view.isMissing).count
    }
}
