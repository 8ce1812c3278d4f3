import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.RunGroup {
    struct RunShow: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a run: its record, params and tags.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run: its id or a unique prefix (default: $CAIRN_RUN_ID).", valueName: "run"))
        var runReference: RunReference?
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            try output.print(try store.details(of: try store.run(runReference ?? .environment)), text: RunText.details)
        }
    }
}
