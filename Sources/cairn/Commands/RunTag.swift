import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.RunGroup {
    struct RunTag: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "tag", abstract: "Set tags on a run: KEY=VALUE...")

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("The run: its id or a unique prefix.", valueName: "run")) var runArgument: String
        @Argument(help: "KEY=VALUE pairs.") var assignments: [String]

        func validate() throws {
            if assignments.isEmpty { throw ValidationError("give at least one KEY=VALUE") }
        }

        func run() throws {
            var tags: [String: String] = [:]
            for text in assignments {
                let (key, value) = try RunTags.parseAssignment(text)
                tags[key] = value
            }
            let store = try storeOptions.open()
            try store.setTags(tags, on: try store.resolveRun(runArgument))
        }
    }
}
