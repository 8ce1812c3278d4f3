import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.TemplateGroup {
    struct TemplateLs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the config templates, with their sections.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            try output.print(try store.templates()) { templates in
                guard !templates.isEmpty else { return "No config templates yet; add one with 'cairn template add NAME FILE'." }
                var table = Table("NAME", "KEYS", "SIZE", "SECTIONS")
                for template in templates {
                    table.add([template.name, String(template.keys), Formatting.bytes(template.bytes), template.sections.joined(separator: ", ")])
                }
                return table.text
            }
        }
    }
}
