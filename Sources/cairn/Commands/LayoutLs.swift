import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.LayoutGroup {
    struct LayoutLs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the layouts (built-in and from cairn.yaml).")
        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try? storeOptions.open()
            let layouts = store?.settings.allLayouts ?? BuiltinLayouts.all
            if output.json {
                try JSONOutput.print(layouts.map { ["name": $0.name, "summary": $0.summary, "in_use": $0.name == store?.layout.name] as [String: Any] })
                return
            }
            var table = Table("LAYOUT", "RUN FOLDER", "SUMMARY")
            for layout in layouts {
                let mark = layout.name == store?.layout.name ? " *" : ""
                table.add([layout.name + mark, layout.template(.run)?.text ?? "-", layout.summary])
            }
            Terminal.out(table.text)
        }
    }
}
