import CairnCore
import CairnKit

/// A comparison as text: one column per run.
enum CompareText {
    static func table(_ comparison: CairnAPI.Comparison) -> String {
        var table = Table([""] + comparison.runs.map(\.id.value))
        table.add(["name"] + comparison.runs.map { $0.name ?? "-" })
        table.add(["experiment"] + comparison.runs.map(\.experiment))
        table.add(["status"] + comparison.runs.map(\.status.rawValue))
        table.add(["duration"] + comparison.runs.map { Formatting.duration($0.durationSeconds) })
        table.add(["best checkpoint"] + comparison.runs.map { run in
            run.bestCheckpoint.map { $0.path + ($0.epoch.map { " (epoch \($0))" } ?? $0.step.map { " (step \($0))" } ?? "") } ?? "-"
        })
        for row in comparison.params {
            table.add(["params.\(row.key)"] + row.values.map { $0 ?? "-" })
        }
        for row in comparison.metrics {
            table.add(["\(row.name) last/min/max"] + row.values.map { summary in
                summary.map { "\(Formatting.number($0.last)) / \($0.min.map(Formatting.number) ?? "-") / \($0.max.map(Formatting.number) ?? "-")" } ?? "-"
            })
        }
        var text = table.text
        if comparison.sameParams > 0 {
            text += "\n\(comparison.sameParams) param\(comparison.sameParams == 1 ? " is" : "s are") the same in every run (not shown)."
        }
        return text
    }
}
