import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.RunGroup {
    struct RunLs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List runs, oldest first.")

        @OptionGroup var storeOptions: StoreOptions
        @Option(name: [.customShort("e"), .long], help: "Only the runs of this experiment.",
                completion: ShellCompletion.experiments)
        var experiment: String?
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let filter = try experiment.map { name throws(CairnError) in try store.experiment(named: try ExperimentName(name)) }
            try output.print(try store.listRuns(in: filter)) { RunText.table($0, withExperiment: filter == nil) }
        }
    }
}
