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
            let store = try storeOptions.open()
            let runs = try runReferences.map { reference throws(CairnError) in try store.run(reference) }
            try output.print(try await store.compare(runs), text: CompareText.table)
        }
    }
}
