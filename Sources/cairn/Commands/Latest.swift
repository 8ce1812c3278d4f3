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

        func run() throws {
            let name = try ExperimentName(experiment)
            let store = try storeOptions.open()
            let run = try store.run(.text("latest"), in: try store.experiment(named: name))
            try output.print(store.info(of: run)) { $0.id.value }
        }
    }
}
