import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.LayoutGroup {
    struct LayoutShow: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a layout's templates.")
        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: "The layout's name (default: the store's).") var name: String?
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try? storeOptions.open()
            let wanted = name ?? store?.layout.name ?? BuiltinLayouts.cairn.name
            guard let layout = store?.settings.layout(named: wanted) ?? BuiltinLayouts.named(wanted) else {
                throw CairnError(.notFound, "no layout named '\(wanted)'", hint: "'cairn layout ls' lists them")
            }
            let roles = LayoutRole.allCases.compactMap { role in layout.template(role).map { (role, $0) } }
            if output.json {
                var templates: [String: String] = [:]
                for (role, template) in roles { templates[role.rawValue] = template.text }
                try JSONOutput.print(["name": layout.name, "summary": layout.summary, "templates": templates] as [String: Any])
                return
            }
            var table = Table("ROLE", "TEMPLATE")
            for (role, template) in roles { table.add([role.rawValue, template.text]) }
            Terminal.out("\(layout.name): \(layout.summary)\n" + table.text)
        }
    }
}
