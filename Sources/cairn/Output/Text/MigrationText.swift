import CairnCore
import CairnKit

/// A migration's plan or outcome, as text.
enum MigrationText {
    static func report(_ report: CairnAPI.Migration) -> String {
        var lines: [String] = []
        if !report.executed { lines += report.moves.map { "\($0.source) -> \($0.target)" } }
        lines += report.problems.map { "problem: \($0)" }
        if !report.leftInPlace.isEmpty {
            lines.append("\(report.leftInPlace.count) file(s) the layout \(report.from) does not explain stay where they are:")
            lines += report.leftInPlace.map { "  \($0)" }
        }
        if !report.problems.isEmpty {
            lines.append("Nothing moved: \(report.problems.count) problem(s) above")
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
}
