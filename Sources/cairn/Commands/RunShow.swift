import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.RunGroup {
    struct RunShow: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a run: its record, params and tags.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run: its id or a unique prefix (default: $CAIRN_RUN_ID).", valueName: "run")) var runArgument: String?
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let location = try store.resolveRun(try RunReference.resolve(runArgument))
            let run = try store.run(at: location)
            let liveness = store.liveness(of: run.record)
            let params = try store.params(of: location)
            let tags = try store.tags(of: location)
            let record = run.record
            if output.json {
                var object = RunJSON.summary(RunSummary(run: run, liveness: liveness))
                object["user"] = record.user
                object["host"] = record.host
                object["pid"] = Int(record.pid)
                object["command"] = record.command
                object["working_directory"] = JSONOutput.optional(record.workingDirectory)
                object["exit_signal"] = JSONOutput.optional(record.exitSignal)
                object["config_source"] = JSONOutput.optional(record.configSource)
                object["config_overrides"] = record.configOverrides
                object["layout"] = record.layout
                object["params"] = params
                object["tags"] = tags
                if let git = record.git {
                    object["git"] = ["commit": git.commit, "branch": JSONOutput.optional(git.branch), "dirty": git.dirty,
                                     "diff_file": JSONOutput.optional(git.diffFile)] as [String: Any]
                } else {
                    object["git"] = JSONOutput.optional(Optional<String>.none)
                }
                try JSONOutput.print(object)
                return
            }
            let summary = RunSummary(run: run, liveness: liveness)
            var status = Formatting.status(summary)
            if let code = record.exitCode { status += ", exit code \(code)" }
            if let signal = record.exitSignal { status += ", \(signal)" }
            var ended = "-"
            if let end = record.endTime { ended = Formatting.time(end) + " UTC, after " + Formatting.duration(record.durationSeconds) }
            let title = record.name.map { "\(record.id)  (\($0))" } ?? record.id.value
            var lines: [String] = []
            lines.append("run         " + title)
            lines.append("experiment  \(record.experiment) (id \(record.experimentID))")
            lines.append("status      " + status)
            lines.append("started     \(Formatting.time(record.startTime)) UTC")
            lines.append("ended       " + ended)
            lines.append("by          \(record.user)@\(record.host), pid \(record.pid)")
            lines.append("command     " + record.command.joined(separator: " "))
            lines.append("folder      " + run.absoluteFolder)
            if let git = record.git {
                lines.append("git         \(git.commit)" + (git.branch.map { " (\($0))" } ?? "") + (git.dirty ? ", dirty: \(git.diffFile ?? "")" : ""))
            }
            if let source = record.configSource { lines.append("config      \(source)") }
            if !record.configOverrides.isEmpty { lines.append("overrides   \(record.configOverrides.joined(separator: " "))") }
            if !params.isEmpty {
                lines.append("params")
                lines += params.sorted { $0.key < $1.key }.map { "  \($0.key) = \($0.value)" }
            }
            if !tags.isEmpty {
                lines.append("tags")
                lines += tags.sorted { $0.key < $1.key }.map { "  \($0.key) = \($0.value)" }
            }
            Terminal.out(lines.joined(separator: "\n"))
        }
    }
}
