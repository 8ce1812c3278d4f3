import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.Exp {
    struct ExpLs: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the experiments.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let experiments = try store.experiments()
            var rows: [(ExperimentRecord, Int, String)] = []
            for experiment in experiments {
                rows.append((experiment, try store.runCount(in: experiment), store.absolute(try store.experimentFolder(experiment))))
            }
            if output.json {
                try JSONOutput.print(rows.map { record, runs, folder in
                    ["id": record.id.description, "name": record.name.description, "runs": runs,
                     "created_at": record.createdAt.iso8601, "folder": folder] as [String: Any]
                })
                return
            }
            if rows.isEmpty {
                Terminal.out("No experiments yet. Create one with 'cairn exp new NAME' or 'cairn exec -e NAME -- COMMAND'.")
                return
            }
            var table = Table("ID", "EXPERIMENT", "RUNS", "CREATED")
            for (record, runs, _) in rows {
                table.add([record.id.description, record.name.description, String(runs), Formatting.time(record.createdAt)])
            }
            Terminal.out(table.text)
        }
    }
}
