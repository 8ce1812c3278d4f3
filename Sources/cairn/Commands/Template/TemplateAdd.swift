import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.TemplateGroup {
    struct TemplateAdd: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add a config template from a YAML or JSON file.",
            discussion: """
                The file is checked (a mapping of sections), then stored as .cairn/templates/NAME.yaml: a YAML file \
                byte for byte, comments kept; JSON converted to YAML. Example: cairn template add pretraining \
                config_templates/pretraining.yaml, then cairn exp new pretraining/mlm_small --template pretraining.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The template's name (one name, no '/').") var name: String
        @Argument(help: "The config file (YAML, or JSON when it ends in .json).", completion: .file()) var file: String
        @Flag(help: "Replace a template of that name.") var replace = false
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let template = try store.addTemplate(named: name, from: file, replace: replace)
            try output.print(template) { "Added the config template \($0.name) (\($0.keys) keys) as \($0.path)" }
        }
    }
}
