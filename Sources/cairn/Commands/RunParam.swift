import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.RunGroup {
    struct RunParam: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "param", abstract: "Set params on a run: KEY=VALUE... (a param is written once; --json: the run after).")

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
            try store.setParams(assignments.dictionary, on: run)
            try output.print(try store.details(of: run)) { _ in nil }
        }
    }
}
