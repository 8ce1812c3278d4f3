import CairnCore
import CairnFormats

extension Store {
    /// The absolute path of a run's metrics CSV for a split, from the run's layout.
    /// - Parameters:
    ///   - run: the run.
    ///   - split: the split (`train`, `eval`…).
    /// - Returns: the path (`…/metrics/<split>/metrics.csv` in the default layout); the file may not exist.
    /// - Throws: `CairnError` for an invalid split name, or a layout that cannot name the file.
    public func metricsPath(of run: Run, split: String) throws(CairnError) -> String {
        try MetricLogger.validate(split: split)
        let runLayout = settings.layout(named: run.record.layout) ?? layout
        let experiment = try experiment(id: run.record.experimentID)
        var fields = try runFields(experiment: experiment, id: run.id, name: run.record.name, start: run.record.startTime,
                                   extra: [:], layout: runLayout)
        fields["split"] = .string(split)
        return Paths.join(run.absoluteFolder, try runLayout.render(.metrics, fields))
    }

    /// The splits a run has metrics for (the folders under its metrics folder that hold a CSV; for an
    /// adopted run with no CSV, those of its event files' scalars: ``eventFileMetrics(of:)``).
    /// - Parameter run: the run.
    /// - Returns: the splits' names, sorted.
    /// - Throws: `CairnError` when the layout cannot name the metrics files.
    public func metricSplits(of run: Run) throws(CairnError) -> [String] {
        let csv = try csvMetricSplits(of: run)
        guard csv.isEmpty, settings.adopted else { return csv }
        return try eventFileMetrics(of: run).keys.sorted()
    }

    /// The splits whose metrics CSV the run has.
    func csvMetricSplits(of run: Run) throws(CairnError) -> [String] {
        let probe = try metricsPath(of: run, split: "train")
        // The split is the folder that holds the CSV in the default template (metrics/{split}/metrics.csv).
        let splitsFolder = Paths.parent(Paths.parent(probe))
        let fileName = Paths.lastComponent(probe)
        return try FileSystem.list(splitsFolder).filter { FileSystem.exists(Paths.join(Paths.join(splitsFolder, $0), fileName)) }.sorted()
    }

    /// A run's metric points for one split (long or wide CSV), oldest first as written; for an adopted
    /// run with no CSV, its event files' scalars of that split.
    /// - Parameters:
    ///   - run: the run.
    ///   - split: the split.
    /// - Returns: the points; empty when the split has no file.
    /// - Throws: `CairnError` for an invalid split name, or a file that cannot be read or parsed.
    public func metrics(of run: Run, split: String) throws(CairnError) -> [MetricPoint] {
        let path = try metricsPath(of: run, split: split)
        if settings.adopted, !FileSystem.exists(path), try csvMetricSplits(of: run).isEmpty {
            return try eventFileMetrics(of: run)[split] ?? []
        }
        return try MetricPointCache.shared.points(at: path) { () throws(CairnError) in try MetricsFile(path: path).read() }
    }
}
