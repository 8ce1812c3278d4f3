import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.RunGroup {
    struct RunLs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List runs, oldest first.")

        @OptionGroup var storeOptions: StoreOptions
        @Option(name: [.customShort("e"), .long], help: "Only the runs of this experiment.")
        var experiment: String?
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            var filter: ExperimentRecord?
            if let experiment { filter = try store.experiment(named: try ExperimentName(experiment)) }
            let runs = try store.runs(in: filter)
            if output.json {
                try JSONOutput.print(runs.map(RunJSON.summary))
                return
            }
            if runs.isEmpty {
                Terminal.out("No runs yet. Start one with 'cairn exec -e EXPERIMENT -- COMMAND'.")
                return
            }
            var table = filter == nil ? Table("RUN", "EXPERIMENT", "NAME", "STATUS", "STARTED", "DURATION")
                                      : Table("RUN", "NAME", "STATUS", "STARTED", "DURATION")
            for summary in runs {
                let record = summary.run.record
                var row = [record.id.value, record.name ?? "-", Formatting.status(summary), Formatting.time(record.startTime),
                           Formatting.duration(record.durationSeconds)]
                if filter == nil { row.insert(record.experiment, at: 1) }
                table.add(row)
            }
            Terminal.out(table.text)
        }
    }
}
