import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.LayoutGroup {
    struct LayoutLs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls", abstract: "List the layouts (built-in and from cairn.yaml; outside a store, the built-in ones).")
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let layouts = try storeOptions.openIfPresent()?.layouts ?? Store.builtinLayouts
            try output.print(layouts, text: LayoutText.table)
        }
    }
}
