import CairnCore
import CairnKit

/// `cairn du` as text: experiments (or runs) largest first, sizes in binary units, then a total line.
enum DiskUsageText {
    private static let kinds = ["TOTAL", "CHECKPOINTS", "LOGS", "METRICS", "ARTIFACTS", "OTHER"]

    private static func cells(_ sizes: CairnAPI.DiskUsage.Sizes) -> [String] {
        [sizes.total, sizes.checkpoints, sizes.logs, sizes.metrics, sizes.artifacts, sizes.other].map(Formatting.bytes)
    }

    /// One row per experiment: `EXPERIMENT TOTAL CHECKPOINTS LOGS METRICS ARTIFACTS OTHER RUNS`.
    static func experiments(_ usage: CairnAPI.DiskUsage) -> String {
        if usage.experiments.isEmpty { return "No experiments yet: the store \(usage.store) holds no runs." }
        var table = Table(["EXPERIMENT"] + kinds + ["RUNS"])
        for e in usage.experiments {
            let runs = e.deletedRuns == 0 ? String(e.runs)
                : "\(e.runs) (\(e.deletedRuns) deleted, \(Formatting.bytes(e.deletedBytes)))"
            table.add([e.name] + cells(e.bytes) + [runs])
        }
        return table.text + "\n" + totalLine(usage)
    }

    /// One row per run: `RUN NAME EXPERIMENT STATUS TOTAL CHECKPOINTS LOGS METRICS ARTIFACTS OTHER`.
    static func runs(_ usage: CairnAPI.DiskUsage) -> String {
        if usage.runs.isEmpty { return "No runs: nothing to count in \(usage.experiments.map(\.name).joined(separator: ", "))." }
        let severalExperiments = usage.experiments.count > 1
        var table = Table(["RUN", "NAME"] + (severalExperiments ? ["EXPERIMENT"] : []) + ["STATUS"] + kinds)
        for run in usage.runs {
            table.add([run.id.description, run.name ?? "-"] + (severalExperiments ? [run.experiment] : [])
                      + [run.status.rawValue + (run.deleted ? " (deleted)" : "")] + cells(run.bytes))
        }
        return table.text + "\n" + totalLine(usage)
    }

    /// `total 3.2 GiB in 120 runs (checkpoints 3.0 GiB, logs …); 1.1 GiB in 3 deleted runs`.
    static func totalLine(_ usage: CairnAPI.DiskUsage) -> String {
        let t = usage.total
        let count = usage.runs.count
        var line = "total \(Formatting.bytes(t.total)) in \(count) run\(count == 1 ? "" : "s")"
        if usage.experiments.count > 1 { line += " of \(usage.experiments.count) experiments" }
        line += " (checkpoints \(Formatting.bytes(t.checkpoints)), logs \(Formatting.bytes(t.logs)), "
            + "metrics \(Formatting.bytes(t.metrics)), artifacts \(Formatting.bytes(t.artifacts)), other \(Formatting.bytes(t.other)))"
        let deletedRuns = usage.runs.count { $0.deleted }
        if deletedRuns > 0 {
            line += "; \(Formatting.bytes(usage.deleted.total)) in \(deletedRuns) deleted run\(deletedRuns == 1 ? "" : "s")"
        }
        return line
    }
}
