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
            let name = try experimentName(name)
            let store = try storeOptions.open()
            let record = try store.createExperiment(name)
            let folder = store.absolute(try store.experimentFolder(record))
            if output.json {
                try JSONOutput.print(["id": record.id.description, "name": record.name.description, "folder": folder])
            } else {
                Terminal.out("Created experiment \(record.name) (id \(record.id)) in \(folder)")
            }
        }
    }
}
