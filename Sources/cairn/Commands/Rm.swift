import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Rm: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move runs or experiments to the trash (soft delete: hidden, folders kept).",
            discussion: """
                A run is deleted softly, as MLflow's runs/delete does through 'cairn serve': hidden from \
                'run ls' and searches, its folder kept; 'cairn trash restore' brings it back, 'cairn trash \
                empty' removes it for good. An experiment is deleted with all its runs. A RUNNING run whose \
                owner is alive is refused unless --force. On a terminal cairn asks first unless --yes; \
                otherwise runs are deleted without asking, and an experiment only with --yes.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("Runs (ids or unique prefixes) or experiments (names).", valueName: "run-or-experiment"))
        var words: [String]
        @Flag(help: "Print what would be deleted; change nothing.") var dryRun = false
        @Flag(name: [.short, .long], help: "Do not ask.") var yes = false
        @Flag(help: "Also delete runs whose owner is alive.") var force = false
        @OptionGroup var output: JSONFlag

        func validate() throws {
            if words.isEmpty { throw ValidationError("name at least one run or experiment") }
        }

        func run() throws {
            let store = try storeOptions.open()
            let plan = try store.moveToTrash(words, force: force, dryRun: true)
            if !dryRun && !yes {
                if Confirmation.canAsk {
                    guard Confirmation.ask(TrashText.question(plan)) else { throw CairnError(.conflict, "nothing was deleted", hint: "answer y, or pass --yes") }
                } else if !plan.experiments.isEmpty {
                    throw CairnError(.conflict, "deleting the experiment '\(plan.experiments[0].name)' needs --yes when stdin is not a terminal",
                                     hint: "pass --yes (or --dry-run to see what would be deleted)")
                }
            }
            let change = dryRun ? plan : try store.moveToTrash(words, force: force, dryRun: false)
            try output.print(change, text: TrashText.change)
        }
    }
}
