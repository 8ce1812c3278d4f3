import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Compare: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show runs side by side: the params that differ, each metric's last/min/max, best checkpoints.")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The runs: ids or unique prefixes.", valueName: "run"))
        var runReferences: [RunReference]
        @OptionGroup var output: JSONFlag

        func validate() throws {
            if runReferences.isEmpty { throw ValidationError("give at least one run to compare") }
        }

        func run() async throws {
            try await Self.run(runReferences, store: storeOptions.store, json: output.json)
        }

        /// The command's work, also reached without ArgumentParser (``QuickCommand``).
        static func run(_ references: [RunReference], store: String?, json: Bool) async throws(CairnError) {
            let store = try StoreOptions.open(store)
            let runs = try references.map { reference throws(CairnError) in try store.run(reference) }
            try JSONFlag.print(try await store.compare(runs), json: json, text: CompareText.table)
        }
    }
}
