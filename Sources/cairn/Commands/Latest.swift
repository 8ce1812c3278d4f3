import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Latest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the id of an experiment's most recent run.",
            discussion: "The equivalent of super-gradients' get_latest_run_id; reads one pointer file, whatever the number of runs.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The experiment.") var experiment: String

        func run() throws {
            let name = try ExperimentName(experiment)
            let store = try storeOptions.open()
            let location = try store.resolveRun("latest", in: try store.experiment(named: name))
            Terminal.out(location.id.value)
        }
    }
}
