import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.TrashGroup {
    struct TrashLs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the runs and experiments in the trash, with their sizes.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            try output.print(try store.trash(), text: TrashText.list)
        }
    }
}
