import ArgumentParser
import CairnCore
import CairnKit

extension Cairn.TrashGroup {
    struct TrashEmpty: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "empty", abstract: "Remove the runs in the trash for good, folders included.",
            discussion: """
                Prints the bytes freed. A RUNNING run whose owner is alive is refused unless --force. \
                On a terminal cairn asks first unless --yes; otherwise --yes is required. A killed \
                'trash empty' leaves each run whole in the trash or gone; the next one (or 'cairn doctor \
                --fix') finishes what it left.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Option(help: ArgumentHelp("Only runs deleted at least this long ago: 30d, 12h, 90m, 2w.", valueName: "age"))
        var olderThan: AgeArgument?
        @Flag(help: "Print what would be removed; change nothing.") var dryRun = false
        @Flag(name: [.short, .long], help: "Do not ask.") var yes = false
        @Flag(help: "Also remove runs whose owner is alive.") var force = false
        @OptionGroup var output: JSONFlag

        func run() throws {
            let store = try storeOptions.open()
            let plan = try store.emptyTrash(olderThan: olderThan?.seconds, dryRun: true, force: force)
            if dryRun { return try output.print(plan, text: TrashText.change) }
            if plan.runs.isEmpty && plan.experiments.isEmpty {
                return try output.print(CairnAPI.TrashChange(action: "empty", dryRun: false, runs: [], experiments: []), text: TrashText.change)
            }
            if !yes {
                guard Confirmation.canAsk else {
                    throw CairnError(.conflict, "emptying the trash removes \(plan.runs.count) run folder\(plan.runs.count == 1 ? "" : "s") for good: it needs --yes when stdin is not a terminal",
                                     hint: "pass --yes (or --dry-run to see what would be removed)")
                }
                guard Confirmation.ask(TrashText.question(plan)) else { throw CairnError(.conflict, "nothing was removed", hint: "answer y, or pass --yes") }
            }
            let bar = ProgressBar(label: "Emptying the trash")
            let change = try store.emptyTrash(olderThan: olderThan?.seconds, force: force) { done, total in
                bar.update(done: done, total: total, unit: .bytes)
            }
            bar.finish()
            try output.print(change, text: TrashText.change)
        }
    }
}
