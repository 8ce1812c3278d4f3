import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Exp {
    struct ExpLs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the experiments.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            try output.print(try storeOptions.open().listExperiments(), text: ExperimentText.table)
        }
    }
}
