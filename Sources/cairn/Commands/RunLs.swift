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
            let store = try storeOptions.open()
            let columns = try search.columnFields()
            let runs = try await store.listRuns(try search.query(store), columns: columns)
            let names = columns.map(\.name)
            if csv {
                Terminal.out(RunText.csv(runs, columns: names))
            } else {
                let single = search.experiment.map { !$0.contains(where: { "*?[".contains($0) }) } ?? false
                let filtered = search.filter != nil || search.status != nil
                try output.print(runs) { RunText.table($0, withExperiment: !single, columns: names, filtered: filtered) }
            }
        }
    }
}
