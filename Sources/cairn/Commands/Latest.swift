import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Latest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the id of an experiment's most recent run (--json: the run).",
            discussion: "The equivalent of SuperGradients' get_latest_run_id; reads one pointer file, whatever the number of runs.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The experiment.", completion: ShellCompletion.experiments) var experiment: String
        @OptionGroup var output: JSONFlag

        func run() throws { try Self.run(experiment: experiment, store: storeOptions.store, json: output.json) }

        /// The command's work, also reached without ArgumentParser (``QuickCommand``).
        static func run(experiment: String, store: String?, json: Bool) throws(CairnError) {
            let name = try ExperimentName(experiment)
            let store = try StoreOptions.open(store)
            let run = try store.run(.text("latest"), in: try store.experiment(named: name))
            try JSONFlag.print(store.info(of: run), json: json) { $0.id.value }
        }
    }
}
