import CairnCore
import CairnKit
import Foundation

/// Runs as text: a table of runs, one run's details.
enum RunText {
    /// `RUN [EXPERIMENT] NAME STATUS STARTED DURATION [COLUMNS…]`, in the order given.
    static func table(_ runs: [CairnAPI.Run], withExperiment: Bool, columns: [String] = [], filtered: Bool = false) -> String {
        if runs.isEmpty {
            return filtered ? "No run matches." : "No runs yet. Start one with 'cairn exec -e EXPERIMENT -- COMMAND'."
        }
        var headers = withExperiment ? ["RUN", "EXPERIMENT", "NAME", "STATUS", "STARTED", "DURATION"]
                                     : ["RUN", "NAME", "STATUS", "STARTED", "DURATION"]
        headers += columns
        var table = Table(headers)
        for run in runs {
            var row = [run.id.value, run.name ?? "-", Formatting.status(run), Formatting.time(run.startTime),
                       Formatting.duration(run.durationSeconds)]
            if withExperiment { row.insert(run.experiment, at: 1) }
            row += columns.map { cell(run.columns?[$0]) }
            table.add(row)
        }
        return table.text
    }

    /// `id,experiment,name,status,start_time,end_time,duration_seconds[,COLUMNS…]`, one row per run.
    static func csv(_ runs: [CairnAPI.Run], columns: [String]) -> String {
        var lines = [(["id", "experiment", "name", "status", "start_time", "end_time", "duration_seconds"] + columns).map(csvField).joined(separator: ",")]
        for run in runs {
            let fields = [run.id.value, run.experiment, run.name ?? "", run.status.rawValue, run.startTime.iso8601,
                          run.endTime?.iso8601 ?? "", run.durationSeconds.map { "\($0)" } ?? ""]
                + columns.map { name in exact(run.columns?[name]) }
            lines.append(fields.map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n")
    }

    /// A CSV cell: numbers with every digit, nothing for a lacking value.
    private static func exact(_ value: ConfigValue?) -> String {
        switch value {
        case nil, .null?: ""
        case .string(let text)?: text
        case .float(let number)?: "\(number)"
        case let other?: other.description
        }
    }

    private static func cell(_ value: ConfigValue?) -> String {
        switch value {
        case nil, .null?: "-"
        case .string(let text)?: text
        case .float(let number)?: Formatting.number(number)
        case .int(let number)?: String(number)
        case let other?: other.description
        }
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
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
        if let source = run.resumedFrom { lines.append("resumes     run \(source)") }
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
