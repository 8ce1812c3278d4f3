import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.TemplateGroup {
    struct TemplateRm: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a config template (experiments made from it keep their config).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The template's name.", completion: ShellCompletion.templates) var name: String
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            try store.removeTemplate(named: name)
            try output.print(["removed": name]) { _ in "Removed the config template \(name)" }
        }
    }
}
