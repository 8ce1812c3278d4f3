import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.RunGroup {
    struct RunParam: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "param", abstract: "Set params on a run: KEY=VALUE... (a param is written once).")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run: its id or a unique prefix.", valueName: "run")) var runArgument: String
        @Argument(help: "KEY=VALUE pairs.") var assignments: [String]

        func validate() throws {
            if assignments.isEmpty { throw ValidationError("give at least one KEY=VALUE") }
        }

        func run() throws {
            var params: [String: String] = [:]
            for text in assignments {
                let (key, value) = try RunTags.parseAssignment(text, what: "param")
                params[key] = value
            }
            let store = try storeOptions.open()
            try store.setParams(params, on: try store.resolveRun(runArgument))
        }
    }
}
