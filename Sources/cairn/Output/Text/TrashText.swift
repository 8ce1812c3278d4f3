import CairnCore
import CairnKit

/// The trash as text (`cairn trash ls`, `cairn rm`, `cairn trash restore|empty`).
enum TrashText {
    /// A table of the runs, then the experiments and the total.
    static func list(_ trash: CairnAPI.Trash) -> String {
        if trash.runs.isEmpty && trash.experiments.isEmpty { return "The trash is empty." }
        var lines: [String] = []
        if !trash.runs.isEmpty { lines.append(table(trash.runs)) }
        for experiment in trash.experiments {
            lines.append("Experiment '\(experiment.name)' (id \(experiment.id)) deleted\(experiment.deletedAt.map { " " + Formatting.time($0) } ?? ""), \(plural(experiment.runs, "run")).")
        }
        lines.append("\(plural(trash.runs.count, "run")), \(Formatting.bytes(trash.bytes)) in the trash; 'cairn trash restore ID' brings one back, 'cairn trash empty' removes them for good.")
        return lines.joined(separator: "\n")
    }

    /// What a change did, or would do.
    static func change(_ change: CairnAPI.TrashChange) -> String {
        let runs = plural(change.runs.count, "run")
        let experiments = change.experiments.isEmpty ? "" : " and experiment" + (change.experiments.count == 1 ? " " : "s ")
            + change.experiments.map { "'\($0.name)'" }.joined(separator: ", ")
        var head: String
        switch (change.action, change.dryRun) {
        case ("delete", false): head = "Moved \(runs)\(experiments) to the trash (\(Formatting.bytes(change.bytes)) kept); 'cairn trash restore' brings them back."
        case ("delete", true): head = "Would move \(runs)\(experiments) to the trash (\(Formatting.bytes(change.bytes)))."
        case ("restore", false): head = "Restored \(runs)\(experiments)."
        case ("restore", true): head = "Would restore \(runs)\(experiments)."
        case (_, false): head = "Removed \(runs)\(experiments) for good: \(Formatting.bytes(change.bytes)) freed."
        default: head = "Would remove \(runs)\(experiments) for good, freeing \(Formatting.bytes(change.bytes))."
        }
        return change.runs.isEmpty ? head : head + "\n" + table(change.runs)
    }

    /// The question asked on a terminal before a change.
    static func question(_ plan: CairnAPI.TrashChange) -> String {
        let experiments = plan.experiments.isEmpty ? "" : " and experiment" + (plan.experiments.count == 1 ? " " : "s ")
            + plan.experiments.map { "'\($0.name)'" }.joined(separator: ", ")
        return plan.action == "empty"
            ? "remove \(plural(plan.runs.count, "run"))\(experiments) for good, freeing \(Formatting.bytes(plan.bytes))?"
            : "move \(plural(plan.runs.count, "run"))\(experiments) to the trash?"
    }

    private static func table(_ runs: [CairnAPI.TrashedRun]) -> String {
        var table = Table("RUN", "EXPERIMENT", "DELETED", "SIZE", "STATUS", "FOLDER")
        for run in runs {
            table.add([run.run.value, run.experiment, run.deletedAt.map(Formatting.time) ?? "-", Formatting.bytes(run.bytes),
                       [run.status?.rawValue, run.liveness == .alive ? "alive" : nil].compactMap { $0 }.joined(separator: " "), run.folder])
        }
        return table.text
    }

    private static func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
}
