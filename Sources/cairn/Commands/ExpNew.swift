import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Exp {
    struct ExpNew: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "new", abstract: "Create an experiment (names may be grouped: vae/baseline).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The experiment's name.") var name: String
        @OptionGroup var output: JSONFlag

        func run() throws {
            let name = try ExperimentName(name)
            let store = try storeOptions.open()
            let experiment = try store.info(of: try store.createExperiment(name))
            try output.print(experiment) { "Created experiment \($0.name) (id \($0.id)) in \($0.folder)" }
        }
    }
}
