import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.RunGroup {
    struct RunLs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls", abstract: "List runs, oldest first, or those a filter selects in the order asked for.",
            discussion: "Filters use MLflow's search syntax; see 'Filters' in the README.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var search: RunSearchOptions
        @Flag(name: .long, help: "Print CSV (a header, then a row per run) instead of a table.")
        var csv = false
        @OptionGroup var output: JSONFlag

        func validate() throws {
            if csv && output.json { throw ValidationError("--csv and --json cannot be used together") }
        }

        func run() async throws {
            try await Self.run(search.search, store: storeOptions.store, csv: csv, json: output.json)
        }

        /// The command's work, also reached without ArgumentParser (``QuickCommand``).
        static func run(_ search: RunSearch, store: String?, csv: Bool, json: Bool) async throws(CairnError) {
            let store = try StoreOptions.open(store)
            let columns = try search.columnFields()
            let runs = try await store.listRuns(try search.query(store), columns: columns)
            let names = columns.map(\.name)
            if csv {
                Terminal.out(RunText.csv(runs, columns: names))
            } else {
                let filtered = search.filter != nil || search.status != nil
                try JSONFlag.print(runs, json: json) {
                    RunText.table($0, withExperiment: !search.namesOneExperiment, columns: names, filtered: filtered)
                }
            }
        }
    }
}
