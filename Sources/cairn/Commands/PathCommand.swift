import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct PathCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "path",
            abstract: "Print the folder of an experiment, or of one of its runs.",
            discussion: """
                cairn path EXP            the experiment's folder
                cairn path EXP latest     the folder of its most recent run
                cairn path EXP RUN        the folder of one of its runs (id or unique prefix)
                cairn path RUN            the folder of a run anywhere in the store
                A word that is both an experiment name and a run prefix means the experiment.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "An experiment name (or a run id when alone).") var target: String
        @Argument(help: ArgumentHelp("A run of that experiment: its id, a unique prefix, or 'latest'.", valueName: "run")) var runArgument: String?

        private func resolveRunOrExplain(_ word: String, in store: Store) throws(CairnError) -> RunLocation {
            let location: RunLocation
            do {
                location = try store.resolveRun(word)
            } catch {
                guard error.kind == .notFound else { throw error }
                throw CairnError(.notFound, "no experiment or run named \(NameComponent.quoted(word)) in the store '\(store.root)'",
                                 hint: "'cairn exp ls' and 'cairn run ls' list them")
            }
            return location
        }

        func run() throws {
            let store = try storeOptions.open()
            if let runArgument {
                let experiment = try store.experiment(named: try ExperimentName(target))
                let location = try store.resolveRun(runArgument, in: experiment)
                Terminal.out(store.absolute(location.folder))
                return
            }
            if let name = try? ExperimentName(target), let experiment = try store.experimentIfPresent(named: name) {
                Terminal.out(store.absolute(try store.experimentFolder(experiment)))
                return
            }
            Terminal.out(store.absolute(try resolveRunOrExplain(target, in: store).folder))
        }
    }
}
