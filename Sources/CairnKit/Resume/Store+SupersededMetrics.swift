import CairnCore
import CairnFormats

extension Store {
    /// The name of the file beside a split's metrics CSV that keeps the points a resumed training
    /// logged again (`metrics.superseded.csv`, long form, appended to).
    public static let supersededMetricsName = "metrics.superseded.csv"

    /// Sets aside the points a run logged after `step`, before its training continues from a checkpoint
    /// at that step (`cairn resume --continue`): the training logs those steps again, and a series must
    /// not hold a step twice. In each split's long-form metrics CSV, the rows after `step` are appended
    /// to `metrics.superseded.csv` beside it (kept, not lost), then the CSV is rewritten atomically with
    /// the rows up to `step`. A crash between the two leaves the CSV whole, and the next resume finds
    /// the same rows already set aside (the side file ends with them) and only rewrites the CSV. Wide CSVs (written by other tools) are left as they are.
    /// - Parameters:
    ///   - run: the run, not running (its training has not started again yet).
    ///   - step: the last step to keep.
    /// - Returns: how many points were set aside.
    /// - Throws: `CairnError` when a metrics file cannot be read, parsed or written.
    @discardableResult
    func supersedeMetrics(of run: Run, after step: Int) throws(CairnError) -> Int {
        var moved = 0
        for split in try csvMetricSplits(of: run) {
            let path = try metricsPath(of: run, split: split)
            let decoded = try MetricsCSV.decode(try FileSystem.read(path), path: path)
            guard decoded.form == .long else { continue }
            let kept = decoded.points.filter { $0.step <= Int64(step) }
            guard kept.count < decoded.points.count else { continue }
            let dropped = decoded.points.filter { $0.step > Int64(step) }
            let aside = Paths.join(Paths.parent(path), Self.supersededMetricsName)
            let rows = MetricsCSV.encodeRows(dropped)
            // A resume killed after setting these rows aside, before the rewrite, set aside the same rows.
            let there = try FileSystem.readIfPresent(aside) ?? []
            if !there.ends(with: rows) {
                try MetricsFile(path: aside).append(rows)
                FileSystem.syncFile(aside)
            }
            FaultInjection.point("supersede-metrics")
            try AtomicFile.write(MetricsCSV.encode(kept), to: path)
            moved += dropped.count
        }
        return moved
    }
}
