import CairnCore
import CairnKit

/// Runs as text: a table of runs, one run's details.
enum RunText {
    /// `RUN [EXPERIMENT] NAME STATUS STARTED DURATION`, oldest first.
    static func table(_ runs: [CairnAPI.Run], withExperiment: Bool) -> String {
        if runs.isEmpty { return "No runs yet. Start one with 'cairn exec -e EXPERIMENT -- COMMAND'." }
        var table = withExperiment ? Table("RUN", "EXPERIMENT", "NAME", "STATUS", "STARTED", "DURATION")
                                   : Table("RUN", "NAME", "STATUS", "STARTED", "DURATION")
        for run in runs {
            var row = [run.id.value, run.name ?? "-", Formatting.status(run), Formatting.time(run.startTime),
                       Formatting.duration(run.durationSeconds)]
            if withExperiment { row.insert(run.experiment, at: 1) }
            table.add(row)
        }
        return table.text
    }

    /// `Run ID FINISHED after 3.2s`.
    static func ended(_ run: CairnAPI.Run) -> String {
        "Run \(run.id) \(run.status.rawValue) after \(Formatting.duration(run.durationSeconds))"
    }

    /// Every field of a run, its params and tags, one per line.
    static func details(_ details: CairnAPI.RunDetails) -> String {
        let run = details.run
        var status = Formatting.status(run)
        if let code = run.exitCode { status += ", exit code \(code)" }
        if let signal = run.exitSignal { status += ", \(signal)" }
        let ended = run.endTime.map { Formatting.time($0) + " UTC, after " + Formatting.duration(run.durationSeconds) } ?? "-"
        var lines = [
            "run         " + (run.name.map { "\(run.id)  (\($0))" } ?? run.id.value),
            "experiment  \(run.experiment) (id \(run.experimentID))"
                + (details.parentExperimentID.map { ", continues \(details.parentExperiment ?? "?") (id \($0))" } ?? ""),
            "status      " + status,
            "started     \(Formatting.time(run.startTime)) UTC",
            "ended       " + ended,
        ]
        if !run.forwardedSignals.isEmpty {
            lines.append("signals     forwarded " + run.forwardedSignals.map { "\($0.signal) at \(Formatting.time($0.at)) UTC" }.joined(separator: ", "))
        }
        lines += [
            "by          " + (run.user.isEmpty && run.host.isEmpty && run.pid == 0 ? "-" : "\(run.user)@\(run.host), pid \(run.pid)"),
            "command     " + run.command.joined(separator: " "),
            "folder      " + run.folder,
        ]
        if let git = run.git {
            lines.append("git         \(git.commit)" + (git.branch.map { " (\($0))" } ?? "") + (git.dirty ? ", dirty: \(git.diffFile ?? "")" : ""))
        }
        if let source = run.configSource { lines.append("config      \(source)") }
        if !run.configOverrides.isEmpty { lines.append("overrides   \(run.configOverrides.joined(separator: " "))") }
        if !details.params.isEmpty {
            lines.append("params")
            lines += details.params.sorted { $0.key < $1.key }.map { "  \($0.key) = \($0.value.text)" }
        }
        if !details.tags.isEmpty {
            lines.append("tags")
            lines += details.tags.sorted { $0.key < $1.key }.map { "  \($0.key) = \($0.value)" }
        }
        return lines.joined(separator: "\n")
    }
}
