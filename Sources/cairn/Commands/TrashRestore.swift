import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.TrashGroup {
    struct TrashRestore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore", abstract: "Take runs or experiments out of the trash.",
            discussion: """
                An experiment comes back with all its runs in the trash. A run of a deleted experiment \
                brings the experiment back too (its other runs stay in the trash).
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("Runs (ids or unique prefixes) or experiments (names) in the trash.", valueName: "run-or-experiment"))
        var words: [String]
        @Flag(help: "Print what would be restored; change nothing.") var dryRun = false
        @OptionGroup var output: JSONFlag

        func validate() throws {
            if words.isEmpty { throw ValidationError("name at least one run or experiment") }
        }

        func run() throws {
            let store = try storeOptions.open()
            try output.print(try store.restore(words, dryRun: dryRun), text: TrashText.change)
        }
    }
}
