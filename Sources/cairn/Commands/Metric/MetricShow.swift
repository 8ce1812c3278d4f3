import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Metric {
    struct MetricShow: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a run's metrics: a summary per key (last, min, max), or with --key the history.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run (default: $CAIRN_RUN_ID).", valueName: "run")) var runReference: RunReference?
        @Option(help: "Only this metric, as a history.") var key: String?
        @Option(help: "Only this split.") var split: String?
        @Flag(help: "Print the history as CSV (time,step,epoch,key,value).") var csv = false
        @OptionGroup var output: JSONFlag

        func validate() throws {
            if csv && output.json { throw ValidationError("--csv and --json exclude each other") }
        }

        func run() throws {
            let store = try storeOptions.open()
            let run = try store.run(runReference ?? .environment)
            if csv {
                Terminal.write(1, try store.metricHistoryCSV(of: run, key: key, split: split))
            } else if key != nil {
                try output.print(try store.metricHistory(of: run, key: key, split: split), text: MetricText.history)
            } else {
                try output.print(try store.metricSummaries(of: run, split: split), text: MetricText.summaries)
            }
        }
    }
}
