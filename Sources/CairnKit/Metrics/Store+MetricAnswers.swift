import CairnCore
import CairnFormats

extension Store {
    /// Logs `KEY=VALUE` metric values of one step to a run (`cairn metric log`): values are numbers,
    /// `nan` and `inf` included; the time is now.
    /// - Parameters:
    ///   - values: the metrics, e.g. `loss=0.31`.
    ///   - run: the run.
    ///   - step: the training step.
    ///   - epoch: the epoch, if known.
    ///   - split: `train`, `eval`, `test`, `any`, or another plain name.
    ///   - liveTensorBoard: also turn on the run's live event file (tag `cairn.tensorboard=live`).
    /// - Returns: how many points were logged, and whether the run's live event file got them.
    /// - Throws: `CairnError` for a negative step or epoch, a value that is not a number, an invalid key
    ///   or split (nothing is logged), or a write that fails.
    public func logMetrics(_ values: [Assignment], to run: Run, step: Int64, epoch: Int?, split: String,
                           liveTensorBoard: Bool) throws(CairnError) -> CairnAPI.MetricLog {
        if step < 0 { throw CairnError(.invalidValue, "the step \(step) is negative", hint: "steps count from 0") }
        if let epoch, epoch < 0 { throw CairnError(.invalidValue, "the epoch \(epoch) is negative", hint: "epochs count from 0") }
        let now = clock.now()
        var points: [CairnCore.MetricPoint] = []
        for value in values { points.append(MetricPoint(key: value.key, value: try value.number(), step: step, epoch: epoch, timestamp: now)) }
        let logger = liveTensorBoard ? try MetricLogger(store: self, run: run, tensorBoard: true) : MetricLogger(store: self, run: run)
        try logger.log(points, split: split)
        try logger.close()
        return CairnAPI.MetricLog(run: run.id, split: split, points: points.count, liveTensorBoard: try liveTensorBoardEnabled(run))
    }

    /// A summary per split and key of a run's metrics: count, last, min and max with their steps.
    /// - Parameters:
    ///   - run: the run.
    ///   - split: only this split (nil: every split the run has).
    /// - Returns: one summary per split and key, by split then key.
    /// - Throws: `CairnError` for an invalid split name, or a metrics file that cannot be read.
    public func metricSummaries(of run: Run, split: String? = nil) throws(CairnError) -> [CairnAPI.MetricSummary] {
        var rows: [CairnAPI.MetricSummary] = []
        for (name, points) in try pointsBySplit(of: run, only: split) {
            let summaries = CairnCore.MetricSummary.summaries(of: points)
            for summary in summaries.values.sorted(by: { $0.key < $1.key }) { rows.append(CairnAPI.MetricSummary(summary, split: name)) }
        }
        return rows
    }

    /// A run's metric points, split by split (sorted by name), each in the order logged.
    /// - Parameters:
    ///   - run: the run.
    ///   - key: only this metric (nil: every one).
    ///   - split: only this split (nil: every split the run has).
    /// - Returns: the points.
    /// - Throws: `CairnError` for an invalid split name, or a metrics file that cannot be read.
    public func metricHistory(of run: Run, key: String? = nil, split: String? = nil) throws(CairnError) -> [CairnAPI.MetricPoint] {
        var rows: [CairnAPI.MetricPoint] = []
        for (name, points) in try pointsBySplit(of: run, only: split) {
            for point in points where key == nil || point.key == key {
                rows.append(CairnAPI.MetricPoint(point, split: name))
            }
        }
        return rows
    }

    /// The same points as ``metricHistory(of:key:split:)``, as the long-form CSV Cairn writes
    /// (`time,step,epoch,key,value`, with a header).
    /// - Parameters:
    ///   - run: the run.
    ///   - key: only this metric (nil: every one).
    ///   - split: only this split (nil: every split the run has).
    /// - Returns: the CSV text.
    /// - Throws: `CairnError` for an invalid split name, or a metrics file that cannot be read.
    public func metricHistoryCSV(of run: Run, key: String? = nil, split: String? = nil) throws(CairnError) -> String {
        var points: [CairnCore.MetricPoint] = []
        for (_, split) in try pointsBySplit(of: run, only: split) {
            points += split.filter { key == nil || $0.key == key }
        }
        return String(decoding: MetricsCSV.encode(points), as: UTF8.self)
    }

    /// The points of each split asked for (every split the run has, by name, when `split` is nil). An
    /// adopted run's event files, when they are its metrics, are read once for all splits.
    private func pointsBySplit(of run: Run, only split: String?) throws(CairnError) -> [(String, [CairnCore.MetricPoint])] {
        if settings.adopted, try csvMetricSplits(of: run).isEmpty {
            let events = try eventFileMetrics(of: run)
            if let split { return [(split, events[split] ?? [])] }
            return events.keys.sorted().map { ($0, events[$0]!) }
        }
        var names: [String] = []
        if let split { names = [split] } else { names = try metricSplits(of: run) }
        var out: [(String, [CairnCore.MetricPoint])] = []
        for name in names { out.append((name, try metrics(of: run, split: name))) }
        return out
    }
}
