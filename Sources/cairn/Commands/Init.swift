import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a store: writes cairn.yaml and .cairn/ in DIR (default: the current folder).")

        @Argument(help: "The folder to make a store (created if missing).", completion: .directory)
        var directory: String = "."

        @Option(help: "The layout that names experiment and run folders ('cairn layout ls' lists them).",
                completion: ShellCompletion.layouts)
        var layout: String = BuiltinLayouts.cairn.name

        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try Store.initialize(at: directory, layoutName: layout, logger: StoreOptions.logger)
            try output.print(store.info) { "Initialized a Cairn store in \($0.root) (layout \($0.layout))" }
        }
    }
}
