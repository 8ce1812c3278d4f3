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
        @Argument(help: "An experiment name (or a run id when alone).", completion: ShellCompletion.experimentsOrRuns) var target: String
        @Argument(help: ArgumentHelp("A run of that experiment: its id, a unique prefix, or 'latest'.", valueName: "run"), completion: ShellCompletion.runsOrLatest)
        var runReference: RunReference?
        @OptionGroup var output: JSONFlag

        func run() throws {
            try Self.run(target: target, run: runReference, store: storeOptions.store, json: output.json)
        }

        /// The command's work, also reached without ArgumentParser (``QuickCommand``).
        static func run(target: String, run runReference: RunReference?, store: String?, json: Bool) throws(CairnError) {
            let store = try StoreOptions.open(store)
            let location: CairnAPI.Location
            if let runReference {
                let experiment = try store.experiment(named: try ExperimentName(target))
                location = try store.location(of: experiment, run: try store.run(runReference, in: experiment))
            } else {
                switch try store.experimentOrRun(target) {
                case .experiment(let experiment):
                    location = try store.location(of: experiment)
                case .run(let run):
                    location = try store.location(of: try store.experiment(id: run.record.experimentID), run: run)
                }
            }
            try JSONFlag.print(location, json: json) { $0.path }
        }
    }
}
