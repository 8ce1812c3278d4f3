import ArgumentParser
import CairnCore
import CairnKit

extension Cairn {
    struct Gc: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc", abstract: "Free disk: delete the checkpoints no policy keeps, move old or failed runs to the trash.",
            discussion: """
                Each selected run (all, or those of EXP: names or patterns such as 'vae/*') loses the \
                checkpoints its own retention policy does not keep (what 'cairn ckpt prune' applies), or, with \
                --keep, those the words do not keep: best (top_k 1), topN, last (keep_last 1), lastN, all; the \
                run's monitor and kept-forever epochs still hold, and its best and last pointers move to what \
                is kept. With --older-than (the run's end, else its start) or --status, the runs selected are \
                moved to the trash whole instead ('cairn trash empty' frees their bytes). A run whose owner is \
                alive is skipped unless --force. On a terminal cairn asks first unless --yes; otherwise --yes \
                is required. A killed gc leaves every run whole; the next one finishes.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @Argument(help: ArgumentHelp("Experiments (names, or patterns such as 'vae/*'); default: every experiment.", valueName: "exp"),
                  completion: ShellCompletion.experiments)
        var experiments: [String] = []
        @Option(help: ArgumentHelp("The checkpoints to keep, comma-separated: best, last, topN, lastN, all (default: each run's policy).",
                                   valueName: "words"))
        var keep: String?
        @Option(help: ArgumentHelp("Move to the trash the runs that ended (or started) at least this long ago: 30d, 12h, 90m, 2w.",
                                   valueName: "age"))
        var olderThan: AgeArgument?
        @Option(help: ArgumentHelp("Move to the trash the runs with this status: FAILED, KILLED, FINISHED, RUNNING, SCHEDULED (repeat it, or separate by commas).",
                                   valueName: "status"))
        var status: [StatusArgument] = []
        @Flag(help: "Print what would be done; change nothing.") var dryRun = false
        @Flag(name: [.short, .long], help: "Do not ask.") var yes = false
        @Flag(help: "Also act on runs whose owner is alive.") var force = false
        @OptionGroup var output: JSONFlag

        func run() throws {
            let keepPolicy = try keep.map { text throws(CairnError) in try CheckpointPolicy(keeping: text) }
            let store = try storeOptions.open()
            var scope: [ExperimentRecord]?
            if !experiments.isEmpty {
                var found: [ExperimentID: ExperimentRecord] = [:]
                for text in experiments {
                    for experiment in try store.experiments(matching: text) { found[experiment.id] = experiment }
                }
                scope = found.values.sorted { $0.id < $1.id }
            }
            let request = GarbageCollectionRequest(experiments: scope, keep: keepPolicy, keepText: keep, olderThan: olderThan?.seconds,
                                                   statuses: status.isEmpty ? nil : Set(status.flatMap(\.statuses)), force: force)
            let plan = try store.collectGarbage(request, dryRun: true)
            if dryRun { return try output.print(plan, text: GarbageCollectionText.report) }
            let changes = !plan.deletedCheckpoints.isEmpty || !plan.trashedRuns.isEmpty
            if changes && !yes {
                guard Confirmation.canAsk else {
                    throw CairnError(.conflict, "gc would \(GarbageCollectionText.question(plan)): it needs --yes when stdin is not a terminal",
                                     hint: "pass --yes (or --dry-run to see what would be done)")
                }
                guard Confirmation.ask(GarbageCollectionText.question(plan) + "?") else {
                    throw CairnError(.conflict, "nothing was changed", hint: "answer y, or pass --yes")
                }
            }
            let bar = ProgressBar(label: "Collecting")
            let done = try store.collectGarbage(request, dryRun: false) { done, total in
                if total > 3 { bar.update(done: Int64(done), total: Int64(total), unit: .count) }
            }
            bar.finish()
            try output.print(done, text: GarbageCollectionText.report)
        }
    }
}
