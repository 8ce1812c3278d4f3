import CairnCore
import CairnKit

/// A migration's plan or outcome, as text.
enum MigrationText {
    /// What goes to stdout: the moves of a plan, the extras, what stays, and the outcome.
    static func report(_ report: CairnAPI.Migration) -> String? {
        var lines: [String] = []
        if !report.executed {
            lines += report.moves.map { move in
                let link = move.link.map { " (link now reads \($0))" } ?? ""
                return move.source == move.target ? "\(move.source): link rewritten\(link)" : "\(move.source) -> \(move.target)\(link)"
            }
        }
        if !report.extras.isEmpty {
            lines.append("\(report.extras.count) file(s) the layout \(report.to) has no other name for \(report.executed ? "moved" : "move") with their run (its extra place):")
            lines += report.extras.map { "  \($0)" }
        }
        if !report.leftInPlace.isEmpty {
            lines.append("\(report.leftInPlace.count) file(s) in no run the layout \(report.to) can place stay where they are:")
            lines += report.leftInPlace.map { "  \($0)" }
        }
        if !report.configReferences.isEmpty {
            lines.append(report.configsRewritten ? "\(report.configReferences.count) config value(s) named moved files and were rewritten:"
                                                 : "\(report.configReferences.count) config value(s) name moved files (rewrite them with --rewrite-configs):")
            lines += report.configReferences.map { "  \($0.config): \($0.key): \($0.old) -> \($0.new)" }
        }
        if !report.problems.isEmpty {
            return lines.isEmpty ? nil : lines.joined(separator: "\n")
        } else if report.executed {
            lines.append(report.rolledBack ? "Rolled back: \(report.moved) files moved back; the layout is \(report.to) again"
                                           : "Migrated to \(report.to): \(report.moved) files moved")
        } else if report.moves.isEmpty {
            lines.append("Nothing to move: the tree already follows \(report.to)")
        } else {
            lines.append("Plan: \(report.moves.count) files move from \(report.from) to \(report.to), \(report.unchanged) stay (dry run: nothing moved)")
        }
        return lines.joined(separator: "\n")
    }

    /// What goes to stderr for a plan with problems: one line per cause, with its count and an example.
    static func problems(_ report: CairnAPI.Migration) -> [String] {
        guard !report.problems.isEmpty else { return [] }
        let total = report.problems.reduce(0) { $0 + $1.count }
        return report.problems.map { "\($0.count) file\($0.count == 1 ? "" : "s"): \($0.cause) (e.g. \($0.example))" }
            + ["nothing moved: \(total) file\(total == 1 ? "" : "s") cannot move to the layout \(report.to) (--json lists them all)"]
    }
}
