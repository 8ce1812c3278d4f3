import CairnCore
import CairnKit

/// What `cairn adopt` found, as text.
enum AdoptionText {
    /// What `cairn adopt --refresh` registered.
    static func refresh(_ refresh: CairnAPI.TreeRefresh) -> String {
        guard !refresh.newRuns.isEmpty else { return "No new runs (\(refresh.foldersRead) folders read)." }
        var lines = ["\(refresh.newRuns.count) new run\(refresh.newRuns.count == 1 ? "" : "s"): " + refresh.newRuns.map(\.value).joined(separator: ", ")]
        if !refresh.newExperiments.isEmpty { lines.append("new experiments: " + refresh.newExperiments.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }

    static func report(_ report: CairnAPI.Adoption) -> String {
        var lines = ["\(report.dryRun ? "Would adopt" : "Adopted") \(report.tree) with the layout \(report.layout): "
                     + "\(report.experiments.count) experiments, \(report.runs.count) runs, \(report.checkpoints) checkpoints; "
                     + "\(report.explained) of \(report.files) files explained"]
        if report.store != report.tree { lines.append("store: \(report.store)") }
        if report.ranking.count > 1 {
            lines.append("layouts tried (files explained): " + report.ranking.map { "\($0.layout) \($0.explained)" }.joined(separator: ", "))
        }
        if !report.unexplained.isEmpty {
            let count = report.unexplained.count
            lines.append("\(count) file\(count == 1 ? "" : "s") no role of \(report.layout) explains (left as they are, not recorded):")
            lines += report.unexplained.map { "  \($0)" }
        }
        lines += report.skipped.map { "skipped: \($0)" }
        lines += report.warnings.map { "warning: \($0)" }
        if !report.dryRun { lines.append("Next: cairn run ls --store \(report.store)") }
        return lines.joined(separator: "\n")
    }
}
