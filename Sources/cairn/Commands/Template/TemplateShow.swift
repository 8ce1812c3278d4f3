import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.TemplateGroup {
    struct TemplateShow: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a config template (--json: as a JSON object).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The template's name.", completion: ShellCompletion.templates) var name: String
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let template = try store.template(named: name)
            try output.print(template.config) { _ in template.text.hasSuffix("\n") ? String(template.text.dropLast()) : template.text }
        }
    }
}
