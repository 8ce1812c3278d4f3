import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Ckpt {
    struct CkptLatest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "latest",
            abstract: "Print the checkpoint a resumed training should load: the newest complete one of a run, or of an experiment's latest run that has one.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("An experiment name or a run.", valueName: "exp-or-run"), completion: ShellCompletion.experimentsOrRuns) var target: String
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            try output.print(try store.latestCheckpoint(of: try store.experimentOrRun(target))) { $0.path }
        }
    }
}
