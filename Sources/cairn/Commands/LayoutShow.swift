import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.LayoutGroup {
    struct LayoutShow: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a layout's templates.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The layout's name (default: the store's).", completion: ShellCompletion.layouts) var name: String?
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.openIfPresent()
            let wanted = name ?? store?.layout.name ?? BuiltinLayouts.cairn.name
            let layout = try store?.layoutInfo(named: wanted) ?? Store.builtinLayouts.first { $0.name == wanted }
            guard let layout else { throw CairnError(.notFound, "no layout named '\(wanted)'", hint: "'cairn layout ls' lists them") }
            try output.print(layout, text: LayoutText.templates)
        }
    }
}
