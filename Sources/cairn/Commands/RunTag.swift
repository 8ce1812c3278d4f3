import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.RunGroup {
    struct RunTag: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "tag", abstract: "Set tags on a run: KEY=VALUE... (--json: the run after).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run: its id or a unique prefix.", valueName: "run")) var runReference: RunReference
        @Argument(help: ArgumentHelp("KEY=VALUE pairs.", valueName: "KEY=VALUE")) var assignments: [Assignment]
        @OptionGroup var output: JSONFlag

        func validate() throws {
            if assignments.isEmpty { throw ValidationError("give at least one KEY=VALUE") }
        }

        func run() throws {
            let store = try storeOptions.open()
            let run = try store.run(runReference)
            try store.setTags(assignments.dictionary, on: run)
            try output.print(try store.details(of: run)) { _ in nil }
        }
    }
}
