import CairnCore
import CairnKit

/// The index's reports as text.
enum IndexText {
    /// `Indexed 10000 runs of 12 experiments in 3.2 s (.cairn/index.sqlite).`
    static func reindex(_ report: CairnAPI.Reindex) -> String {
        var text = "Indexed \(report.runs) run\(report.runs == 1 ? "" : "s") of \(report.experiments) experiment\(report.experiments == 1 ? "" : "s")"
            + " in \(Formatting.duration(report.seconds)) (\(report.index))."
        if report.missingRunFolders > 0 {
            text += "\n\(report.missingRunFolders) registered run\(report.missingRunFolders == 1 ? " has" : "s have") no folder (deleted outside Cairn); 'cairn doctor --fix' removes them from the registry."
        }
        return text
    }

    /// `The index is current (N runs).` or one line per difference.
    static func check(_ report: CairnAPI.IndexCheck) -> String {
        if report.differences.isEmpty { return "The index is current (\(report.runs) run\(report.runs == 1 ? "" : "s"))." }
        return (["The index differs from the files for \(report.differences.count) run\(report.differences.count == 1 ? "" : "s"):"]
            + report.differences.map { "  \($0.run): \($0.problem)" }).joined(separator: "\n")
    }
}
